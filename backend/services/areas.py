"""A hub's own areas: load a HexJSON map (with a parent region per area) into instance/.

The file replaces the shipped ICB map for this instance (instance/areas.hexjson); the
taxonomy, the sign-up lists, the releases and the hub's map all follow. Each hex needs a
region: its own `region` / `region_name` fields (or the NHS `NHSER21CD` / `NHSER21NM`), a row
of a CSV file `area code,region code,region name`, or one region name for them all.

Check-ins keep the area they were written with; people choose a new area in their profile.
"""

import csv
import json
import os
import re
import tempfile
from pathlib import Path

from flask import current_app

from . import taxonomy
from .problems import Invalid

LAYOUTS = {"odd-r", "even-r", "odd-q", "even-q"}
CODE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


def _regions_from_csv(path: str) -> dict[str, tuple[str, str]]:
    found = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) < 2 or row[0].strip().lower() in {"", "area", "code"}:
                continue
            name = row[2].strip() if len(row) > 2 else row[1].strip()
            found[row[0].strip()] = (row[1].strip(), name)
    return found


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:32] or "region"


def prepare(hexjson: dict, regions: dict | None = None, region_name: str | None = None) -> dict:
    """Check a HexJSON map and give every hex a region; raises Invalid with plain words."""
    if not isinstance(hexjson, dict) or not isinstance(hexjson.get("hexes"), dict):
        raise Invalid("That is not a HexJSON file: it needs a 'hexes' object.")
    if hexjson.get("layout", "odd-r") not in LAYOUTS:
        raise Invalid(f"The layout must be one of {', '.join(sorted(LAYOUTS))}.")
    if not hexjson["hexes"]:
        raise Invalid("The map has no areas.")
    missing = []
    for code, hex_ in hexjson["hexes"].items():
        if not CODE.match(code):
            raise Invalid(f"Area code {code!r} must be 1 to 32 letters, digits, '.', '_' or '-'.")
        if not isinstance(hex_.get("q"), int) or not isinstance(hex_.get("r"), int):
            raise Invalid(f"Area {code} needs whole-number 'q' and 'r' positions.")
        if hex_.get("region") or hex_.get("NHSER21CD"):
            continue
        if regions and code in regions:
            hex_["region"], hex_["region_name"] = regions[code]
        elif region_name:
            hex_["region"], hex_["region_name"] = _slug(region_name), region_name
        else:
            missing.append(code)
    if missing:
        raise Invalid(
            f"{len(missing)} areas have no region (for example {', '.join(missing[:3])}): "
            "give a regions CSV or one region name for all."
        )
    for hex_ in hexjson["hexes"].values():
        region = hex_.get("region") or hex_.get("NHSER21CD")
        if not CODE.match(str(region)):
            raise Invalid(f"Region code {region!r} must be 1 to 32 letters or digits.")
    taxonomy.areas_from_hexjson(hexjson)
    return hexjson


def load(path: str, regions_csv: str | None = None, region_name: str | None = None) -> dict:
    """Install a hub's map for this instance; returns counts of areas and regions."""
    try:
        hexjson = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Invalid(f"Could not read {path}: {exc}") from None
    regions = _regions_from_csv(regions_csv) if regions_csv else None
    prepare(hexjson, regions, region_name)
    target = Path(current_app.instance_path) / taxonomy.AREAS_OVERRIDE
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".hexjson")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(hexjson, out, ensure_ascii=False, indent=1)
    os.replace(temporary, target)
    taxonomy.reload_taxonomy()
    tax = taxonomy.get_taxonomy()
    return {"areas": len(tax["areas"]), "regions": len(tax["regions"])}

"""The words and codes of the diary (areas, roles, settings, factors, needs), as data.

Shipped defaults live in backend/data; a hub overrides any top-level key in
instance/taxonomy.json and replaces the areas with instance/areas.hexjson.
"""

import json
import re
from functools import lru_cache
from pathlib import Path

from flask import current_app

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_HEXJSON = DATA / "nhs-icb-2022.hexjson"
AREAS_OVERRIDE = "areas.hexjson"
TAXONOMY_OVERRIDE = "taxonomy.json"


# A hex label of up to this many characters stays legible inside its hexagon.
SHORT_MAX = 5
SMALL_WORDS = {"and", "of", "the", "upon", "on", "with", "in", "nhs", "city", "county"}


def _label_candidates(name: str, code: str):
    """Short labels for an area, best first: initials, then letters of its name, its code."""
    words = [w for w in re.split(r"[^A-Za-z]+", name) if w and w.lower() not in SMALL_WORDS]
    letters = "".join(words).upper()
    if len(words) > 1:
        yield "".join(w[0] for w in words)[:4].upper()
    if letters:
        yield letters[:3]
        for i in range(1, len(letters)):
            for j in range(i + 1, len(letters)):
                yield letters[0] + letters[i] + letters[j]
    yield code[-SHORT_MAX:]
    yield code


def short_labels(areas: list[dict]) -> dict[str, str]:
    """Code -> a short label for the hex map, unique within the map.

    The HexJSON's own `n` when it is short (the ICB map has COR, DEV, BNSSG), otherwise made
    from the name (a map of local authorities names its hexes in full).
    """
    labels, used = {}, set()
    # Labels the file gives come first, so a made one never takes a given one's place.
    for area in sorted(areas, key=lambda a: not 0 < len(a["n"]) <= SHORT_MAX):
        given = [area["n"]] if 0 < len(area["n"]) <= SHORT_MAX else []
        for label in [*given, *_label_candidates(area["name"], area["code"])]:
            if label and label not in used:
                break
        else:
            label = area["code"]  # codes are unique: never two hexes with one label
        labels[area["code"]] = label
        used.add(label)
    return labels


def areas_from_hexjson(hexjson: dict) -> tuple[list[dict], list[dict]]:
    """Areas and their parent regions from a HexJSON file.

    Each hex names its region with `region` / `region_name` (a hub's own file) or with the
    NHS England fields `NHSER21CD` / `NHSER21NM` (the shipped ICB map).
    """
    areas, regions = [], {}
    for code, hex_ in hexjson["hexes"].items():
        region = hex_.get("region") or hex_.get("NHSER21CD")
        region_name = hex_.get("region_name") or hex_.get("NHSER21NM") or region
        if not region:
            raise ValueError(f"area {code} has no region")
        name = (hex_.get("ICS22NM") or hex_.get("name") or hex_.get("n") or code).strip()
        n = str(hex_.get("n") or "").strip()
        areas.append({"code": code, "name": name, "n": n, "region": region})
        regions.setdefault(region, {"code": region, "name": region_name.strip()})
    areas.sort(key=lambda a: a["name"])
    shorts = short_labels(areas)
    for area in areas:
        del area["n"]
        area["short"] = shorts[area["code"]]
    return areas, sorted(regions.values(), key=lambda r: r["name"])


def _hexmap(hexjson: dict) -> dict:
    hexes = {c: {"q": h["q"], "r": h["r"], "n": h.get("n", c)} for c, h in hexjson["hexes"].items()}
    return {"layout": hexjson.get("layout", "odd-r"), "hexes": hexes}


@lru_cache(maxsize=8)
def _load(instance_path: str) -> dict:
    taxonomy = json.loads((DATA / "taxonomy.json").read_text())
    override = Path(instance_path) / TAXONOMY_OVERRIDE
    if override.exists():
        taxonomy.update(json.loads(override.read_text()))
    hexfile = Path(instance_path) / AREAS_OVERRIDE
    hexjson = json.loads((hexfile if hexfile.exists() else DEFAULT_HEXJSON).read_text())
    taxonomy["areas"], taxonomy["regions"] = areas_from_hexjson(hexjson)
    taxonomy["hexmap"] = _hexmap(hexjson)
    return taxonomy


def get_taxonomy() -> dict:
    """The taxonomy in force for this app (cached; `reload_taxonomy` after changing files)."""
    return _load(current_app.instance_path)


def reload_taxonomy() -> None:
    _load.cache_clear()


def codes(kind: str) -> set[str]:
    """The valid codes of one list: areas, regions, role_groups, settings, factors, needs."""
    return {item["code"] for item in get_taxonomy()[kind]}


def region_of(area: str | None) -> str | None:
    """The region an area belongs to, or None."""
    for item in get_taxonomy()["areas"]:
        if item["code"] == area:
            return item["region"]
    return None


def labels(kind: str) -> dict[str, str]:
    """Code -> plain-English label for one list."""
    return {item["code"]: item.get("label") or item.get("name") for item in get_taxonomy()[kind]}

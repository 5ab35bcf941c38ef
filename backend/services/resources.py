"""The support catalogue: where staff can turn (take-up is counted in take_up_marks.py).

The shipped catalogue is backend/data/resources.json. A hub changes it with its own
instance/resources.json, `{"resources": [...]}`, merged by id so that it only has to say
what differs:
- an entry with a new id adds a resource (after the shipped ones, in the file's order);
- an entry with a shipped id changes that resource: the fields it gives replace the shipped
  ones (give `reach` whole), and the rest stay;
- `{"id": "...", "drop": true}` takes a shipped resource away.
Each resource names what it is for, in the taxonomy's codes: `needs`, the answers to "What
would help?" it serves (the Support screen groups by them), and `factors`, the answers to
"What is affecting you?" it is a particular help with ([] when it is for anything at all, as
the urgent lines are). After a check-in the phone offers, by one rule (frontend/js/suggest.js),
the resources that serve a need the person chose or a factor they chose; so a resource for one
situation (bereavement, domestic abuse, menopause, money) names only that situation's need
and factor, never a general one such as "someone to talk to".

A shipped resource marked `placeholder` waits for the hub's own contact details. It is never
offered after a check-in, and the Support screen says so, next to a real route: the first
resource of its `meanwhile` (a list of ids) that is not a placeholder itself, sent as
`meanwhile` (that id, or null). Changing a placeholder without repeating `placeholder` clears
the mark and its `meanwhile`. `warn_of_placeholders` logs the ones still waiting when the
app is served.

The merged catalogue is checked when the app starts (see `install`): a need or factor the
taxonomy does not list, a repeated id, a link that is not tel:, sms: or https:, or a
placeholder with no way to reach anyone stops the start with a message naming the file, the
resource and the field.
"""

import json
import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app

from . import taxonomy
from .problems import NotFound

DATA = Path(__file__).resolve().parent.parent / "data"
SHIPPED = DATA / "resources.json"
OVERRIDE = "resources.json"
EXTENSION_KEY = "resources"
log = logging.getLogger(__name__)

AUDIENCES = ("frontline", "managers", "everyone")
REQUIRED = ("id", "title", "summary", "reach", "hours", "needs", "factors", "audience", "urgent")
OPTIONAL = ("placeholder", "meanwhile")
CODES = ("needs", "factors")  # fields that hold taxonomy codes of the same name
REACH_FIELDS = ("kind", "label", "value", "href")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 64  # take_up_marks.resource
NUMBER = r"\+?[0-9]{3,15}"
HREFS = {
    "phone": re.compile(rf"^tel:{NUMBER}$"),
    "text": re.compile(rf"^sms:{NUMBER}(\?&?body=[A-Za-z0-9%+._-]{{1,160}})?$"),
}


class CatalogueError(ValueError):
    """The resource catalogue cannot be used as it stands; the message says where and why."""


def _read(path: Path) -> list:
    try:
        resources = json.loads(path.read_text())["resources"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(f'{path}: expected JSON like {{"resources": [...]}} ({exc})') from None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise CatalogueError(f'{path}: "resources" must be a list of objects')
    return resources


def _merge(shipped: list[dict], changes: list[dict], source: Path) -> list[tuple[dict, Path]]:
    merged: dict[str, tuple[dict, Path]] = {}
    for resources, path in ((shipped, SHIPPED), (changes, source)):
        seen = set()
        for change in resources:
            rid = change.get("id")
            if not isinstance(rid, str):
                raise CatalogueError(f"{path}: a resource has no id")
            if rid in seen:
                raise CatalogueError(f"{path}: resource {rid!r} is listed twice")
            seen.add(rid)
            if change.get("drop") is True:
                if rid not in merged or len(change) != 2:
                    raise CatalogueError(
                        f'{path}: resource {rid!r}: "drop" needs a shipped id and nothing else'
                    )
                del merged[rid]
            elif rid in merged:
                base = merged[rid][0]
                if "placeholder" not in change:  # filled in: no longer waiting
                    base = {k: v for k, v in base.items() if k not in OPTIONAL}
                merged[rid] = ({**base, **change}, path)
            else:
                merged[rid] = (change, path)
    return list(merged.values())


def _check_web(href) -> bool:
    if not isinstance(href, str) or any(c.isspace() for c in href):
        return False
    parts = urlsplit(href)
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


def _reach_problem(reach) -> str | None:
    if not isinstance(reach, list):
        return "must be a list"
    for way in reach:
        if not isinstance(way, dict) or set(way) != set(REACH_FIELDS):
            return f"each way to reach it needs exactly {', '.join(REACH_FIELDS)}"
        if way["kind"] not in (*HREFS, "web"):
            return f"kind {way['kind']!r} is not phone, text or web"
        if not all(isinstance(way[f], str) and way[f].strip() for f in ("label", "value")):
            return "label and value must be words"
        good = _check_web(way["href"]) if way["kind"] == "web" else (
            isinstance(way["href"], str) and HREFS[way["kind"]].match(way["href"])
        )  # fmt: skip
        if not good:
            return f"href {way['href']!r} is not a {way['kind']} link (tel:, sms: or https:)"
    return None


def _codes(value) -> bool:
    return isinstance(value, list) and all(isinstance(code, str) for code in value)


def _problem(resource: dict, known: dict[str, set[str]]) -> tuple[str, str] | None:
    """The first thing wrong with one resource, as (field, what is wrong), or None."""
    unknown = sorted(set(resource) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        return unknown[0], "is not a field a resource has"
    for field in REQUIRED:
        if field not in resource:
            return field, "is missing"
    rid = resource["id"]
    checks = {
        "id": len(rid) <= MAX_ID and SLUG.match(rid),
        "title": isinstance(resource["title"], str) and resource["title"].strip(),
        "summary": isinstance(resource["summary"], str) and resource["summary"].strip(),
        "hours": resource["hours"] is None or isinstance(resource["hours"], str),
        "audience": resource["audience"] in AUDIENCES,
        "urgent": isinstance(resource["urgent"], bool),
        "needs": _codes(resource["needs"]),
        "factors": _codes(resource["factors"]),
        "placeholder": isinstance(resource.get("placeholder", ""), str),
        "meanwhile": _codes(resource.get("meanwhile", [])),
    }
    wrong = next((field for field, good in checks.items() if not good), None)
    if wrong:
        return wrong, f"has a value it cannot take: {resource.get(wrong)!r}"
    for field in CODES:
        unknown = sorted(set(resource[field]) - known[field])
        if unknown:
            return field, f"{', '.join(map(repr, unknown))} is not in the taxonomy's {field}"
    if "meanwhile" in resource and "placeholder" not in resource:
        return "meanwhile", "goes only with placeholder"
    reach_problem = _reach_problem(resource["reach"])
    if reach_problem:
        return "reach", reach_problem
    if not resource["reach"] and "placeholder" not in resource:
        return "reach", "needs at least one way to reach it"
    return None


def _meanwhile(resource: dict, path: Path, ready: set[str], every: set[str]) -> str | None:
    """The first resource of a placeholder's `meanwhile` that reaches someone now, checked."""
    ids = resource.get("meanwhile", [])
    where = f"{path}: resource {resource['id']!r}: meanwhile"
    missing = sorted(set(ids) - every)
    if missing:
        raise CatalogueError(f"{where} {', '.join(map(repr, missing))} is not in the catalogue")
    first = next((rid for rid in ids if rid in ready), None)
    if first is None and not resource["reach"]:
        raise CatalogueError(f"{where} needs a resource that is not a placeholder, so Support "
                             "always shows a way to reach someone")  # fmt: skip
    return first


def load_catalogue(instance_path: str, known: dict[str, set[str]]) -> list[dict]:
    """The shipped catalogue with the hub's changes, checked; raises CatalogueError.

    `known` holds the taxonomy's codes for each of CODES (its needs and its factors).
    """
    override = Path(instance_path) / OVERRIDE
    changes = _read(override) if override.exists() else []
    merged = _merge(_read(SHIPPED), changes, override)
    for resource, path in merged:
        problem = _problem(resource, known)
        if problem:
            field, what = problem
            raise CatalogueError(f"{path}: resource {resource['id']!r}: {field} {what}")
    every = {resource["id"] for resource, _ in merged}
    ready = {resource["id"] for resource, _ in merged if "placeholder" not in resource}
    catalogue = []
    for resource, path in merged:
        record = {field: resource[field] for field in REQUIRED}
        record["placeholder"] = "placeholder" in resource
        record["meanwhile"] = (
            _meanwhile(resource, path, ready, every) if record["placeholder"] else None
        )
        catalogue.append(record)
    # Urgent help first; otherwise the catalogue's own order (sorted() is stable).
    return sorted(catalogue, key=lambda r: not r["urgent"])


def install(app: Flask) -> None:
    """Load and check the catalogue as the app starts, so a mistake stops the start."""
    with app.app_context():
        known = {field: taxonomy.codes(field) for field in CODES}
    app.extensions[EXTENSION_KEY] = load_catalogue(app.instance_path, known)


def warn_of_placeholders(app: Flask) -> list[str]:
    """Log one warning naming the resources still waiting for the hub's own details.

    Called when the app is served (`flask --app backend serve`, gunicorn's master), not by
    create_app(), so that a test or a CLI task does not repeat it. Returns their ids.
    """
    waiting = [r["id"] for r in app.extensions[EXTENSION_KEY] if r["placeholder"]]
    if waiting:
        log.warning(
            "%d resources still show the shipped placeholder, not your hub's own contact "
            "details: %s. Support says so and suggestions leave them out until you add the "
            "details to %s (see backend/data/README.md).",
            len(waiting),
            ", ".join(waiting),
            Path(app.instance_path) / OVERRIDE,
        )
    return waiting


def catalogue() -> list[dict]:
    """Every resource, urgent ones first."""
    return current_app.extensions[EXTENSION_KEY]


def find(resource_id: str) -> dict:
    for resource in catalogue():
        if resource["id"] == resource_id:
            return resource
    raise NotFound("There is no resource with that id.")

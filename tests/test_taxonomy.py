"""The taxonomy: plain words, the 42 ICBs in 7 regions, and a hub's overrides."""

import json
from pathlib import Path

from backend.services.taxonomy import reload_taxonomy


def test_default_taxonomy_has_the_icbs_regions_and_plain_words(client):
    taxonomy = client.get("/api/v1/taxonomy").get_json()
    assert len(taxonomy["areas"]) == 42
    assert len(taxonomy["regions"]) == 7
    region_codes = {r["code"] for r in taxonomy["regions"]}
    assert all(area["region"] in region_codes for area in taxonomy["areas"])
    assert [m["label"] for m in taxonomy["moods"]] == [
        "Really tough",
        "Tough",
        "Okay",
        "Good",
        "Great",
    ]
    assert {"workload", "death_at_work", "menopause"} <= {f["code"] for f in taxonomy["factors"]}
    assert {"someone_to_talk_to", "bereavement_support"} <= {n["code"] for n in taxonomy["needs"]}
    assert len(taxonomy["hexmap"]["hexes"]) == 42
    assert "join_codes" not in taxonomy


def test_a_hub_can_override_lists_and_areas_from_instance(app, client):
    instance = Path(app.instance_path)
    (instance / "taxonomy.json").write_text(
        json.dumps({"needs": [{"code": "tea", "label": "A cup of tea"}]})
    )
    (instance / "areas.hexjson").write_text(
        json.dumps(
            {
                "layout": "odd-r",
                "hexes": {
                    "E08000035": {
                        "q": 0,
                        "r": 0,
                        "n": "Leeds",
                        "region": "YH",
                        "region_name": "Yorkshire",
                    },
                    "E08000036": {
                        "q": 1,
                        "r": 0,
                        "n": "Wakefield",
                        "region": "YH",
                        "region_name": "Yorkshire",
                    },
                },
            }
        )
    )
    reload_taxonomy()
    try:
        taxonomy = client.get("/api/v1/taxonomy").get_json()
        assert [n["code"] for n in taxonomy["needs"]] == ["tea"]
        assert {a["code"] for a in taxonomy["areas"]} == {"E08000035", "E08000036"}
        assert taxonomy["regions"] == [{"code": "YH", "name": "Yorkshire"}]
        assert len(taxonomy["factors"]) > 5
    finally:
        reload_taxonomy()


def test_every_area_has_a_short_label_for_its_hex():
    """The ICB map's own abbreviations; for a map that names its hexes in full (the local
    authorities), labels made from the names: short and unique either way."""
    from backend.services.taxonomy import DATA, areas_from_hexjson

    icbs = json.loads((DATA / "nhs-icb-2022.hexjson").read_text())
    shorts = {a["code"]: a["short"] for a in areas_from_hexjson(icbs)[0]}
    assert (shorts["QJK"], shorts["QT6"], shorts["QUY"]) == ("DEV", "COR", "BNSSG")
    authorities = json.loads((DATA / "uk-upper-tier-local-authorities.hexjson").read_text())
    for hex_ in authorities["hexes"].values():
        hex_["region"] = "R"
    areas = areas_from_hexjson(authorities)[0]
    labels = [a["short"] for a in areas]
    assert len(set(labels)) == len(labels) == 151
    assert all(1 <= len(label) <= 5 for label in labels)
    by_name = {a["name"]: a["short"] for a in areas}
    assert by_name["Barking and Dagenham"] == "BD"
    assert by_name["Birmingham"] == "BIR"

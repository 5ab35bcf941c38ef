"""The hub administrator's commands: publish now, and load the hub's own areas."""

import json
import shutil
from pathlib import Path

from backend.jobs import job_definitions
from backend.services import releases, taxonomy
from tests.test_releases_support import add_people, check_ins

LOCAL_AUTHORITIES = (
    Path(__file__).resolve().parent.parent
    / "backend"
    / "data"
    / "uk-upper-tier-local-authorities.hexjson"
)


def small_map(tmp_path, with_regions=True):
    hexes = {
        "E06000001": {"n": "Hartlepool", "q": 1, "r": 1},
        "E06000002": {"n": "Middlesbrough", "q": 2, "r": 1},
        "E08000021": {"n": "Newcastle upon Tyne", "q": 1, "r": 2},
    }
    if with_regions:
        for hex_ in hexes.values():
            hex_.update(region="E12000001", region_name="North East")
    path = tmp_path / "hub.hexjson"
    path.write_text(json.dumps({"layout": "odd-r", "hexes": hexes}))
    return path


def test_publish_command_publishes_and_then_has_nothing_new(app, runner):
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 4)
    result = runner.invoke(args=["releases", "publish"])
    assert result.exit_code == 0 and "Published release 1" in result.output
    again = runner.invoke(args=["releases", "publish"])
    assert "Nothing new to publish" in again.output


def test_the_publish_job_is_scheduled_every_interval(app):
    jobs = {job["id"]: job for job in job_definitions(app)}
    assert jobs["publish-releases"]["every"] == {"minutes": 15}
    with app.app_context():
        check_ins(add_people(12, area="QT6"), 4)
        jobs["publish-releases"]["func"](app)
        assert releases.publish() is None  # the job published already


def test_loading_a_hubs_map_replaces_the_areas_and_the_map(app, runner, tmp_path):
    result = runner.invoke(args=["areas", "load", str(small_map(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Loaded 3 areas in 1 regions" in result.output
    with app.app_context():
        tax = taxonomy.get_taxonomy()
        assert {a["code"] for a in tax["areas"]} == {"E06000001", "E06000002", "E08000021"}
        assert tax["regions"] == [{"code": "E12000001", "name": "North East"}]
        assert set(tax["hexmap"]["hexes"]) == {"E06000001", "E06000002", "E08000021"}
    taxonomy.reload_taxonomy()


def test_local_authorities_load_with_a_regions_file(app, runner, tmp_path):
    source = tmp_path / LOCAL_AUTHORITIES.name
    shutil.copy(LOCAL_AUTHORITIES, source)
    codes = list(json.loads(source.read_text())["hexes"])
    regions = tmp_path / "regions.csv"
    regions.write_text(
        "area,region,region name\n"
        + "".join(f"{c},{'LON' if c.startswith('E09') else 'ENG'},"
                  f"{'London' if c.startswith('E09') else 'Rest of England'}\n" for c in codes)
    )  # fmt: skip
    result = runner.invoke(args=["areas", "load", str(source), "--regions", str(regions)])
    assert result.exit_code == 0, result.output
    assert f"Loaded {len(codes)} areas in 2 regions" in result.output
    client = app.test_client()
    body = client.get("/api/v1/taxonomy").get_json()
    assert len(body["hexmap"]["hexes"]) == len(codes) == 151
    taxonomy.reload_taxonomy()


def test_a_map_without_regions_is_refused_in_plain_words(app, runner, tmp_path):
    result = runner.invoke(args=["areas", "load", str(small_map(tmp_path, with_regions=False))])
    assert result.exit_code != 0
    assert "3 areas have no region" in result.output
    one = runner.invoke(
        args=["areas", "load", str(small_map(tmp_path, False)), "--region-name", "North East"]
    )
    assert one.exit_code == 0 and "in 1 regions" in one.output
    taxonomy.reload_taxonomy()

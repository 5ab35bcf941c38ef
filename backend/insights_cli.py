"""Command-line tools for releases and the hub's areas (`flask --app backend ...`)."""

import click
from flask.cli import AppGroup

from .services.problems import Problem

releases_cli = AppGroup("releases", help="Anonymised releases for the hub.")
areas_cli = AppGroup("areas", help="The hub's areas and their regions.")


@releases_cli.command("publish")
def publish() -> None:
    """Publish a release now if anything a researcher can see has changed."""
    from .services import releases

    release = releases.publish()
    if release is None:
        click.echo("Nothing new to publish: every cell stands as last published.")
    else:
        click.echo(f"Published release {release.id} ({release.fresh_cells} cells refreshed).")


@releases_cli.command("rebuild-tallies")
def rebuild_tallies() -> None:
    """Recompute the open weeks' running totals from the person-week rollup."""
    from .services import releases

    releases.rebuild_tallies()
    click.echo("Tallies rebuilt from the person-week rollup.")


@areas_cli.command("load")
@click.argument("hexjson", type=click.Path(exists=True, dir_okay=False))
@click.option("--regions", "regions_csv", type=click.Path(exists=True, dir_okay=False),
              help="CSV of area code, region code, region name.")  # fmt: skip
@click.option("--region-name", help="One region for every area without its own.")
def load(hexjson: str, regions_csv: str | None, region_name: str | None) -> None:
    """Replace the areas with a hub's own HexJSON map (each area with a parent region)."""
    from .services import areas

    try:
        counts = areas.load(hexjson, regions_csv, region_name)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"Loaded {counts['areas']} areas in {counts['regions']} regions.")


COMMANDS = [releases_cli, areas_cli]

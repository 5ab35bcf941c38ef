"""Command-line tools for the hub's wellbeing champions (`flask --app backend champions ...`)."""

import click
from flask.cli import AppGroup

from .services.problems import Problem

champions_cli = AppGroup("champions", help="Wellbeing champions: staff named for a service.")


@champions_cli.command("name")
@click.argument("username")
@click.option("--area", required=True, help="The service's area, as on the hub's map.")
@click.option("--setting", required=True, help="The service's setting code.")
@click.option("--display-name", required=True, help="A first name colleagues will see.")
@click.option("--reach", required=True, help="How colleagues may reach them, at first.")
def name(username: str, area: str, setting: str, display_name: str, reach: str) -> None:
    """Name a staff account a champion for a service (they can change the words later)."""
    from .services import champions

    try:
        champions.name(username, area, setting, display_name, reach)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"'{username}' is now the wellbeing champion for {area} / {setting}.")
    click.echo("They make their join code for colleagues in Settings, where it is shown to them.")


@champions_cli.command("list")
def list_champions() -> None:
    """Every champion: username, area, setting and display name (never who joined them)."""
    from .services import champions

    rows = champions.listed()
    if not rows:
        click.echo("No champions yet: `flask --app backend champions name USERNAME ...`.")
    for champion, username in rows:
        click.echo(f"{username}\t{champion.area}\t{champion.setting}\t{champion.display_name}")


@champions_cli.command("remove")
@click.argument("username")
def remove(username: str) -> None:
    """Stop an account being a champion: their codes stop; colleagues stay vouched."""
    from .services import champions

    try:
        champions.remove(username)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"'{username}' is no longer a wellbeing champion.")


COMMANDS = [champions_cli]

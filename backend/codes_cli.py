"""Command-line tools for the hub's join codes (`flask --app backend codes ...`)."""

import click
from flask.cli import AppGroup

from .services.problems import Problem

codes_cli = AppGroup("codes", help="Join codes: how the hub vouches for the area people work in.")


@codes_cli.command("issue")
@click.option("--area", required=True, help="The area's code, as on the hub's map.")
@click.option("--setting", help="A setting's code, for a code given to one service's staff.")
@click.option("--uses", type=click.IntRange(min=1), help="How many people may use it.")
@click.option("--days", type=click.IntRange(min=1), help="How many days it can be used for.")
@click.option("--label", help="A name for it in `codes list` (e.g. the team or service).")
def issue(area: str, setting: str | None, uses: int | None, days: int | None, label: str | None):
    """Make a join code. It is shown once: hand it to the team, then it is kept only hashed."""
    from .services import join_codes

    try:
        code, row = join_codes.issue(area, setting, uses, days, label)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    limits = [f"{uses} uses" if uses else "no use limit"]
    limits.append(f"until {row.expires_at:%Y-%m-%d %H:%M} UTC" if row.expires_at else "no expiry")
    click.echo(f"Join code {row.id} for {area}{' / ' + setting if setting else ''}: {code}")
    click.echo(f"({', '.join(limits)}; it is not shown again.)")


@codes_cli.command("list")
def list_codes() -> None:
    """Every code: its number, last group, area, setting, uses and state (never the code)."""
    from .services import join_codes

    rows = join_codes.listed()
    if not rows:
        click.echo("No join codes yet: `flask --app backend codes issue --area CODE`.")
    for row in rows:
        uses = f"{row.uses}/{row.max_uses}" if row.max_uses else f"{row.uses}"
        if row.champion_id is not None:
            # How many joined through a champion is shown only under the release rules.
            uses = "by a champion"
        click.echo(
            f"{row.id}\t...-{row.hint}\t{row.area}\t{row.setting or '-'}\tused {uses}\t"
            f"{join_codes.state(row)}\t{row.label or ''}"
        )


@codes_cli.command("revoke")
@click.argument("number", type=click.IntRange(min=1, max=2**31 - 1))
@click.option("--unvouch", is_flag=True, help="Also drop the vouching of everyone who used it.")
def revoke(number: int, unvouch: bool) -> None:
    """Stop a code's new uses (by its number in `codes list`)."""
    from .services import join_codes

    try:
        dropped = join_codes.revoke(number, unvouch)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(
        f"Join code {number} revoked."
        + (f" {dropped} people no longer vouched for." if unvouch else "")
    )


COMMANDS = [codes_cli]

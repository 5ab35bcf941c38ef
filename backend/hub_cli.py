"""Command-line tools for the hub's requests (`flask --app backend hub ...`)."""

import uuid

import click
from flask.cli import AppGroup

hub_cli = AppGroup("hub", help="Requests to talk to someone at the hub.")


@hub_cli.command("audit")
@click.option("--request", "request_id", type=click.UUID, help="Only this request's lines.")
def audit(request_id: uuid.UUID | None) -> None:
    """Print the audit log: when, which practitioner, which request, what they did."""
    from .services import hub

    lines = hub.log_of(request_id)
    for line in lines:
        who = line["practitioner"] or "(account since erased)"
        click.echo(f"{line['at']:%Y-%m-%d %H:%M:%S} UTC  {who}  {line['request_id']}  "
                   f"{line['action']}")  # fmt: skip
    if not lines:
        click.echo("No practitioner has opened a request yet.")


COMMANDS = (hub_cli,)

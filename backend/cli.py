"""Command-line tools for the hub administrator (`flask --app backend ...`)."""

import logging
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from .services import accounts
from .services.problems import Problem

users_cli = AppGroup("users", help="Accounts for researchers, practitioners and administrators.")
demo_cli = AppGroup("demo", help="Synthetic data for demos and benchmarks.")
jobs_cli = AppGroup("jobs", help="The scheduled jobs.")
keys_cli = AppGroup("keys", help="The keys in instance/.")
report_cli = AppGroup("report", help="Reports for the hub, every figure under the release rules.")


@users_cli.command("create-researcher")
@click.argument("username")
@click.password_option(help="Asked for when not given.")
def create_researcher(username: str, password: str) -> None:
    """Create a researcher account (reads published releases only)."""
    _create(username, password, "researcher")


@users_cli.command("create-practitioner")
@click.argument("username")
@click.password_option(help="Asked for when not given.")
def create_practitioner(username: str, password: str) -> None:
    """Create a hub practitioner account (reads the requests people send, nothing else)."""
    _create(username, password, "practitioner")


@users_cli.command("create-admin")
@click.argument("username")
@click.password_option(help="Asked for when not given.")
def create_admin(username: str, password: str) -> None:
    """Create an administrator account."""
    _create(username, password, "admin")


def _create(username: str, password: str, role: str) -> None:
    try:
        user = accounts.create_account(username, password, role)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"Created {role} account '{user.username}'.")
    _show_second_factor(user)


def _show_second_factor(user) -> None:
    details = accounts.enrol_second_factor_now(user)
    click.echo("This account signs in with a second step. Give the person, privately:")
    click.echo(f"  authenticator app link: {details['otpauth_uri']}")
    click.echo(f"  (or enter this key by hand: {details['secret']})")
    click.echo("  one-time recovery codes: " + "  ".join(details["recovery_codes"]))


@users_cli.command("reset-second-factor")
@click.argument("username")
def reset_second_factor(username: str) -> None:
    """Replace a person's second factor (when their phone is lost)."""
    user = accounts.find(username)
    if user is None:
        raise click.ClickException(f"There is no account '{username}'.")
    _show_second_factor(user)


def _example_resources(path: Path, wrote: bool) -> None:
    if wrote:
        click.echo(f"Wrote example contact details, marked as examples, to {path}, so the demo's")
        click.echo("Support screen has no dead end. Restart the app (make run) to show them.")
    else:
        click.echo(f"Kept {path} as it is: example contact details never replace a hub's own.")


@demo_cli.command("seed")
@click.option("--people", default=3000, show_default=True)
@click.option("--weeks", default=26, show_default=True)
@click.option("--seed", "random_seed", default=7, show_default=True)
def seed(people: int, weeks: int, random_seed: int) -> None:
    """Fill the database with a realistic synthetic population (development only)."""
    from flask import current_app

    from .services import demo

    if current_app.config["DIARY_ENV"] not in {"development", "test"}:
        raise click.ClickException("Demo data goes only into a development database.")
    _example_resources(*demo.write_example_resources(current_app.instance_path))
    try:
        counts = demo.seed_population(people=people, weeks=weeks, seed=random_seed)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"Seeded {counts['people']} people and {counts['entries']} check-ins.")
    weeks_released = counts["released_weeks"]
    click.echo(f"Published the releases of {weeks_released} weeks, as the scheduler would have.")
    click.echo(f"Areas under more strain lately: {', '.join(counts['strained_areas'])}.")


@jobs_cli.command("run")
def run_jobs() -> None:
    """Run the scheduler in this process until stopped (one such process per deployment)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from flask import current_app

    from .jobs import build_scheduler

    app = current_app._get_current_object()
    click.echo("Scheduler running; Ctrl+C to stop.")
    build_scheduler(app, BlockingScheduler).start()


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Back up the database to PATH (safe while the app runs)."""
    from .services import backup

    kind = backup.backup(path)
    click.echo(f"Backed up ({kind}) to {path}.")
    click.echo("Keep instance/note_key safe too: without it no note in the backup can be read.")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces everything in the database. Go on?")
def restore_command(path: Path) -> None:
    """Replace the database's contents with the backup at PATH."""
    from .services import backup

    try:
        kind = backup.restore(path)
    except Problem as problem:
        raise click.ClickException(problem.message) from None
    click.echo(f"Restored ({kind}) from {path}.")


@keys_cli.command("rotate-note-key")
@click.confirmation_option(prompt="Stop the app first. Re-seal every note under a new key?")
def rotate_note_key() -> None:
    """Re-seal every note, second-factor secret and request under a new key (app stopped)."""
    import os

    from .services.key_rotation import rotate_note_key as rotate

    counts = rotate()
    click.echo(
        f"Re-sealed {counts['notes']} notes, {counts['second_factors']} secrets and "
        f"{counts['hub_requests']} requests to the hub."
    )
    click.echo("The new key is in instance/note_key; the old one in instance/note_key.previous.")
    if os.environ.get("NOTE_KEY"):
        click.echo("NOTE_KEY is set in the environment: put the new key there before starting.")


@report_cli.command("evaluation")
@click.option("--months", type=click.Choice(["6", "12"]), default="6", show_default=True,
              help="How many whole calendar months, ending with last month.")  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the HTML; '-' for standard output. [default: "
              "evaluation-MONTHS-months-YYYY-MM-DD.html in the current folder]")  # fmt: skip
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]),
              help="Make the report as if on this day (e.g. to remake last month's).")  # fmt: skip
def evaluation_report(months: str, output: str | None, as_of) -> None:
    """Write the 6- or 12-month evaluation report: one self-contained HTML page."""
    from .services import evaluation

    try:
        figures = evaluation.evaluation(int(months), as_of.date() if as_of else None)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    html = evaluation.render(figures)
    if output == "-":
        click.echo(html, nl=False)
        return
    path = Path(output or evaluation.file_name(figures))
    path.write_text(html, encoding="utf-8")
    click.echo(f"Wrote the {months}-month evaluation report to {path}.", err=True)


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve for development, with the scheduled jobs in this one process."""
    from flask import current_app
    from werkzeug.serving import make_server

    from .jobs import start_scheduler
    from .services.releases import warn_if_dp_off
    from .services.reminders import vapid_key
    from .services.resources import warn_of_placeholders

    app = current_app._get_current_object()
    vapid_key(app)  # made in instance/ on the first run, never replaced
    warn_of_placeholders(app)
    warn_if_dp_off(app)
    # No request lines in the log (as under gunicorn): a URL can carry a check-in's id.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server(host, port, app, threaded=True)
    if app.config["SCHEDULER_ENABLED"]:
        start_scheduler(app)
    # The last start-up line, once the port is listening (with --port 0, the port chosen).
    address = f"http://{host}:{server.server_port}"
    origin = app.config["WEBAUTHN_ORIGIN"]
    # Browsers allow passkeys only at the one origin configured (never at 127.0.0.1).
    passkeys = "" if origin == address else f"; passkeys work at {origin}/"
    click.echo(f"Wellbeing Diary on {address}/ (Ctrl+C to stop){passkeys}")
    server.serve_forever()  # returns on Ctrl+C, closing the socket


def register_cli(app: Flask) -> None:
    from . import champions_cli, codes_cli, hub_cli, insights_cli
    from .reminders_cli import COMMANDS as reminder_commands

    for command in (serve, backup_command, restore_command):
        app.cli.add_command(command)
    for group in (
        users_cli,
        demo_cli,
        jobs_cli,
        keys_cli,
        report_cli,
        *reminder_commands,
        *insights_cli.COMMANDS,
        *codes_cli.COMMANDS,
        *hub_cli.COMMANDS,
        *champions_cli.COMMANDS,
    ):
        app.cli.add_command(group)

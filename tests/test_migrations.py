"""The migrations build exactly the schema the models describe, on every database."""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backend.extensions import db


def test_models_and_migrations_do_not_drift(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_database_is_at_the_single_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
        config = app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1
    assert set(current) == set(heads)


def test_accounts_made_before_0011_count_as_established(app_config):
    """Their contributions are in the tallies already: establishing them later would count
    them twice. Accounts made after it wait as every new account does."""
    from flask_migrate import downgrade, upgrade

    from backend import create_app

    app = create_app(app_config)
    with app.app_context():
        downgrade(revision="0010")
        db.session.execute(
            sa.text(
                "INSERT INTO users (username, password_hash, role, research_consent, "
                "research_consent_changed_at, session_version, created_at) VALUES "
                "('before', 'x', 'staff', true, :at, 1, :at)"
            ),
            {"at": datetime(2026, 1, 5, 12, tzinfo=UTC)},
        )
        db.session.commit()
        upgrade()
        row = db.session.execute(
            sa.text("SELECT established_at, signup_burst, join_code_id FROM users")
        ).one()
        db.session.remove()
        db.engine.dispose()
    assert row[0] is not None and not row[1] and row[2] is None

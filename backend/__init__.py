"""Wellbeing Diary: a private diary for care staff, and small-number-safe insights for hubs."""

import logging
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from . import config as config_module
from . import extensions
from .bodies import register_body_parsing
from .extensions import db, limiter, login_manager, migrate
from .keys import load_instance_secrets
from .services.dates import check_settings as check_date_settings
from .services.passkeys import check_settings as check_passkey_settings

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")
INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, environment, instance/config.py, then `test_config`."""
    instance = (test_config or {}).get("INSTANCE_PATH") or str(INSTANCE)
    app = Flask(__name__, instance_path=instance, instance_relative_config=True, static_folder=None)
    configure(app, test_config)
    register_body_parsing(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    app.config.update(config_module.from_environment(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    app.config.update(
        {
            k: v
            for k, v in config_module.fixed_settings(app.config["DIARY_ENV"]).items()
            if k not in (test_config or {})
        }
    )
    if not app.config.get("SECRET_KEY") or not app.config.get("NOTE_KEY"):
        app.config.update(
            {
                k: v
                for k, v in load_instance_secrets(app.instance_path).items()
                if not app.config.get(k)
            }
        )
    if app.config["PRIVACY_K"] < config_module.MIN_K:
        raise RuntimeError(
            f"PRIVACY_K is {app.config['PRIVACY_K']}, but it may never be below "
            f"{config_module.MIN_K}: smaller groups could single people out."
        )
    check_date_settings(app.config)
    check_passkey_settings(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.sqlalchemy_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    for key, value in config_module.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]).items():
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault(key, value)
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    # If Redis goes away, throttle per process rather than fail sign-ins.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


def trust_proxies(app: Flask) -> None:
    """Behind TLS-terminating proxies, take the scheme, host and client address from them."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # What is deleted is overwritten with zeros, so an erased person leaves no copy in free
    # space (sql.leave_no_copy() then empties the write-ahead log).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    limiter.init_app(app)
    # Imported as extensions.api: the name `api` in this package is the backend.api package.
    extensions.api.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import guards, sessions, web
    from .api import (
        auth,
        champions,
        docs,
        entries,
        evaluation,
        hub,
        insights,
        me,
        passkeys,
        push,
        resources,
        taxonomy,
        throttle,
        wellbeing,
    )

    modules = (auth, passkeys, entries, me, champions, taxonomy, push, insights, resources)
    modules = (*modules, wellbeing, hub)
    for module in (*modules, evaluation):
        extensions.api.register_blueprint(module.blp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(web.bp)
    guards.register_guards(app)
    sessions.register_session_rules(app)
    throttle.note_views_without_limits(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from .cli import register_cli

    register_cli(app)

"""Settings come from the environment, with the embedded defaults when it says nothing."""

import pytest

from backend import config
from backend.extensions import db


def test_optional_settings_are_read_only_when_set(monkeypatch, tmp_path):
    for name in (*config.OPTIONAL_INTS, *config.OPTIONAL_FLOATS, "RELEASE_OPEN_WEEKS"):
        monkeypatch.delenv(name, raising=False)
    settings = config.from_environment(str(tmp_path))
    assert settings["RELEASE_OPEN_WEEKS"] == 2
    assert not set(config.OPTIONAL_INTS + config.OPTIONAL_FLOATS) & set(settings)

    monkeypatch.setenv("RELEASE_OPEN_WEEKS", "1")
    monkeypatch.setenv("DP_FIGURE_EPSILON", "2.5")
    monkeypatch.setenv("SESSION_IDLE_MINUTES_STAFF", "60")
    settings = config.from_environment(str(tmp_path))
    assert settings["RELEASE_OPEN_WEEKS"] == 1
    assert settings["DP_FIGURE_EPSILON"] == 2.5
    assert settings["SESSION_IDLE_MINUTES_STAFF"] == 60
    assert "DP_YEARLY_EPSILON" not in settings


def test_differential_privacy_is_on_unless_turned_off_in_so_many_words(monkeypatch, tmp_path):
    monkeypatch.delenv("DP_ENABLED", raising=False)
    assert config.from_environment(str(tmp_path))["DP_ENABLED"] is True
    monkeypatch.setenv("DP_ENABLED", "0")
    assert config.from_environment(str(tmp_path))["DP_ENABLED"] is False


def test_the_old_per_release_epsilon_stops_start_up(monkeypatch, tmp_path):
    # Read as a per-figure epsilon, an old DP_EPSILON would mean far less noise.
    monkeypatch.setenv("DP_EPSILON", "1")
    with pytest.raises(ValueError, match="DP_FIGURE_EPSILON"):
        config.from_environment(str(tmp_path))


def test_a_setting_that_is_not_a_number_stops_start_up(monkeypatch, tmp_path):
    monkeypatch.setenv("DP_FIGURE_EPSILON", "plenty")
    with pytest.raises(ValueError):
        config.from_environment(str(tmp_path))


def test_postgres_connections_are_checked_and_time_out():
    options = config.engine_options("postgresql+psycopg://postgres@127.0.0.1/test")
    assert options == {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}
    assert config.engine_options("sqlite:////tmp/x.sqlite3") == {}


def test_the_app_uses_the_engine_options(app, database_url):
    with app.app_context():
        assert db.engine.pool._pre_ping is database_url.startswith("postgresql")

"""Configuration: production refuses to start without its secrets; env parsing is strict."""

import json

import pytest

import config
import config_env
from app import create_app
from config import ConfigError, DevelopmentConfig, ProductionConfig


def test_production_refuses_without_secrets_and_names_them(monkeypatch):
    for name in ProductionConfig.REQUIRED_IN_PRODUCTION:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError) as excinfo:
        create_app(ProductionConfig)
    message = str(excinfo.value)
    assert "SECRET_KEY" not in message
    for name in ("FIELD_ENCRYPTION_KEY", "DATABASE_URL", "PRIVACY_OFFICER_EMAIL", "PRIVACY_CONSIGNEES"):
        assert name in message


def test_production_starts_when_everything_is_given(monkeypatch):
    for name in ProductionConfig.REQUIRED_IN_PRODUCTION:
        monkeypatch.setenv(name, "value")
    ProductionConfig.prepare()  # does not raise


def test_development_generates_and_keeps_throwaway_secrets(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    unset = dict.fromkeys(config.DEV_GENERATED_SECRETS)
    fresh = type("FreshDev", (DevelopmentConfig,), dict(unset))
    notes = fresh.prepare()
    assert len(notes) == 3 and all("throwaway" in note for note in notes)
    store = tmp_path / "dev-secrets.json"
    assert store.stat().st_mode & 0o777 == 0o600
    saved = json.loads(store.read_text())
    assert saved["SECRET_KEY"] == fresh.SECRET_KEY and len(fresh.SECRET_KEY) >= 32
    again = type("AgainDev", (DevelopmentConfig,), dict(unset))
    assert again.prepare() == []
    assert again.SECRET_KEY == fresh.SECRET_KEY


@pytest.mark.parametrize(
    ("name", "value", "reader"),
    [
        ("X_INT", "twelve", lambda: config.env_int("X_INT", 1)),
        ("X_BOOL", "maybe", lambda: config.env_bool("X_BOOL", True)),
        ("X_JSON", "{not json", lambda: config.env_json_list("X_JSON", [])),
        ("X_JSON", '{"a": 1}', lambda: config.env_json_list("X_JSON", [])),
    ],
)
def test_bad_environment_values_are_clear_errors(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        reader()


def test_unknown_app_env_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError, match="APP_ENV"):
        config.config_from_env()


def test_retention_periods_read_from_environment(monkeypatch):
    monkeypatch.setenv("RETENTION_MONTHS_ACCESS_LOG", "36")
    months = config.retention_months()
    assert months["access_log"] == 36
    assert months["contract"] == 60 and months["advertising"] == 6


def test_retention_period_must_be_positive(monkeypatch):
    monkeypatch.setenv("RETENTION_MONTHS_ADVERTISING", "0")
    with pytest.raises(ConfigError, match="RETENTION_MONTHS_ADVERTISING"):
        config.retention_months()


def test_production_trusts_only_its_own_host(monkeypatch):
    for name in ProductionConfig.REQUIRED_IN_PRODUCTION:
        monkeypatch.setenv(name, "value")
    monkeypatch.setenv("SERVER_NAME", "usnaper.example")
    monkeypatch.setenv("PRIVACY_CONSIGNEES", "[]")
    ProductionConfig.prepare()
    assert ProductionConfig.TRUSTED_HOSTS == ["usnaper.example"]


@pytest.mark.parametrize(
    "raw",
    [[{"name": "Mail Co."}], [{"name": "", "task_ko": "발송", "task_en": "Sending"}]],
)
def test_consignees_need_a_name_and_both_task_descriptions(raw):
    with pytest.raises(ConfigError, match=r"PRIVACY_CONSIGNEES\[0\]"):
        config_env.consignee_list(raw)


def test_demo_content_is_for_development_only():
    assert DevelopmentConfig.DEMO_CONTENT_ALLOWED and not ProductionConfig.DEMO_CONTENT_ALLOWED

"""`flask check-deploy`: a production-ready configuration passes; each unsafe setting fails with its line."""

import json
from datetime import timedelta

import pytest

from app import create_app
from config import ProductionConfig
from services.deploy_checks import ERROR, WARNING, check_settings, development_secrets

# Random-looking, distinct, 32+ characters: what `secrets.token_urlsafe(32)` would give.
KEYS = {
    "SECRET_KEY": "Zq8v3LpN0wX4rT7yB2mK9dF5hJ1sG6cA-e",
    "FIELD_ENCRYPTION_KEY": "u7Yb2Kx9Qm4Lr1Tz6Wc3Vn8Hp5Sd0Fg_Ja",
    "PSEUDONYM_KEY": "N4eR7tY1uI9oP3aS6dF2gH8jK5lZ0xC-vB",
}
PRODUCTION_LIKE = KEYS | {
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://usnaper@db/usnaper",
    "SQLALCHEMY_BINDS": {"dormant": "postgresql+psycopg://usnaper@db/usnaper_dormant"},
    "REDIS_URL": "redis://redis:6379/0",
    "RATELIMIT_STORAGE_URI": "redis://redis:6379/0",
    "SERVER_NAME": "usnaper.kr",
    "MAIL_SERVER": "smtp.usnaper.kr",
    "MAIL_DEFAULT_SENDER": "USNAPER <no-reply@usnaper.kr>",
    "PRIVACY_OFFICER_NAME": "홍길동",
    "PRIVACY_OFFICER_DEPARTMENT": "개인정보보호팀",
    "PRIVACY_OFFICER_PHONE": "02-1234-5678",
    "PRIVACY_OFFICER_EMAIL": "privacy@usnaper.kr",
    "PRIVACY_CONSIGNEES": [],
}


@pytest.fixture
def production_app(monkeypatch):
    """Factory: an app built from ProductionConfig (its own start-up checks included) plus overrides."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    for name in ProductionConfig.REQUIRED_IN_PRODUCTION:
        monkeypatch.setenv(name, "given")
    monkeypatch.setenv("SERVER_NAME", PRODUCTION_LIKE["SERVER_NAME"])

    def make(**overrides):
        return create_app(type("DeployConfig", (ProductionConfig,), PRODUCTION_LIKE | overrides))

    return make


@pytest.fixture
def clean_settings(production_app) -> dict:
    """The complete configuration of a production-ready app, as a plain mapping."""
    return dict(production_app().config)


def check_deploy(app):
    return app.test_cli_runner().invoke(args=["check-deploy"])


def test_a_production_ready_configuration_passes(production_app):
    result = check_deploy(production_app())
    assert result.exit_code == 0, result.output
    assert result.output == "OK\n"


def test_the_checks_find_nothing_in_a_production_ready_configuration(clean_settings):
    assert check_settings(clean_settings, development_secrets()) == []


@pytest.mark.parametrize(
    ("overrides", "setting", "message"),
    [
        ({"DEBUG": True}, "DEBUG", "debug mode is on"),
        ({"TESTING": True}, "TESTING", "testing mode is on"),
        ({"SECRET_KEY": None}, "SECRET_KEY", "not set"),
        ({"SECRET_KEY": KEYS["SECRET_KEY"][:31]}, "SECRET_KEY", "too short or too simple"),
        ({"SECRET_KEY": "x" * 64}, "SECRET_KEY", "too short or too simple"),
        ({"SECRET_KEY": "test-secret-key"}, "SECRET_KEY", "a known development, test or example value"),
        ({"SECRET_KEY": "changeme"}, "SECRET_KEY", "a known development, test or example value"),
        ({"FIELD_ENCRYPTION_KEY": None}, "FIELD_ENCRYPTION_KEY", "not set"),
        ({"FIELD_ENCRYPTION_KEY": KEYS["SECRET_KEY"]}, "FIELD_ENCRYPTION_KEY", "the same as SECRET_KEY"),
        ({"PSEUDONYM_KEY": None}, "PSEUDONYM_KEY", "not set"),
        ({"PSEUDONYM_KEY": KEYS["SECRET_KEY"]}, "PSEUDONYM_KEY", "the same as SECRET_KEY"),
        (
            {"PSEUDONYM_KEY": KEYS["FIELD_ENCRYPTION_KEY"]},
            "PSEUDONYM_KEY",
            "the same as FIELD_ENCRYPTION_KEY",
        ),
        ({"PSEUDONYM_KEY": "test-pseudonym-key"}, "PSEUDONYM_KEY", "a known development"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE", "not Secure"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY", "not HttpOnly"),
        ({"SESSION_COOKIE_SAMESITE": None}, "SESSION_COOKIE_SAMESITE", "not SameSite=Lax or Strict"),
        ({"REMEMBER_COOKIE_SECURE": False}, "REMEMBER_COOKIE_SECURE", "not Secure"),
        ({"SESSION_COOKIE_NAME": "session"}, "SESSION_COOKIE_NAME", "lacks the __Host- prefix"),
        ({"SESSION_COOKIE_DOMAIN": "usnaper.kr"}, "SESSION_COOKIE_DOMAIN", "names a Domain"),
        ({"WTF_CSRF_ENABLED": False}, "WTF_CSRF_ENABLED", "CSRF protection is off"),
        ({"HSTS_SECONDS": 0}, "HSTS_SECONDS", "Strict-Transport-Security is off or under a year"),
        (
            {"HSTS_SECONDS": 30 * 24 * 3600},
            "HSTS_SECONDS",
            "Strict-Transport-Security is off or under a year",
        ),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:///instance/usnaper.db"}, "DATABASE_URL", "SQLite"),
        ({"SQLALCHEMY_BINDS": {"dormant": "sqlite://"}}, "DORMANT_DATABASE_URL", "SQLite"),
        ({"MAIL_SERVER": None, "MAIL_CONSOLE": True}, "MAIL_SERVER", "printed to the console"),
        ({"MAIL_DEFAULT_SENDER": "USNAPER <no-reply@usnaper.example>"}, "MAIL_DEFAULT_SENDER", "reserved"),
        ({"PREFERRED_URL_SCHEME": "http"}, "PREFERRED_URL_SCHEME", "would not use https"),
        ({"SERVER_NAME": None}, "SERVER_NAME", "no public host name"),
        ({"PRIVACY_OFFICER_NAME": None}, "PRIVACY_OFFICER_NAME", "missing or a demo value"),
        ({"PRIVACY_OFFICER_DEPARTMENT": "개인정보보호팀(데모)"}, "PRIVACY_OFFICER_DEPARTMENT", "demo value"),
        ({"PRIVACY_OFFICER_PHONE": ""}, "PRIVACY_OFFICER_PHONE", "missing or a demo value"),
        ({"PRIVACY_OFFICER_EMAIL": "privacy@usnaper.example"}, "PRIVACY_OFFICER_EMAIL", "demo value"),
        (
            {"PRIVACY_CONSIGNEES": [{"name": "Example Mail Delivery Co. (demo)"}]},
            "PRIVACY_CONSIGNEES",
            "demo",
        ),
        ({"DEMO_CONTENT_ALLOWED": True}, "DEMO_CONTENT_ALLOWED", "publishes passwords"),
        ({"RATELIMIT_ENABLED": False}, "RATELIMIT_ENABLED", "rate limits are off"),
        ({"STAFF_TWO_STEP_REQUIRED": False}, "STAFF_TWO_STEP_REQUIRED", "two-step sign-in is not required"),
    ],
)
def test_each_unsafe_setting_is_an_error_with_its_line(clean_settings, overrides, setting, message):
    problems = check_settings(clean_settings | overrides, development_secrets())
    assert [(problem.level, problem.setting) for problem in problems] == [(ERROR, setting)]
    assert problems[0].line().startswith(f"ERROR {setting}: ") and message in problems[0].line()


@pytest.mark.parametrize(
    ("overrides", "setting"),
    [
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"PROXY_HOPS": 0}, "PROXY_HOPS"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI"),
        ({"LANGUAGE_COOKIE_NAME": "lang"}, "LANGUAGE_COOKIE_NAME"),
        ({"MAIL_USE_TLS": False, "MAIL_USE_SSL": False}, "MAIL_USE_TLS"),
        ({"PERMANENT_SESSION_LIFETIME": timedelta(days=31)}, "SESSION_LIFETIME_HOURS"),
    ],
)
def test_questionable_settings_are_warnings(clean_settings, overrides, setting):
    problems = check_settings(clean_settings | overrides, development_secrets())
    assert [(problem.level, problem.setting) for problem in problems] == [(WARNING, setting)]


def test_the_command_prints_one_line_per_problem_and_fails(production_app):
    result = check_deploy(production_app(SESSION_COOKIE_SECURE=False, HSTS_SECONDS=0, REDIS_URL=None))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "ERROR SESSION_COOKIE_SECURE: the session cookie is not Secure: it would travel over plain HTTP",
        "ERROR HSTS_SECONDS: Strict-Transport-Security is off or under a year (31536000): "
        "browsers would accept HTTP",
        "WARNING REDIS_URL: no Redis: jobs run in the web processes; OS cron must run "
        "`flask jobs relay` and `jobs run-daily`",
    ]


def test_warnings_alone_pass(production_app):
    result = check_deploy(production_app(REDIS_URL=None))
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "OK (1 warning)"


def test_flask_debug_in_the_environment_fails(production_app, monkeypatch):
    app = production_app()
    monkeypatch.setenv("FLASK_DEBUG", "1")  # what a production app left to Flask would run with
    result = check_deploy(app)
    assert result.exit_code == 1 and result.output.startswith("ERROR DEBUG: debug mode is on")


def test_the_test_configuration_fails_and_no_secret_is_printed(app, runner):
    result = runner.invoke(args=["check-deploy"])
    assert result.exit_code == 1
    expected = ["TESTING", "SECRET_KEY", "MAIL_SERVER", "SESSION_COOKIE_SECURE"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):  # the PostgreSQL run passes this one
        expected.append("DATABASE_URL")
    for setting in expected:
        assert f"ERROR {setting}: " in result.output
    for secret in ("test-secret-key", "test-field-key", "test-pseudonym-key"):
        assert secret not in result.output


def test_this_machines_development_secrets_are_known(tmp_path, clean_settings):
    store = tmp_path / "dev-secrets.json"
    store.write_text(json.dumps({"SECRET_KEY": KEYS["SECRET_KEY"]}))
    problems = check_settings(clean_settings, development_secrets(store))
    assert [problem.line() for problem in problems] == [
        "ERROR SECRET_KEY: a known development, test or example value"
    ]

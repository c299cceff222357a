"""The settings a production deployment must not have, as data (like Django's `check --deploy`).

`flask check-deploy` runs these against the loaded configuration. Each problem is
one line naming the environment variable to fix; errors fail the command,
warnings are printed and let it pass. No message ever shows a secret's value.
"""

import json
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

import config

ERROR, WARNING = "error", "warning"

SECRET_SETTINGS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "PSEUDONYM_KEY")
MIN_SECRET_LENGTH = 32
# "x" * 40 is long but guessable: a random key of 32+ characters has far more distinct ones.
MIN_SECRET_DISTINCT = 8
# What people paste from examples and tutorials; the test suite's keys are added below.
PLACEHOLDER_SECRETS = frozenset(
    {"...", "changeme", "change-me", "change_me", "dev", "development", "secret", "test", "value"}
)
ONE_YEAR_SECONDS = 365 * 24 * 3600
LONGEST_SESSION_HOURS = 24
PRIVACY_OFFICER_SETTINGS = (
    "PRIVACY_OFFICER_NAME",
    "PRIVACY_OFFICER_DEPARTMENT",
    "PRIVACY_OFFICER_PHONE",
    "PRIVACY_OFFICER_EMAIL",
)
# Development fills these with marked demo values; mail to or from a reserved domain never arrives.
DEMO_MARKERS = ("(demo)", "(데모)")
RESERVED_DOMAINS = (".example", ".test", ".invalid", ".localhost")


@dataclass(frozen=True)
class Problem:
    """One unsafe setting: its level, the variable to change, and why."""

    level: str
    setting: str
    message: str

    def line(self) -> str:
        """The one line the command prints for it."""
        return f"{self.level.upper()} {self.setting}: {self.message}"


@dataclass(frozen=True)
class Check:
    """A setting, the test that finds it unsafe, and what to say about it."""

    setting: str
    unsafe: Callable[[Mapping[str, Any]], bool]
    message: str
    level: str = ERROR


def _is_sqlite(url: str | None) -> bool:
    try:
        return url is None or make_url(url).get_backend_name() == "sqlite"
    except ArgumentError:
        return True  # not a usable URL either


def _reserved_address(value: str | None) -> bool:
    domain = (value or "").rstrip(">").rpartition("@")[2].strip().lower()
    return domain.endswith(RESERVED_DOMAINS)


def _seconds(value: timedelta | int | None) -> float:
    """Flask takes a lifetime as a timedelta or as seconds."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value or 0)


def _demo_value(value: Any) -> bool:
    return any(marker in str(value) for marker in DEMO_MARKERS)


CHECKS = (
    Check(
        "DEBUG",
        lambda c: bool(c.get("DEBUG")),
        "debug mode is on: errors would show code and data (unset FLASK_DEBUG, use APP_ENV=production)",
    ),
    Check(
        "TESTING",
        lambda c: bool(c.get("TESTING")),
        "testing mode is on: this is the test configuration, not production's",
    ),
    Check(
        "WTF_CSRF_ENABLED",
        lambda c: not c.get("WTF_CSRF_ENABLED", True),
        "CSRF protection is off: other sites could submit forms in a member's name",
    ),
    Check(
        "DEMO_CONTENT_ALLOWED",
        lambda c: bool(c.get("DEMO_CONTENT_ALLOWED")),
        "demo content is allowed: `flask demo load` publishes passwords, a privacy officer's among them",
    ),
    Check(
        "SESSION_COOKIE_SECURE",
        lambda c: not c.get("SESSION_COOKIE_SECURE"),
        "the session cookie is not Secure: it would travel over plain HTTP",
    ),
    Check(
        "SESSION_COOKIE_HTTPONLY",
        lambda c: not c.get("SESSION_COOKIE_HTTPONLY"),
        "the session cookie is not HttpOnly: page scripts could read it",
    ),
    Check(
        "SESSION_COOKIE_SAMESITE",
        lambda c: c.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"),
        "the session cookie is not SameSite=Lax or Strict: other sites' requests would carry it",
    ),
    Check(
        "SESSION_COOKIE_NAME",
        lambda c: not str(c.get("SESSION_COOKIE_NAME")).startswith("__Host-"),
        "the session cookie name lacks the __Host- prefix: a sibling subdomain could plant or overwrite it",
    ),
    Check(
        "SESSION_COOKIE_DOMAIN",
        lambda c: bool(c.get("SESSION_COOKIE_DOMAIN")),
        "the session cookie names a Domain: subdomains would receive it (and a __Host- cookie is refused)",
    ),
    Check(
        "LANGUAGE_COOKIE_NAME",
        lambda c: not str(c.get("LANGUAGE_COOKIE_NAME")).startswith("__Host-"),
        "the language cookie name lacks the __Host- prefix: a sibling subdomain could overwrite it",
        WARNING,
    ),
    Check(
        "REMEMBER_COOKIE_SECURE",
        lambda c: not c.get("REMEMBER_COOKIE_SECURE"),
        "the remember-me cookie is not Secure: it would travel over plain HTTP",
    ),
    Check(
        "SESSION_LIFETIME_HOURS",
        lambda c: _seconds(c.get("PERMANENT_SESSION_LIFETIME")) > LONGEST_SESSION_HOURS * 3600,
        f"a sign-in lasts longer than {LONGEST_SESSION_HOURS} hours",
        WARNING,
    ),
    Check(
        "HSTS_SECONDS",
        lambda c: (c.get("HSTS_SECONDS") or 0) < ONE_YEAR_SECONDS,
        f"Strict-Transport-Security is off or under a year ({ONE_YEAR_SECONDS}): browsers would accept HTTP",
    ),
    Check(
        "PREFERRED_URL_SCHEME",
        lambda c: c.get("PREFERRED_URL_SCHEME") != "https",
        "links in e-mail would not use https",
    ),
    Check(
        "SERVER_NAME",
        lambda c: not c.get("SERVER_NAME"),
        "no public host name: links in e-mail and the Host header check need it",
    ),
    Check(
        "PROXY_HOPS",
        lambda c: not c.get("PROXY_HOPS"),
        "no proxy is trusted: behind a TLS proxy every visitor would share the proxy's address and scheme",
        WARNING,
    ),
    Check(
        "DATABASE_URL",
        lambda c: _is_sqlite(c.get("SQLALCHEMY_DATABASE_URI")),
        "the database is SQLite: production needs PostgreSQL",
    ),
    Check(
        "DORMANT_DATABASE_URL",
        lambda c: _is_sqlite((c.get("SQLALCHEMY_BINDS") or {}).get("dormant")),
        "the dormant store is SQLite: production needs PostgreSQL",
    ),
    Check(
        "REDIS_URL",
        lambda c: not c.get("REDIS_URL"),
        "no Redis: jobs run in the web processes; OS cron must run `flask jobs relay` and `jobs run-daily`",
        WARNING,
    ),
    Check(
        "STAFF_TWO_STEP_REQUIRED",
        lambda c: not c.get("STAFF_TWO_STEP_REQUIRED", True),
        "staff can open other people's data with a password alone: two-step sign-in is not required",
    ),
    Check(
        "RATELIMIT_ENABLED",
        lambda c: not c.get("RATELIMIT_ENABLED", True),
        "rate limits are off: sign-in, signup and every form that writes could be flooded",
    ),
    Check(
        "RATELIMIT_STORAGE_URI",
        lambda c: str(c.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"),
        "rate limits are counted in each process's memory: every worker and machine multiplies them"
        " (set REDIS_URL or RATELIMIT_STORAGE_URI)",
        WARNING,
    ),
    Check(
        "MAIL_SERVER",
        lambda c: not c.get("MAIL_SERVER"),
        "no SMTP server: e-mail would be printed to the console, or not sent at all",
    ),
    Check(
        "MAIL_USE_TLS",
        lambda c: bool(c.get("MAIL_SERVER")) and not (c.get("MAIL_USE_TLS") or c.get("MAIL_USE_SSL")),
        "SMTP without TLS or SSL: mail and MAIL_PASSWORD would cross the network in the clear",
        WARNING,
    ),
    Check(
        "MAIL_DEFAULT_SENDER",
        lambda c: _reserved_address(c.get("MAIL_DEFAULT_SENDER")),
        "the From address is in a reserved example domain: mail from it would be refused",
    ),
    *(
        Check(
            name,
            lambda c, name=name: (
                not c.get(name)
                or _demo_value(c[name])
                or (name.endswith("EMAIL") and _reserved_address(c[name]))
            ),
            "the privacy officer's contact is missing or a demo value: the policy and every footer show it",
        )
        for name in PRIVACY_OFFICER_SETTINGS
    ),
    Check(
        "PRIVACY_CONSIGNEES",
        lambda c: any(_demo_value(item.get("name")) for item in c.get("PRIVACY_CONSIGNEES") or []),
        "the outsourced processors are the demo list: the policy would name companies that do not exist",
    ),
)


def development_secrets(store: Path | None = None) -> frozenset[str]:
    """Secrets known not to be secret: examples, the test suite's, and this machine's development store."""
    known = set(PLACEHOLDER_SECRETS) | {getattr(config.TestingConfig, name) for name in SECRET_SETTINGS}
    store = store or config.INSTANCE_DIR / "dev-secrets.json"
    if store.exists():
        # Unreadable: nothing more is known, and the other checks still run.
        with suppress(OSError, ValueError, AttributeError):
            known |= {str(value) for value in json.loads(store.read_text()).values()}
    return frozenset(known)


def secret_problems(settings: Mapping[str, Any], known: frozenset[str]) -> list[Problem]:
    """Keys that are missing, known, guessable, or shared: each key must be its own and random."""
    problems = []
    for name in SECRET_SETTINGS:
        value = settings.get(name)
        if not value:
            problems.append(Problem(ERROR, name, "not set"))
        elif value in known:
            problems.append(Problem(ERROR, name, "a known development, test or example value"))
        elif len(value) < MIN_SECRET_LENGTH or len(set(value)) < MIN_SECRET_DISTINCT:
            problems.append(
                Problem(
                    ERROR,
                    name,
                    f"too short or too simple: use at least {MIN_SECRET_LENGTH} random characters",
                )
            )
    for first, second in combinations(SECRET_SETTINGS, 2):
        if settings.get(first) and settings.get(first) == settings.get(second):
            problems.append(Problem(ERROR, second, f"the same as {first}: each key must be its own"))
    return problems


def check_settings(settings: Mapping[str, Any], known_secrets: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem a production deployment with these settings would have, errors first."""
    problems = secret_problems(settings, known_secrets)
    problems += [
        Problem(check.level, check.setting, check.message) for check in CHECKS if check.unsafe(settings)
    ]
    return sorted(problems, key=lambda problem: problem.level != ERROR)

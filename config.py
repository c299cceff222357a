"""Settings for every environment, read from environment variables in one place.

Every promise the privacy policy makes that carries a number (age limit, dormancy
period, notice periods, retention periods) is a setting here, so the policy page,
the jobs and the checks all read the same value.
"""

import json
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from config_env import (
    ConfigError,
    consignee_list,
    env_bool,
    env_int,
    env_json_list,
    env_list,
    env_str,
    mail_sender,
    rate_limit,
    rate_limit_storage,
)

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


# Retention periods in months (SPEC §5); each can be overridden by
# RETENTION_MONTHS_<KEY>, e.g. RETENTION_MONTHS_ACCESS_LOG=24.
DEFAULT_RETENTION_MONTHS = {
    "contract": 60,
    "payment": 60,
    "complaint": 36,
    "access_log": 24,
    "event_tax": 60,
    "illegal_use": 36,
    "advertising": 6,
    "staff_access_log": 24,
}

# Example processors for development; production sets PRIVACY_CONSIGNEES.
DEMO_CONSIGNEES = [
    {
        "name": "Example Mail Delivery Co. (demo)",
        "task_ko": "이메일 발송",
        "task_en": "Sending e-mail",
    },
    {
        "name": "Example Cloud Hosting Co. (demo)",
        "task_ko": "서버 운영 및 데이터 보관",
        "task_en": "Server hosting and data storage",
    },
]


def retention_months() -> dict[str, int]:
    """Retention periods in months: SPEC's defaults, each overridable by environment."""
    months = {}
    for key, default in DEFAULT_RETENTION_MONTHS.items():
        value = env_int(f"RETENTION_MONTHS_{key.upper()}", default)
        if value < 1:
            raise ConfigError(f"RETENTION_MONTHS_{key.upper()} must be at least 1")
        months[key] = value
    return months


# Settings whose values the privacy policy states. Each policy version keeps the
# values it was published with; `flask policies sync` reports any drift.
PROMISE_SETTINGS = (
    "MIN_SIGNUP_AGE",
    "DORMANCY_MONTHS",
    "DORMANCY_NOTICE_DAYS",
    "POLICY_NOTICE_DAYS_GENERAL",
    "POLICY_NOTICE_DAYS_IMPORTANT",
    "TEMPORARY_MEASURE_DAYS",
    "MARKETING_REMINDER_YEARS",
    "MARKETING_NIGHT_START",
    "MARKETING_NIGHT_END",
    "RETENTION_MONTHS",
)


class Config:
    """Settings shared by every environment."""

    # `flask demo load` publishes passwords (a privacy officer's among them): never in production.
    DEMO_CONTENT_ALLOWED = False

    SECRET_KEY = env_str("SECRET_KEY")
    # Keys the pseudonymous hashes (retention subjects, access-log addresses). Kept apart from
    # SECRET_KEY so rotating the session key does not break the links retention relies on.
    PSEUDONYM_KEY = env_str("PSEUDONYM_KEY")
    FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
    SQLALCHEMY_DATABASE_URI = env_str("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'usnaper.db'}")
    # Dormant members' personal data lives apart from the live tables, in its own database (SPEC §6).
    SQLALCHEMY_BINDS = {
        "dormant": env_str("DORMANT_DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'usnaper-dormant.db'}")
    }
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # How long a worker trusts its copy of the upcoming policy changes (the banner on every page).
    # Announcing through the site clears the announcing worker's copy at once; other workers see
    # it within this many seconds, well inside the shortest notice period (days).
    POLICY_BANNER_CACHE_SECONDS = env_int("POLICY_BANNER_CACHE_SECONDS", 60)
    # How long a process trusts its copy of data only a deploy step changes (`flask boards sync`).
    REFERENCE_CACHE_SECONDS = env_int("REFERENCE_CACHE_SECONDS", 60)
    # Visits are written in batches (services/access_log.py): this many rows, or the oldest this old,
    # whichever comes first; 1 commits each visit before its response leaves. SQLite writes through.
    ACCESS_LOG_BATCH = env_int("ACCESS_LOG_BATCH", 50)
    ACCESS_LOG_FLUSH_MS = env_int("ACCESS_LOG_FLUSH_MS", 1000)
    # Rendered page pieces each process keeps (blueprints/fragments.py), a few KB each.
    FRAGMENT_CACHE_ENTRIES = env_int("FRAGMENT_CACHE_ENTRIES", 2000)
    # With Redis, jobs go to RQ workers; without it they run in-process after the commit.
    REDIS_URL = env_str("REDIS_URL")
    SERVER_NAME = env_str("SERVER_NAME")
    PREFERRED_URL_SCHEME = env_str("PREFERRED_URL_SCHEME", "http")
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)

    MAIL_SERVER = env_str("MAIL_SERVER")
    MAIL_PORT = env_int("MAIL_PORT", 587)
    MAIL_USERNAME = env_str("MAIL_USERNAME")
    MAIL_PASSWORD = env_str("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", True)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = mail_sender(env_str("MAIL_DEFAULT_SENDER", "USNAPER <no-reply@usnaper.example>"))
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 30)
    # Without MAIL_SERVER, print mail to the console (development and tests only).
    MAIL_CONSOLE = False

    # The outbox: how often delivery is tried, how long a claimed message may stay
    # unfinished before another worker takes it over, and when the relay steps in.
    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
    OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
    OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
    OUTBOX_RELAY_AFTER_SECONDS = env_int("OUTBOX_RELAY_AFTER_SECONDS", 60)
    PURGE_BATCH_SIZE = env_int("PURGE_BATCH_SIZE", 1000)
    # An answered complaint nobody followed up closes after this many days (its 3 years start then).
    COMPLAINT_CLOSE_AFTER_DAYS = env_int("COMPLAINT_CLOSE_AFTER_DAYS", 30)
    # Members per transaction when one e-mail goes to many (policy notices, campaigns, breach notices).
    FANOUT_BATCH_SIZE = env_int("FANOUT_BATCH_SIZE", 500)
    # Sent and failed e-mails (addresses, context) are deleted this many days after queueing.
    OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)

    LANGUAGES = ("ko", "en")
    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGE_COOKIE_NAME = "lang"
    LANGUAGE_COOKIE_DAYS = 365

    # The numbers the privacy policy states (SPEC §3, §6, §9, §10, §12).
    MIN_SIGNUP_AGE = env_int("MIN_SIGNUP_AGE", 14)
    DORMANCY_MONTHS = env_int("DORMANCY_MONTHS", 18)
    DORMANCY_NOTICE_DAYS = env_int("DORMANCY_NOTICE_DAYS", 30)
    POLICY_NOTICE_DAYS_GENERAL = env_int("POLICY_NOTICE_DAYS_GENERAL", 7)
    POLICY_NOTICE_DAYS_IMPORTANT = env_int("POLICY_NOTICE_DAYS_IMPORTANT", 30)
    TEMPORARY_MEASURE_DAYS = env_int("TEMPORARY_MEASURE_DAYS", 30)
    MARKETING_REMINDER_YEARS = env_int("MARKETING_REMINDER_YEARS", 2)
    MARKETING_NIGHT_START = env_str("MARKETING_NIGHT_START", "21:00")
    MARKETING_NIGHT_END = env_str("MARKETING_NIGHT_END", "08:00")
    RETENTION_MONTHS = retention_months()

    # Who answers privacy questions; shown on every page footer and in the policy.
    PRIVACY_OFFICER_NAME = env_str("PRIVACY_OFFICER_NAME")
    PRIVACY_OFFICER_DEPARTMENT = env_str("PRIVACY_OFFICER_DEPARTMENT")
    # Optional English forms; the pages fall back to the values above.
    PRIVACY_OFFICER_NAME_EN = env_str("PRIVACY_OFFICER_NAME_EN")
    PRIVACY_OFFICER_DEPARTMENT_EN = env_str("PRIVACY_OFFICER_DEPARTMENT_EN")
    PRIVACY_OFFICER_PHONE = env_str("PRIVACY_OFFICER_PHONE")
    PRIVACY_OFFICER_EMAIL = env_str("PRIVACY_OFFICER_EMAIL")
    PRIVACY_CONSIGNEES = consignee_list(env_json_list("PRIVACY_CONSIGNEES", []))

    # How many proxies in front of the app set X-Forwarded-* (0: trust none).
    PROXY_HOPS = env_int("PROXY_HOPS", 0)
    HSTS_SECONDS = 0
    POLICY_DRIFT_IS_FATAL = False

    BCRYPT_COST = env_int("BCRYPT_COST", 12)
    # Joining again after this many withdrawals within the window is refused (SPEC §5).
    REJOIN_MAX_WITHDRAWALS = env_int("REJOIN_MAX_WITHDRAWALS", 2)
    REJOIN_WINDOW_DAYS = env_int("REJOIN_WINDOW_DAYS", 90)
    SIGNIN_MAX_FAILURES_PER_ACCOUNT = env_int("SIGNIN_MAX_FAILURES_PER_ACCOUNT", 5)
    SIGNIN_MAX_FAILURES_PER_ADDRESS = env_int("SIGNIN_MAX_FAILURES_PER_ADDRESS", 20)
    RESET_MAILS_PER_HOUR = env_int("RESET_MAILS_PER_HOUR", 3)

    # Boards (SPEC §9): per-member posting limits, the report threshold and the spam rules.
    POSTS_PER_HOUR = env_int("POSTS_PER_HOUR", 5)
    COMMENTS_PER_HOUR = env_int("COMMENTS_PER_HOUR", 30)
    REPORT_HIDE_THRESHOLD = env_int("REPORT_HIDE_THRESHOLD", 3)
    # Each claim can blind a post at once and mails two people: reports are limited too.
    REPORTS_PER_HOUR = env_int("REPORTS_PER_HOUR", 10)
    # Privacy complaints and questions (SPEC §12): each one is stored and acknowledged by e-mail.
    COMPLAINTS_PER_HOUR = env_int("COMPLAINTS_PER_HOUR", 5)

    # Request-level limits per client address (Flask-Limiter), in front of the per-member and
    # per-account counters above: a flood from one address gets a 429 before any rule runs.
    # Only POSTs are limited; the forms themselves stay open. Generous enough for a carrier's
    # shared address (CGNAT), tight enough to stop credential stuffing from one.
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    # Redis shares the counts between every process and machine; memory:// counts per process.
    RATELIMIT_STORAGE_URI = rate_limit_storage(REDIS_URL)
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
    RATELIMIT_KEY_PREFIX = "usnaper"
    # Storage down: let the request through (logged) rather than answer 500; the database
    # counters above still hold.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_SIGNIN = rate_limit("RATELIMIT_SIGNIN", "10 per minute; 100 per hour")
    RATELIMIT_SIGNUP = rate_limit("RATELIMIT_SIGNUP", "5 per minute; 30 per hour")
    # Also the e-mail change form: both send a link to an address someone typed.
    RATELIMIT_PASSWORD_RESET = rate_limit("RATELIMIT_PASSWORD_RESET", "5 per minute; 30 per hour")
    RATELIMIT_COMPLAINT = rate_limit("RATELIMIT_COMPLAINT", "5 per minute; 30 per hour")
    RATELIMIT_POSTING = rate_limit("RATELIMIT_POSTING", "10 per minute; 120 per hour")
    RATELIMIT_REPORT = rate_limit("RATELIMIT_REPORT", "10 per minute; 60 per hour")
    RATELIMIT_ASK = rate_limit("RATELIMIT_ASK", "10 per minute; 60 per hour")
    RATELIMIT_SHOOT_REQUEST = rate_limit("RATELIMIT_SHOOT_REQUEST", "10 per minute; 60 per hour")
    # The forms that check a signed-in member's password again (password change, withdrawal):
    # a stolen session must not become a password-guessing oracle.
    RATELIMIT_PASSWORD_CHECK = rate_limit("RATELIMIT_PASSWORD_CHECK", "10 per minute; 60 per hour")
    BOARD_PAGE_SIZE = env_int("BOARD_PAGE_SIZE", 20)
    SPAM_MAX_LINKS = env_int("SPAM_MAX_LINKS", 3)
    SPAM_NEW_ACCOUNT_HOURS = env_int("SPAM_NEW_ACCOUNT_HOURS", 24)
    SPAM_REPEAT_HOURS = env_int("SPAM_REPEAT_HOURS", 24)
    SPAM_BLOCKED_DOMAINS = env_list("SPAM_BLOCKED_DOMAINS", [])

    # Portfolio photos (SPEC §8): outside static/, bounded in bytes and in decoded pixels.
    PHOTO_DIR = env_str("PHOTO_DIR", str(INSTANCE_DIR / "photos"))
    PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
    PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
    DIRECTORY_PAGE_SIZE = env_int("DIRECTORY_PAGE_SIZE", 12)
    # Bookings (SPEC §7, §8): how long an ask waits for an answer; the commission, fixed at booking.
    ASK_EXPIRY_HOURS = env_int("ASK_EXPIRY_HOURS", 48)
    COMMISSION_RATE_BP = env_int("COMMISSION_RATE_BP", 1000)
    # The access audit's monthly review highlights staff who opened personal data more often than this.
    AUDIT_UNUSUAL_OPENINGS = env_int("AUDIT_UNUSUAL_OPENINGS", 30)

    # Sessions (SPEC §13). The cookie lasts until the browser closes; a sign-in ends after
    # SESSION_IDLE_MINUTES without a request and SESSION_LIFETIME_HOURS after it began, and the
    # server refuses any session cookie signed longer ago than that (Flask's default: 31 days).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_LIFETIME_HOURS", 12))
    SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 60))
    # Signed-in browsers one member may have at once; a new sign-in past it ends the least recent.
    MAX_SESSIONS_PER_MEMBER = env_int("MAX_SESSIONS_PER_MEMBER", 10)
    # Staff open other people's data: their pages need a sign-in with the two-step code.
    STAFF_TWO_STEP_REQUIRED = env_bool("STAFF_TWO_STEP_REQUIRED", True)
    TWO_STEP_MAX_FAILURES = env_int("TWO_STEP_MAX_FAILURES", 5)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # No page offers "remember me" and a remember cookie is never honoured (the auth blueprint
    # deletes one on sight); these keep Flask-Login's 365-day default out even so.
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = 3600

    # Values production must be given; the others get throwaway or demo defaults.
    REQUIRED_IN_PRODUCTION = (
        "SECRET_KEY",
        "FIELD_ENCRYPTION_KEY",
        "PSEUDONYM_KEY",
        "MAIL_SERVER",
        "DATABASE_URL",
        "DORMANT_DATABASE_URL",
        "SERVER_NAME",
        "PRIVACY_OFFICER_NAME",
        "PRIVACY_OFFICER_DEPARTMENT",
        "PRIVACY_OFFICER_PHONE",
        "PRIVACY_OFFICER_EMAIL",
        "PRIVACY_CONSIGNEES",  # an explicit [] states that nothing is outsourced
    )

    @classmethod
    def prepare(cls) -> list[str]:
        """Fill what this environment may fill; return notes for the start-up log."""
        return []


DEV_GENERATED_SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "PSEUDONYM_KEY")


class DevelopmentConfig(Config):
    """`make run`: SQLite, in-process jobs, console e-mail, throwaway secrets."""

    DEBUG = True
    DEMO_CONTENT_ALLOWED = True
    # Keep our own 500 page (no traceback in the browser); the log still has it.
    PROPAGATE_EXCEPTIONS = False
    MAIL_CONSOLE = True
    # Where e-mail links point when no SERVER_NAME is given (`make run` serves here).
    SERVER_NAME = Config.SERVER_NAME or "127.0.0.1:5000"
    PRIVACY_OFFICER_NAME = Config.PRIVACY_OFFICER_NAME or "개인정보 보호책임자(데모)"
    PRIVACY_OFFICER_DEPARTMENT = Config.PRIVACY_OFFICER_DEPARTMENT or "개인정보보호팀(데모)"
    PRIVACY_OFFICER_NAME_EN = Config.PRIVACY_OFFICER_NAME_EN or "Privacy Officer (demo)"
    PRIVACY_OFFICER_DEPARTMENT_EN = Config.PRIVACY_OFFICER_DEPARTMENT_EN or "Privacy Office (demo)"
    PRIVACY_OFFICER_PHONE = Config.PRIVACY_OFFICER_PHONE or "02-0000-0000"
    PRIVACY_OFFICER_EMAIL = Config.PRIVACY_OFFICER_EMAIL or "privacy@usnaper.example"
    PRIVACY_CONSIGNEES = Config.PRIVACY_CONSIGNEES or DEMO_CONSIGNEES

    @classmethod
    def prepare(cls) -> list[str]:
        """Use development secrets kept in instance/, generating them on first use.

        Kept on disk so the reloader and the CLI share them; they are throwaway
        values for this machine only, never for production.
        """
        missing = [name for name in DEV_GENERATED_SECRETS if not getattr(cls, name)]
        if not missing:
            return []
        store = INSTANCE_DIR / "dev-secrets.json"
        notes = []
        saved = json.loads(store.read_text()) if store.exists() else {}
        for name in missing:
            if name not in saved:
                saved[name] = secrets.token_urlsafe(32)
                notes.append(f"{name} is not set: generated a throwaway development value in {store}")
            setattr(cls, name, saved[name])
        if notes:
            INSTANCE_DIR.mkdir(exist_ok=True)
            store.unlink(missing_ok=True)
            # Created private from the start, never readable by others even briefly.
            descriptor = os.open(store, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(json.dumps(saved))
        return notes


class TestingConfig(DevelopmentConfig):
    """pytest: a fresh database per test, SQLite unless TEST_DATABASE_URL is set."""

    DEBUG = False
    TESTING = True
    PROPAGATE_EXCEPTIONS = None
    SECRET_KEY = "test-secret-key"  # noqa: S105 - fixed so test sessions are reproducible
    BCRYPT_COST = 4  # the minimum: tests check behaviour, not hashing speed
    FIELD_ENCRYPTION_KEY = "test-field-key"
    PSEUDONYM_KEY = "test-pseudonym-key"
    SQLALCHEMY_DATABASE_URI = env_str("TEST_DATABASE_URL", "sqlite://")
    SQLALCHEMY_BINDS = {"dormant": "sqlite://"}
    REDIS_URL = None  # embedded mode; tests that need Redis opt in with TEST_REDIS_URL
    # Off so the suite's many POSTs from one address pass; tests/test_rate_limits.py turns it on.
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    # Each visit written before its response, so tests count them at once; test_access_log batches.
    ACCESS_LOG_BATCH = 1
    # Never the development photos under instance/: tests that look at files set their own.
    PHOTO_DIR = str(Path(tempfile.gettempdir()) / "usnaper-test-photos")
    SERVER_NAME = "localhost"
    MAIL_SERVER = None
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    """gunicorn behind TLS: PostgreSQL, RQ workers, real SMTP."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain, so no sibling
    # subdomain can plant or overwrite these cookies.
    SESSION_COOKIE_NAME = "__Host-session"
    LANGUAGE_COOKIE_NAME = "__Host-lang"
    PREFERRED_URL_SCHEME = "https"
    PROXY_HOPS = env_int("PROXY_HOPS", 1)
    HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600)
    POLICY_DRIFT_IS_FATAL = True

    @classmethod
    def prepare(cls) -> list[str]:
        """Refuse to start without the secrets and facts production must be given."""
        missing = [name for name in cls.REQUIRED_IN_PRODUCTION if not env_str(name)]
        if missing:
            raise ConfigError("Refusing to start in production without: " + ", ".join(missing))
        # Answer only for our own host, so links built from the request cannot be spoofed.
        cls.TRUSTED_HOSTS = [env_str("SERVER_NAME")]
        return []


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by APP_ENV (development by default)."""
    name = env_str("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}, got {name!r}") from None

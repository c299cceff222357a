"""Reading settings from environment variables: blanks are unset, bad values are errors at start-up."""

import json
import os
from email.utils import parseaddr

from limits import parse_many


class ConfigError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def env_str(name: str, default: str | None = None) -> str | None:
    """An environment variable, with blank treated as unset."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_int(name: str, default: int) -> int:
    """An integer environment variable; a non-number is a configuration error."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def env_bool(name: str, default: bool) -> bool:
    """A yes/no environment variable (1/0, true/false, yes/no, on/off)."""
    raw = env_str(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list (blank items dropped), or default when unset."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip().lower() for item in raw.split(",") if item.strip()]


def env_json_list(name: str, default: list[dict]) -> list[dict]:
    """A JSON list of objects, e.g. the outsourced processors shown in the policy."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON: {exc.msg}") from None
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{name} must be a JSON list of objects")
    return value


def consignee_list(raw: list[dict]) -> list[dict]:
    """Validate the outsourced processors: each needs a name and its task in both languages."""
    for index, item in enumerate(raw):
        missing = [key for key in ("name", "task_ko", "task_en") if not str(item.get(key, "")).strip()]
        if missing:
            raise ConfigError(f"PRIVACY_CONSIGNEES[{index}] lacks {', '.join(missing)}")
    return raw


def mail_sender(raw: str) -> str:
    """Check the From header: an address, optionally with a display name ("USNAPER <a@b>")."""
    address = parseaddr(raw)[1]
    if "@" not in address or raw.count("<") != raw.count(">"):
        raise ConfigError(f"MAIL_DEFAULT_SENDER is not a usable From address: {raw!r}")
    return raw


def rate_limit(name: str, default: str) -> str:
    """A Flask-Limiter limit string ("10 per minute; 100 per hour") from the environment, checked now.

    A bad string would otherwise surface only at the first limited request.
    """
    raw = env_str(name, default)
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} is not a rate limit such as '10 per minute': {raw!r}") from None
    return raw


def rate_limit_storage(redis_url: str | None) -> str:
    """Where the rate-limit counts live: RATELIMIT_STORAGE_URI, else REDIS_URL, else this process's memory."""
    return env_str("RATELIMIT_STORAGE_URI") or redis_url or "memory://"

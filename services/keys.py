"""Keyed hashes: pseudonymous keys that link records without keeping the identifier itself."""

import hashlib
import hmac
from functools import lru_cache

from flask import current_app


@lru_cache(maxsize=64)
def purpose_key(secret: str, purpose: str) -> bytes:
    """The key for one purpose, derived from the secret: the same inputs always give the same key.

    Keyed by the secret too, so an app configured with another PSEUDONYM_KEY never gets this one.
    """
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def keyed_hash(value: str, purpose: str, length: int = 32) -> str:
    """HMAC-SHA256 of value under a key derived from PSEUDONYM_KEY for this purpose, as hex."""
    key = purpose_key(current_app.config["PSEUDONYM_KEY"], purpose)
    return hmac.digest(key, value.encode(), "sha256").hex()[:length]

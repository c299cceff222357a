"""Keyed hashes: pseudonymous keys that link records without keeping the identifier itself."""

import hashlib
import hmac

from flask import current_app


def keyed_hash(value: str, purpose: str, length: int = 32) -> str:
    """HMAC-SHA256 of value under a key derived from PSEUDONYM_KEY for this purpose, as hex."""
    key = hmac.new(current_app.config["PSEUDONYM_KEY"].encode(), purpose.encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:length]

"""Passwords: bcrypt for every length, in one place.

bcrypt reads at most 72 bytes and bcrypt 5 refuses longer input, while a
Korean passphrase of 25 syllables is already 75 bytes. So every password is
first reduced with SHA-256 (base64, 44 bytes, no NUL), then given to bcrypt:
no truncation, no length error, one rule for everyone.
"""

import base64
import hashlib

import bcrypt
from flask import current_app

MIN_LENGTH = 10
MAX_LENGTH = 256


def _prepared(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str) -> str:
    """The bcrypt hash of a password at the configured cost."""
    return bcrypt.hashpw(_prepared(password), bcrypt.gensalt(current_app.config["BCRYPT_COST"])).decode()


def check_password(password: str, hashed: str) -> bool:
    """Whether password matches hashed (False for any malformed hash)."""
    try:
        return bcrypt.checkpw(_prepared(password), hashed.encode())
    except ValueError:
        return False


def needs_rehash(hashed: str) -> bool:
    """Whether hashed was made at another cost than the configured one."""
    try:
        return int(hashed.split("$")[2]) != current_app.config["BCRYPT_COST"]
    except (IndexError, ValueError):
        return True


def password_problem(password: str) -> str | None:
    """A code naming what is wrong with a new password, or None: 'too_short' or 'too_long'."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    return None

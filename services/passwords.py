"""Passwords: bcrypt for every length, in one place.

bcrypt reads at most 72 bytes and bcrypt 5 refuses longer input, while a
Korean passphrase of 25 syllables is already 75 bytes. So every password is
first reduced with SHA-256 (base64, 44 bytes, no NUL), then given to bcrypt:
no truncation, no length error, one rule for everyone.

A new password needs MIN_LENGTH characters, must not be on the shipped list of
common passwords (data/common_passwords.txt, see data/NOTICE.md) and must not be a
word about this site padded with digits or symbols (data/context_words.txt); there
are no composition rules.
"""

import base64
import hashlib
import unicodedata
from functools import lru_cache
from pathlib import Path

import bcrypt
from flask import current_app

MIN_LENGTH = 10
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common_passwords.txt"
CONTEXT_WORDS = Path(__file__).parent / "data" / "context_words.txt"


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


def _folded(text: str) -> str:
    """The form passwords are compared in: NFC (one code point per composed letter), case folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped common passwords, folded, read once per process.

    Only entries of MIN_LENGTH characters or more are kept: a shorter one is refused by
    the length rule anyway, so about 2,400 of the 40,000 stay in memory.
    """
    with COMMON_PASSWORDS.open(encoding="utf-8") as lines:
        return frozenset(entry for line in lines if len(entry := _folded(line.rstrip("\n"))) >= MIN_LENGTH)


@lru_cache(maxsize=1)
def context_words() -> frozenset[str]:
    """The shipped words about this site (its name, what it brokers, where), folded, read once."""
    with CONTEXT_WORDS.open(encoding="utf-8") as lines:
        return frozenset(_folded(line.strip()) for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """A code naming what is wrong with a new password, or None: 'too_short', 'too_long' or 'too_common'."""
    # Counted in composed characters, so a Hangul syllable sent as three jamo still counts once.
    length = len(unicodedata.normalize("NFC", password))
    if length < MIN_LENGTH:
        return "too_short"
    if length > MAX_LENGTH:
        return "too_long"
    folded = _folded(password)
    letters = "".join(char for char in folded if char.isalpha())
    if folded in common_passwords() or letters in context_words():
        return "too_common"
    return None

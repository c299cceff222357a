"""Encryption at rest for important fields (phone numbers): AES-GCM with keys from configuration.

Each ciphertext starts with the id of the key that made it, so keys can be
rotated: FIELD_ENCRYPTION_KEY encrypts, FIELD_ENCRYPTION_OLD_KEYS still decrypt.
"""

import hashlib
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

NONCE_BYTES = 12


def _key_material(secret: str) -> bytes:
    return hashlib.sha256(("usnaper-field-key:" + secret).encode()).digest()


def _key_id(secret: str) -> bytes:
    return hashlib.sha256(("usnaper-field-key-id:" + secret).encode()).digest()[:4]


@lru_cache(maxsize=8)
def _cipher(secret: str) -> tuple[bytes, AESGCM]:
    """A secret's key id and AES-GCM cipher, derived once: per field it cost more than the encryption."""
    return _key_id(secret), AESGCM(_key_material(secret))


def encrypt_field(plaintext: str, purpose: str) -> bytes:
    """Encrypt a value; purpose binds it to its column (a phone cannot be replayed elsewhere)."""
    key_id, cipher = _cipher(current_app.config["FIELD_ENCRYPTION_KEY"])
    nonce = os.urandom(NONCE_BYTES)
    return key_id + nonce + cipher.encrypt(nonce, plaintext.encode(), purpose.encode())


def decrypt_field(token: bytes, purpose: str) -> str:
    """Decrypt a value made by encrypt_field with the current or an old key."""
    cfg = current_app.config
    for secret in (cfg["FIELD_ENCRYPTION_KEY"], *cfg.get("FIELD_ENCRYPTION_OLD_KEYS", ())):
        key_id, cipher = _cipher(secret)
        if token[:4] == key_id:
            nonce, sealed = token[4 : 4 + NONCE_BYTES], token[4 + NONCE_BYTES :]
            return cipher.decrypt(nonce, sealed, purpose.encode()).decode()
    raise ValueError("no configured key can decrypt this field")

"""Encryption at rest for important fields (phone numbers): AES-GCM with keys from configuration.

Each ciphertext starts with the id of the key that made it, so keys can be
rotated: FIELD_ENCRYPTION_KEY encrypts, FIELD_ENCRYPTION_OLD_KEYS still decrypt.
"""

import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

NONCE_BYTES = 12


def _key_material(secret: str) -> bytes:
    return hashlib.sha256(("usnaper-field-key:" + secret).encode()).digest()


def _key_id(secret: str) -> bytes:
    return hashlib.sha256(("usnaper-field-key-id:" + secret).encode()).digest()[:4]


def encrypt_field(plaintext: str, purpose: str) -> bytes:
    """Encrypt a value; purpose binds it to its column (a phone cannot be replayed elsewhere)."""
    secret = current_app.config["FIELD_ENCRYPTION_KEY"]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key_material(secret)).encrypt(nonce, plaintext.encode(), purpose.encode())
    return _key_id(secret) + nonce + sealed


def decrypt_field(token: bytes, purpose: str) -> str:
    """Decrypt a value made by encrypt_field with the current or an old key."""
    cfg = current_app.config
    for secret in (cfg["FIELD_ENCRYPTION_KEY"], *cfg.get("FIELD_ENCRYPTION_OLD_KEYS", ())):
        if token[:4] == _key_id(secret):
            nonce, sealed = token[4 : 4 + NONCE_BYTES], token[4 + NONCE_BYTES :]
            return AESGCM(_key_material(secret)).decrypt(nonce, sealed, purpose.encode()).decode()
    raise ValueError("no configured key can decrypt this field")

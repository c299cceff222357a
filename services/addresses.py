"""E-mail addresses as keys: one normal form for uniqueness, look-ups and hashes."""


def email_key(email: str) -> str:
    """The case-insensitive form of an address."""
    return email.strip().lower()

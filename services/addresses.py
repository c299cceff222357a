"""E-mail addresses as keys: one normal form for uniqueness, look-ups and hashes."""


def mask_email(email: str) -> str:
    """An address shown with only its first letter and its domain, e.g. m•••@usnaper.example."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}•••@{domain}" if local and domain else "•••"


def email_key(email: str) -> str:
    """The case-insensitive form of an address."""
    return email.strip().lower()

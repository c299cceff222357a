"""Signed, expiring tokens for e-mailed links (verification, password reset)."""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from extensions import db
from models.member import Member


class LinkTokenError(Exception):
    """A link token was refused: code is 'token_expired' or 'token_invalid'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def make_token(purpose: str, payload: dict) -> str:
    """Sign payload for one purpose (a token for one purpose is useless for another)."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(payload)


def member_from_token(purpose: str, token: str, max_age: timedelta) -> tuple[Member, dict]:
    """The member a valid, unexpired token names, with the token's payload."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)
    try:
        data = serializer.loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise LinkTokenError("token_expired") from None
    except BadSignature:
        raise LinkTokenError("token_invalid") from None
    member = db.session.get(Member, data.get("m")) if isinstance(data, dict) else None
    if member is None:
        raise LinkTokenError("token_invalid")
    return member, data

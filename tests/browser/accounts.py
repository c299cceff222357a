"""Members for the browser flows, made through the real signup rules."""

from datetime import timedelta

from extensions import db
from services.clock import now_utc, seoul_today
from services.members import SignupRequest, sign_up


def active_member(
    app,
    email: str,
    name: str,
    password: str,
    language: str = "ko",
    phone: str | None = None,
    role: str | None = None,
    consents: tuple[str, ...] = (),
) -> int:
    """An active member who joined 60 days ago (past the new-account rules); returns the id.

    A phone is kept under the optional-profile consent; consents names optional
    items granted at signup (marketing_email, marketing_night, ...).
    """
    with app.app_context():
        member = sign_up(
            SignupRequest(
                email=email,
                password=password,
                name=name,
                birth_date=seoul_today().replace(year=1988),
                language=language,
                phone=phone,
                consents={"privacy_notice": True, "terms": True, "optional_profile": phone is not None}
                | dict.fromkeys(consents, True),
            )
        )
        member.status, member.email_verified_at = "active", now_utc()
        member.created_at = now_utc() - timedelta(days=60)
        member.staff_role = role
        db.session.commit()
        return member.id

"""Members for the browser flows, made through the real signup rules, and their second sign-in step."""

from datetime import timedelta
from urllib.parse import urlparse

from extensions import db
from services.clock import now_utc, seoul_today
from services.members import SignupRequest, find_member_by_email, sign_up
from tests.support import enrol_two_step, two_step_code

# The live server's app (set by the live_server fixture), so the helpers below can play the
# part of a staff member's authenticator app.
LIVE = {}
CODE_LABEL = {"ko": "코드", "en": "Code"}
SIGN_IN_BUTTON = {"ko": "로그인", "en": "Sign in"}


def pass_two_step(page, email: str) -> None:
    """Once the sign-in form is sent: on the code step, type what the member's app shows now."""
    page.wait_for_url(lambda url: not urlparse(url).path.endswith("/signin"))
    path = urlparse(page.url).path
    if not path.endswith("/signin/code"):
        return
    lang = path.split("/")[1]
    with LIVE["app"].app_context():
        code = two_step_code(find_member_by_email(email).id)
    page.get_by_label(CODE_LABEL[lang], exact=True).fill(code)
    page.get_by_role("button", name=SIGN_IN_BUTTON[lang]).click()
    page.wait_for_url(lambda url: "/signin" not in urlparse(url).path)


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
        if role is not None:  # staff pages need two-step sign-in
            enrol_two_step(member.id, password)
        return member.id

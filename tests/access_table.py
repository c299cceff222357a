"""Who may use each endpoint: the one access table the route x role matrix checks (SPEC §1, §7).

Every endpoint of the URL map has exactly one entry, and every entry names an
endpoint: tests/test_access_matrix.py fails on either gap, so a new route cannot
be added without saying who may use it. An entry's class says what each role
gets when it asks with the owner's ids; the expectations below are the whole of
the app's answer to a refusal (sign in first, 403 for staff pages, 404 for
someone else's things, so nobody learns that they exist).
"""

from dataclasses import dataclass, field

# The people of the matrix. The owner owns one of everything; the counterpart is the
# photographer of the owner's booking (and the customer of a booking of the owner's);
# the photographer has nothing to do with the owner.
ROLES = ("visitor", "owner", "member", "photographer", "moderator", "officer", "counterpart")
PHOTOGRAPHERS = {"owner", "photographer", "counterpart"}

# What an answer must be, besides an exact status.
SIGNIN = "sign-in redirect"
ALLOWED = "allowed"  # GET: 200; POST: past every check of who asks (a 200, a redirect or a form's 400)
BECOME_PHOTOGRAPHER = "redirect to the photographer profile form"

PUBLIC = "public"  # anyone, with the entry's status
TOKEN = "token link"  # the token is the proof: anyone holding the link gets the same answer
HIDDEN = "hidden"  # a public route naming something nobody may see through it: 404 for all
DEV = "dev only"  # 404 outside debug, for everyone
SIGNED_IN = "signed-in"  # any member, about themselves
PHOTOGRAPHER_PAGE = "photographer page"  # members without a profile are sent to make one
OWN_PROFILE = "own photographer profile"  # acts on the asker's own profile: 404 without one
OWNER = "owner only"  # the owner's thing: 404 for anybody else
BOOKING_SIDE = "either side of the booking"  # the owner and the counterpart
MODERATOR = "moderator"  # staff_required("moderator"): 403 for members
OFFICER = "privacy officer"  # staff_required("privacy_officer"): 403 for members and moderators

STAFF_CLASSES = {MODERATOR: ("moderator",), OFFICER: ("privacy_officer",)}
REFUSALS = {SIGNIN, 403, 404}


@dataclass(frozen=True)
class Access:
    """One endpoint's access class, its answer where the class has no fixed one, and what it posts."""

    kind: str
    # For PUBLIC and TOKEN, per method if it differs; for SIGNED_IN, what every member gets instead.
    status: int | dict[str, int] | None = None
    form: dict = field(default_factory=dict)  # the POST the owner would send (names world ids as {key})
    owner_writes: str | None = None  # the table the owner's own POST (in matrix order) must write to


def _public(get: int = 200, post: int | None = None) -> Access:
    return Access(PUBLIC, {"GET": get, "POST": post} if post else get)


DAY = "{free_day}"
ACCESS: dict[str, Access] = {
    # Pages anyone reads; public forms posted empty answer 400 with the form's messages.
    "i18n.root": _public(302),
    "i18n.switch": _public(303),
    "health.healthz": _public(),
    "static": _public(),
    "media.photo_file": _public(),
    "pages.home": _public(),
    "pages.cookies": _public(),
    "policies.current": _public(),
    "policies.history": _public(),
    "policies.version": Access(HIDDEN),  # named with the privacy office's unannounced draft
    "policies.changes": Access(HIDDEN),
    "boards.index": _public(),
    "boards.board": _public(),
    "boards.post": _public(),
    "photographers.directory": _public(),
    "photographers.profile": _public(),
    "auth.signup": _public(200, 400),
    "auth.signup_sent": _public(),
    "auth.signin": _public(200, 400),
    "auth.restore": _public(302, 302),  # nothing to restore: back to sign-in
    "auth.code": _public(302, 302),  # no password checked just now: back to sign-in
    "auth.signout": _public(post=302),
    "auth.forgot_password": _public(200, 400),
    "complaints.new": _public(200, 400),
    "complaints.sent": _public(),
    # Links from e-mails: the token, not the session, says whose they are.
    "auth.verify": Access(TOKEN, 400),
    "auth.reset": Access(TOKEN, {"GET": 200, "POST": 400}),
    "me.confirm_email": Access(TOKEN, 400),
    "marketing.unsubscribe_page": Access(TOKEN, 200),
    "marketing.unsubscribe_now": Access(TOKEN, 200),
    "dev.outbox": Access(DEV),
    "dev.message": Access(DEV),
    "dev.message_html": Access(DEV),
    # A member's own pages: no id in the URL names anyone else.
    "me.overview": Access(SIGNED_IN),
    "me.consents": Access(SIGNED_IN),
    "me.email": Access(SIGNED_IN),
    "me.export_json": Access(SIGNED_IN),
    "me.flag": Access(SIGNED_IN),
    "me.password": Access(SIGNED_IN),
    "me.profile": Access(SIGNED_IN),
    "me.leave": Access(SIGNED_IN),
    "me.sessions": Access(SIGNED_IN),
    "me.end_sessions": Access(SIGNED_IN),
    "me.two_step": Access(SIGNED_IN),
    "me.start_two_step": Access(SIGNED_IN),
    "me.two_step_qr": Access(SIGNED_IN, 404),  # nobody in the world is part-way through setting it up
    "me.confirm_two_step": Access(SIGNED_IN),
    "me.new_recovery_codes": Access(SIGNED_IN),
    "me.two_step_off": Access(SIGNED_IN),
    "boards.new_post": Access(SIGNED_IN),
    "boards.comment": Access(SIGNED_IN),  # under the owner's post, which anyone may answer
    "boards.report_view": Access(SIGNED_IN),  # the owner's post or comment, which anyone may report
    "shoots.new_request": Access(SIGNED_IN),
    "shoots.requests": Access(SIGNED_IN),
    "photographers.edit": Access(SIGNED_IN),
    "shoots.asks_inbox": Access(PHOTOGRAPHER_PAGE),
    "shoots.dashboard": Access(PHOTOGRAPHER_PAGE),
    "photographers.upload": Access(OWN_PROFILE),
    "photographers.blocked": Access(OWN_PROFILE, form={"day": DAY}),
    # The owner's things.
    "boards.edit": Access(
        OWNER, form={"title": "고친 제목", "body": "고친 본문입니다."}, owner_writes="posts"
    ),
    "boards.remove": Access(OWNER, owner_writes="posts"),
    "boards.edit_comment_view": Access(OWNER, form={"body": "고친 댓글입니다."}, owner_writes="comments"),
    "boards.remove_comment_view": Access(OWNER, owner_writes="comments"),
    "boards.objection": Access(OWNER, form={"objection": "사실과 다르지 않습니다."}),
    "shoots.show_request": Access(OWNER),
    "shoots.ask": Access(OWNER, form={"profile": "{photographer_profile}"}, owner_writes="asks"),
    "shoots.confirm_booking": Access(OWNER, form={"consent": "y"}, owner_writes="bookings"),
    "shoots.answer": Access(OWNER, form={"decision": "accept", "consent": "y"}, owner_writes="asks"),
    "shoots.reply_review": Access(OWNER, form={"text": "감사합니다."}, owner_writes="reviews"),
    "photographers.delete_photo": Access(OWNER, owner_writes="portfolio_photos"),
    "shoots.show_booking": Access(BOOKING_SIDE),
    "shoots.complete_booking": Access(BOOKING_SIDE, owner_writes="bookings"),
    "shoots.review_booking": Access(
        BOOKING_SIDE, form={"stars": "5", "text": "좋았어요."}, owner_writes="reviews"
    ),
    "shoots.cancel_booking": Access(BOOKING_SIDE, form={"reason": "사정이 생겼어요."}),
    # The moderators' console, on the owner's post and comment.
    "moderation.index": Access(MODERATOR),
    "moderation.item": Access(MODERATOR),
    "moderation.act": Access(MODERATOR, form={"reason": "spam"}),
    "moderation.mask": Access(MODERATOR, form={"mask-reason": "privacy", "mask-spans": "본문"}),
    "moderation.suspend": Access(MODERATOR),
    "moderation.bulk_delete": Access(
        MODERATOR, form={"target": "post:{post}", "reason": "spam", "confirm": "y"}
    ),
    "moderation.log": Access(MODERATOR),
    "moderation.suspensions": Access(MODERATOR),
    "moderation.lift": Access(MODERATOR, form={"reason": "other"}),
    # The privacy office, on the owner's account, complaint and mail, and the office's own drafts.
    "office.index": Access(OFFICER),
    "office.audit": Access(OFFICER),
    "office.review": Access(OFFICER),
    "office.sign_off": Access(OFFICER),
    "office.breach_notice": Access(OFFICER),
    "office.mail": Access(OFFICER),
    "office.retry_mail": Access(OFFICER),
    "office.members": Access(OFFICER),
    "office.member": Access(OFFICER),
    "office.export": Access(OFFICER),
    "office.open_data": Access(OFFICER),
    "office.retention": Access(OFFICER),
    "office.roles": Access(OFFICER),
    "office.grant": Access(OFFICER, form={"email": "{owner_email}", "role": "moderator"}),
    "office.remove_role": Access(OFFICER),
    "office.sessions": Access(OFFICER),
    "office.end_member_sessions": Access(OFFICER),
    "office.end_all_member_sessions": Access(OFFICER),
    "complaints.queue": Access(OFFICER),
    "complaints.detail": Access(OFFICER),
    "complaints.answer": Access(OFFICER, form={"answer": "답변드립니다."}),
    "complaints.close": Access(OFFICER),
    "complaints.contact": Access(OFFICER),
    "marketing.campaigns": Access(OFFICER),
    "marketing.campaign": Access(OFFICER),
    "marketing.new_campaign": Access(OFFICER),
    "marketing.edit_campaign": Access(OFFICER),
    "marketing.confirm_send": Access(OFFICER),
    "policy_drafts.index": Access(OFFICER),
    "policy_drafts.new": Access(OFFICER),
    "policy_drafts.draft": Access(OFFICER),
    "policy_drafts.delete": Access(OFFICER),
    "policy_drafts.schedule": Access(OFFICER),
}

# Taken last, in this order, as they end what other requests name (the session included).
LAST = (
    "shoots.confirm_booking",  # closes the request the ask belongs to
    "shoots.cancel_booking",  # after the shoot is done and reviewed
    "boards.remove_comment_view",
    "boards.remove",
    "photographers.delete_photo",
    "policy_drafts.delete",
    "me.start_two_step",  # after the QR code is asked for, so nobody has a secret pending then
    "auth.signout",
)


def expected(access: Access, role: str, method: str):
    """What the role must get from this endpoint: an exact status, or one of the answers above."""
    kind = access.kind
    if kind in (PUBLIC, TOKEN):
        return access.status[method] if isinstance(access.status, dict) else access.status
    if kind in (HIDDEN, DEV):
        return 404
    if role == "visitor":
        return SIGNIN
    if kind in STAFF_CLASSES:
        allowed = role == "officer" or (kind == MODERATOR and role == "moderator")
        return ALLOWED if allowed else 403
    if kind == SIGNED_IN:
        return access.status or ALLOWED
    if kind == PHOTOGRAPHER_PAGE:
        return ALLOWED if role in PHOTOGRAPHERS else BECOME_PHOTOGRAPHER
    if kind == OWN_PROFILE:
        return ALLOWED if role in PHOTOGRAPHERS else 404
    if kind == OWNER:
        return ALLOWED if role == "owner" else 404
    if kind == BOOKING_SIDE:
        return ALLOWED if role in ("owner", "counterpart") else 404
    raise AssertionError(f"unknown access class {kind!r}")


def problem_with(response, expectation, method: str, language: str) -> str | None:
    """Why the response does not meet the expectation, or None when it does."""
    status, where = response.status_code, response.headers.get("Location", "")
    signin = status == 302 and f"/{language}/signin" in where
    if expectation == SIGNIN:
        ok = signin
    elif expectation == BECOME_PHOTOGRAPHER:
        ok = status == 302 and where.endswith(f"/{language}/photographers/me")
    elif expectation == ALLOWED:
        ok = status == 200 if method == "GET" else status < 500 and status not in (403, 404) and not signin
    else:
        ok = status == expectation
    return None if ok else f"got {status} {where}".strip() + f", expected {expectation}"

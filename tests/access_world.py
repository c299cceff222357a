"""The world of the route x role matrix: an owner with one of everything a URL can name.

Built through the services (no HTTP), so it costs little and stays what the
rules allow. Besides the owner: a counterpart (the photographer of the owner's
booking, and the customer of a booking the owner shoots), a photographer with
nothing to do with either, another member, a moderator, a privacy officer, and
a suspended troll for the moderators' "lift" button.
"""

import io
import os
import re
from dataclasses import dataclass, field
from datetime import timedelta

from PIL import Image
from sqlalchemy import event, select

from extensions import db
from models import Booking, Member, OutboxMessage, ShootRequest
from services.clock import now_utc, seoul_today

OWNER = {"email": "owner@example.com", "name": "주인공", "phone": "010-2468-1357"}
COUNTERPART = {"email": "partner@example.com", "name": "짝작가", "phone": "010-9753-8642"}
EMAILS = {
    "owner": OWNER["email"],
    "member": "reader1@example.com",
    "photographer": "rival@example.com",
    "counterpart": COUNTERPART["email"],
    "moderator": "mod@example.com",
    "officer": "officer@example.com",
}
# Rows requests write by design: the access log of visits, and a session's last-seen time
# (moved on at most once a minute by any signed-in request).
UNWATCHED = {"access_logs", "member_sessions"}


@dataclass
class World:
    """Member ids by role, and the values the matrix puts in URLs and forms."""

    members: dict[str, int]
    ids: dict[str, object] = field(default_factory=dict)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def _draft(day):
    from services.shoots import RequestDraft

    return RequestDraft(
        region="jeju", shoot_date=day, time_window="morning", shoot_type="snap", people=2, budget=150_000
    )


def _profile(member, name: str):
    from services.photographers import ProfileChange, save_profile

    change = ProfileChange(
        display_name=name, starting_price=100_000, regions=["jeju"], specialties=["snap", "wedding"]
    )
    return save_profile(member, change)


def _booked(customer, profile, day, shoot_today: bool = True) -> Booking:
    """A request of the customer's, asked of the profile, accepted and confirmed; its shoot moved to today."""
    from services.bookings import confirm
    from services.shoots import answer_ask, file_request, send_asks

    request = file_request(customer, _draft(day))
    send_asks(customer, request, [profile.id])
    ask_id = _ask_of(request.id)
    answer_ask(profile, ask_id, True, None, None, True)
    booking = confirm(customer, ask_id, True)
    if shoot_today:
        booking.shoot_date = seoul_today()
        db.session.get(ShootRequest, booking.request_id).shoot_date = seoul_today()
        db.session.commit()
    return booking


def _ask_of(request_id: int) -> int:
    from models import Ask

    return db.session.scalar(select(Ask.id).where(Ask.request_id == request_id))


def _policy_draft(officer):
    from services.policy_drafts import DraftText, create_draft, suggested_version

    text = DraftText(
        version=suggested_version("privacy"),
        importance="general",
        summary_ko="시험 개정",
        summary_en="A test revision",
        body_ko="새 방침 본문",
        body_en="The new policy text",
    )
    return create_draft(officer.id, "privacy", text)


def build_world(app, board_people, make_member) -> World:
    """Everyone, and the owner's post, comment, profile, photo, blocked day, requests, asks, bookings..."""
    from services.boards import board_by_slug
    from services.booking_states import complete, review
    from services.complaints import Sender, send_complaint
    from services.link_tokens import make_token
    from services.marketing import CampaignText, save_campaign
    from services.marketing_delivery import UNSUBSCRIBE_PURPOSE
    from services.moderation import suspend
    from services.outbox import committed_message_ids
    from services.photographers import add_photo, block_day
    from services.posts import add_comment, create_post
    from services.shoots import file_request, send_asks

    established = now_utc() - timedelta(days=60)
    consents = {"privacy_notice": True, "terms": True, "optional_profile": True, "marketing_email": True}
    members = {
        "owner": make_member(**OWNER, consents=consents, created_at=established),
        "member": board_people["reader1"],
        "photographer": make_member(email=EMAILS["photographer"], name="남작가", created_at=established),
        "counterpart": make_member(**COUNTERPART, consents=consents, created_at=established),
        "moderator": board_people["moderator"],
        "officer": board_people["officer"],
    }
    today = seoul_today()
    with app.app_context():
        get = {role: db.session.get(Member, member_id) for role, member_id in members.items()}
        owner, partner, officer = get["owner"], get["counterpart"], get["officer"]
        profiles = {
            role: _profile(get[role], f"{role} 사진") for role in ("owner", "photographer", "counterpart")
        }
        post = create_post(owner, board_by_slug("free"), "주인의 글", "주인이 쓴 본문입니다.")
        comment = add_comment(owner, post, "주인이 단 댓글입니다.")
        photo = add_photo(profiles["owner"], _jpeg())
        block_day(profiles["owner"], today + timedelta(days=40))
        # An open request of the owner's whose ask the counterpart accepted: the owner may confirm it.
        pending = file_request(owner, _draft(today + timedelta(days=30)))
        send_asks(owner, pending, [profiles["counterpart"].id])
        from services.shoots import answer_ask

        answer_ask(profiles["counterpart"], _ask_of(pending.id), True, None, None, True)
        booking = _booked(owner, profiles["counterpart"], today + timedelta(days=31))
        # The counterpart's ask of the owner, unanswered, and a booking the owner shot, reviewed.
        asked = file_request(partner, _draft(today + timedelta(days=32)))
        send_asks(partner, asked, [profiles["owner"].id])
        shot = _booked(partner, profiles["owner"], today + timedelta(days=33))
        complete(partner, shot)
        reviewed = review(partner, shot, 4, "친절했어요.")
        complaint = send_complaint(Sender(owner, "", "ko", "127.0.0.1"), "question", "제 정보", "궁금합니다.")
        failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.member_id == owner.id)).first()
        failed.status, failed.last_error = "failed", "550 mailbox unavailable"
        db.session.commit()
        campaign = save_campaign(officer, CampaignText("봄 할인", "Spring sale", "할인합니다.", "On sale."))
        draft = _policy_draft(officer)
        suspend(get["moderator"], db.session.get(Member, board_people["troll"]), 7, "spam")
        # The world's mail stays queued, as if no worker had run: delivering it would prove nothing here.
        committed_message_ids()
        ids = {
            "post": post.id,
            "comment": comment.id,
            "profile": profiles["owner"].id,
            "photographer_profile": profiles["photographer"].id,
            "photo": photo.id,
            "photo_name": photo.stored_name,
            "request": pending.id,
            "ask_to_confirm": _ask_of(pending.id),
            "ask_to_answer": _ask_of(asked.id),
            "booking": booking.id,
            "review": reviewed.id,
            "complaint": complaint.id,
            "message": failed.id,
            "campaign": campaign.id,
            "draft": draft.id,
            "draft_version": draft.version,
            "troll": board_people["troll"],
            "unsubscribe": make_token(UNSUBSCRIBE_PURPOSE, {"m": owner.id}),
            "owner_email": OWNER["email"],
            "free_day": (today + timedelta(days=50)).isoformat(),
        }
    return World(members=members, ids=ids)


# The world value each URL part takes; endpoints whose part names something else say so.
PART = {
    "post_id": "post",
    "comment_id": "comment",
    "request_id": "request",
    "booking_id": "booking",
    "review_id": "review",
    "profile_id": "profile",
    "photo_id": "photo",
    "message_id": "message",
    "member_id": "owner",
    "complaint_id": "complaint",
    "campaign_id": "campaign",
    "draft_id": "draft",
    "version": "draft_version",
    "name": "photo_name",
}
PART_BY_ENDPOINT = {
    ("shoots.confirm_booking", "ask_id"): "ask_to_confirm",
    ("shoots.answer", "ask_id"): "ask_to_answer",
    ("moderation.lift", "member_id"): "troll",
    ("marketing.unsubscribe_page", "token"): "unsubscribe",
    ("marketing.unsubscribe_now", "token"): "unsubscribe",
}
# Parts that are not ids of anyone's things.
PLAIN = {"slug": "free", "filename": "css/site.css", "field": "phone", "token": "not-a-valid-token"}
GHOST_ID = 987_654_321


def part_value(world: World, endpoint: str, name: str, chosen: dict, ghost: bool = False):
    """What goes in the URL part: the owner's thing it names, or, for a ghost, an id nobody has."""
    if name == "code":  # the language switcher: the language of the test
        return chosen.get("lang_code", "ko")
    if name == "target_id":  # a post or a comment, as the kind before it says
        name = f"{chosen['kind']}_id"
    if ghost and name.endswith("_id"):
        return GHOST_ID
    key = PART_BY_ENDPOINT.get((endpoint, name)) or PART.get(name)
    if key == "owner":
        return world.members["owner"]
    if key is not None:
        return world.ids[key]
    return PLAIN[name]


def form_for(world: World, form: dict) -> dict:
    """The entry's form with the world's values put in ("{post}" becomes the owner's post id)."""
    filled = {}
    for name, value in form.items():
        filled[name] = value.format(**world.ids) if isinstance(value, str) else value
    return filled


class WriteWatch:
    """The tables a request wrote to and committed, seen in every engine's statements (no query added).

    The visit log is written by every request on purpose and is left out. A write the
    request rolled back (an error page rolls back what was half done) is no write; the app
    uses no savepoints, so a rollback always ends the whole transaction.
    """

    WRITE = re.compile(r"^\s*(?:insert\s+into|update|delete\s+from)\s+\"?(\w+)", re.IGNORECASE)

    def __init__(self, app):
        with app.app_context():
            self.engines = list(db.engines.values())
        self.photo_dir = app.config["PHOTO_DIR"]
        self.pending: list[str] = []
        self.committed: list[str] = []
        self.files: list[str] = []
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "commit", self._commit)
            event.listen(engine, "rollback", self._rollback)

    def close(self) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._statement)
            event.remove(engine, "commit", self._commit)
            event.remove(engine, "rollback", self._rollback)

    def _statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if context is not None and (context.isinsert or context.isupdate or context.isdelete):
            table = getattr(getattr(context.compiled, "statement", None), "table", None)
            name = getattr(table, "name", None) or "?"
        else:  # text() statements carry no flags: read the verb
            match = self.WRITE.match(statement)
            name = match.group(1).lower() if match else None
        if name and name not in UNWATCHED:
            self.pending.append(name)

    def _commit(self, conn) -> None:
        self.committed += self.pending
        self.pending = []

    def _rollback(self, conn) -> None:
        self.pending = []

    def _photo_files(self) -> list[str]:
        return sorted(os.listdir(self.photo_dir)) if os.path.isdir(self.photo_dir) else []

    def start(self) -> None:
        """Forget what was written so far."""
        self.pending, self.committed, self.files = [], [], self._photo_files()

    def written(self) -> list[str]:
        """The tables written and committed since start() (and "photo files" when those changed)."""
        found = sorted(set(self.committed))
        return found + (["photo files"] if self._photo_files() != self.files else [])

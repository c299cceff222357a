"""Every form, fed odd input by hypothesis: a clear answer always, never a 500 nor a half-written record."""

import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from extensions import db
from models import (
    Ask,
    Booking,
    Comment,
    Member,
    ModerationAction,
    OutboxMessage,
    PhotographerProfile,
    Post,
    Report,
    Review,
    TemporaryMeasure,
)
from models.board import CONTENT_STATUSES
from models.moderation import REPORT_REASONS
from services.boards import board_by_slug, sync_boards
from services.booking_states import complete, review
from services.bookings import confirm
from services.clock import now_utc, seoul_today
from services.members import SignupRequest, find_member_by_email, sign_up
from services.moderation import MODERATION_REASONS, NOTE_MAX, SUSPENSION_DAYS
from services.photographers import PRICE_MAX, PRICE_MIN, ProfileChange, profile_of, save_profile
from services.posts import BODY_MAX, COMMENT_MAX, TITLE_MAX, add_comment, create_post
from services.regions import REGION_CODES
from services.reports import DETAILS_MAX, report
from services.shoots import RequestDraft, answer_ask, file_request, send_asks
from services.specialties import SPECIALTY_CODES
from services.text import digest

PASSWORD = "a long enough passphrase"

# Each form's fields (the CSRF token is off in this suite; a separate test covers it).
FORMS = {
    "/ko/signup": [
        "email",
        "password",
        "password_confirm",
        "name",
        "birth_date",
        "phone",
        "preferred_region",
        "privacy_notice",
        "terms",
        "optional_profile",
        "marketing_email",
        "marketing_sms",
        "marketing_night",
    ],
    "/en/signin": ["email", "password"],
    "/ko/password/forgot": ["email"],
    "/en/password/reset/not-a-token": ["password", "password_confirm"],
    "/ko/me/profile": ["name", "birth_date", "language", "phone", "preferred_region"],
    "/en/me/consents": ["optional_profile", "marketing_email", "marketing_sms", "marketing_night"],
    "/ko/me/email": ["email", "password"],
    "/en/me/password": ["current_password", "password", "password_confirm"],
    "/ko/me/flag/name": [],
    "/en/me/withdraw": ["password", "posts", "understood"],
    # Boards and moderation. {post} and {comment} are fresh writing by another member for each
    # example, {own_post} a post of the fuzzing member under a temporary measure (see `writing`).
    "/en/boards/free/new": ["title", "body"],
    "/en/boards/free/{post}/comments": ["body"],
    "/en/boards/report/post/{post}": ["reason", "details"],
    "/en/boards/objection/post/{own_post}": ["objection"],
    "/en/moderation/post/{post}/dismiss": ["reason", "note"],
    "/en/moderation/post/{post}/hide": ["reason", "note"],
    "/en/moderation/post/{post}/restore": ["reason", "note"],
    "/en/moderation/comment/{comment}/delete": ["reason", "note"],
    "/en/moderation/post/{post}/mask": ["mask-spans", "mask-reason", "mask-note"],
    "/en/moderation/post/{post}/suspend-author": ["suspend-days", "suspend-reason", "suspend-note"],
    "/en/moderation/bulk-delete": ["target", "reason", "note", "confirm"],
    # Photographers: the profile editor and the calendar (the fuzzing member has a profile for the latter).
    "/ko/photographers/me": [
        "display_name",
        "starting_price",
        "regions",
        "specialties",
        "languages",
        "bio_ko",
        "bio_en",
    ],
    "/en/photographers/me/blocked/add": ["day"],
    # Shoots: a request by the fuzzing member; an answer to an ask the fuzzing photographer received.
    "/ko/requests/new": ["region", "shoot_date", "time_window", "shoot_type", "people", "budget", "notes"],
    "/en/asks/{ask}/answer": ["decision", "price", "message", "consent"],
    # After the booking: the fuzzing member cancels or reviews their booking, or replies to a review.
    "/en/bookings/{booking}/cancel": ["reason"],
    "/ko/bookings/{booking}/review": ["stars", "text"],
    "/en/reviews/{review}/reply": ["text"],
    "/ko/photographers/me/blocked/remove": ["day"],
}

SHOOT_FORMS = {"/ko/requests/new", "/ko/photographers/me"}

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "\r\n", "y", "2026-02-30", "0000-00-00", "010-1234-5678", "a@b", "<script>"]
    ),
    st.text(min_size=5000, max_size=6000),
    st.integers().map(str),
)


MASKABLE = "홍길동"  # a name in every fresh post, for the mask form to find


def valid_or_odd(*valid: str):
    """A value the form accepts or odd text: choices must pass sometimes for the steps after them to run."""
    return st.one_of(st.sampled_from(valid), odd_text)


def board_values(ids: dict) -> dict:
    """Strategies for the board and moderation fields that odd text alone would never get past."""
    reason = valid_or_odd(*MODERATION_REASONS)
    target = st.one_of(
        st.sampled_from([f"post:{ids['post']}", f"comment:{ids['comment']}"]),
        valid_or_odd("post:999999999999999999", "comment:0", "member:1", f"post:0{ids['post']}"),
    )
    return {
        "reason": reason,
        "mask-reason": reason,
        "suspend-reason": reason,
        "suspend-days": valid_or_odd(*map(str, SUSPENSION_DAYS)),
        "mask-spans": valid_or_odd(MASKABLE, "010-1234-5678", f"{MASKABLE}\n010-1234-5678", "없는 말"),
        "target": st.lists(target, min_size=1, max_size=5),
        "confirm": valid_or_odd("y"),
    }


PROFILE_VALUES = {
    "starting_price": valid_or_odd("150000", "150,000", "9999", "100000001", "-5"),
    "regions": st.lists(valid_or_odd("jeju", "seoul", "busan"), max_size=4),
    "specialties": st.lists(valid_or_odd("wedding", "snap"), max_size=3),
    "languages": st.lists(valid_or_odd("ko", "en", "ja"), max_size=3),
    "region": valid_or_odd("jeju", "seoul"),
    "shoot_date": valid_or_odd((seoul_today() + timedelta(days=9)).isoformat(), seoul_today().isoformat()),
    "time_window": valid_or_odd("morning", "flexible"),
    "shoot_type": valid_or_odd("wedding", "snap"),
    "people": valid_or_odd("2", "0", "51"),
    "budget": valid_or_odd("200000", "200,000", "0"),
    "decision": valid_or_odd("accept", "decline"),
    "stars": valid_or_odd("1", "5", "0", "6"),
    "price": valid_or_odd("180000", "", "-1"),
    "consent": valid_or_odd("y"),
    "day": valid_or_odd(
        (seoul_today() + timedelta(days=3)).isoformat(),
        (seoul_today() - timedelta(days=3)).isoformat(),
        "2999-01-01",
    ),
}


@pytest.fixture
def backend() -> str:
    """The fuzzing runs once, on SQLite: PostgreSQL sees the same code paths in the other tests."""
    return "sqlite"


@pytest.fixture
def app_overrides() -> dict:
    """No hourly posting limit gets in the way of hundreds of examples."""
    return {"POSTS_PER_HOUR": 10**6, "COMMENTS_PER_HOUR": 10**6, "REPORTS_PER_HOUR": 10**6}


@pytest.fixture
def member_client(app):
    with app.app_context():
        member = sign_up(
            SignupRequest(
                email="fuzz@example.com",
                password=PASSWORD,
                name="퍼즈",
                birth_date=date(1990, 1, 1),
                language="ko",
                consents={"privacy_notice": True, "terms": True},
            )
        )
        member.status = "active"
        db.session.commit()
    client = app.test_client()
    client.post("/ko/signin", data={"email": "fuzz@example.com", "password": PASSWORD})
    return client


@pytest.fixture
def writing(app, make_member):
    """Factory: what one example of a board or moderation form acts on; returns the ids by placeholder.

    Each example gets fresh writing, so a report, mask or deletion in one example
    leaves the next one something to act on. The fuzzing member is a moderator
    for the moderation forms.
    """
    state = {"count": 0}

    def ask_for_fuzzer() -> int:
        """A fresh ask from another member to the fuzzing member's photographer profile."""
        if "customer" not in state:
            state["customer"] = make_member(email="customer@example.com", name="고객")
        with app.app_context():
            fuzzer = find_member_by_email("fuzz@example.com")
            profile = profile_of(fuzzer) or save_profile(
                fuzzer, ProfileChange("퍼즈 작가", 100_000, ["jeju"], ["snap"])
            )
            customer = db.session.get(Member, state["customer"])
            state["count"] += 1
            day = seoul_today() + timedelta(days=10 + state["count"])
            request = file_request(customer, RequestDraft("jeju", day, "morning", "snap", 2, 200_000))
            send_asks(customer, request, [profile.id])
            return db.session.scalar(select(Ask.id).where(Ask.request_id == request.id))

    def booking_for_fuzzer(completed: bool, fuzzer_shoots: bool) -> dict:
        """A fresh booking with the fuzzing member as customer (or, for replies, as the photographer)."""
        if "customer" not in state:
            state["customer"] = make_member(email="customer@example.com", name="고객")
        if "snapper" not in state:
            state["snapper"] = make_member(email="snapper@example.com", name="작가")
        with app.app_context():
            fuzzer = find_member_by_email("fuzz@example.com")
            if fuzzer_shoots:
                photographer, customer = fuzzer, db.session.get(Member, state["customer"])
            else:
                photographer, customer = db.session.get(Member, state["snapper"]), fuzzer
            profile = profile_of(photographer) or save_profile(
                photographer, ProfileChange("작가", 100_000, ["jeju"], ["snap"])
            )
            state["count"] += 1
            day = seoul_today() + timedelta(days=10 + state["count"])
            request = file_request(customer, RequestDraft("jeju", day, "morning", "snap", 2, 200_000))
            send_asks(customer, request, [profile.id])
            ask_id = db.session.scalar(select(Ask.id).where(Ask.request_id == request.id))
            answer_ask(profile, ask_id, True, None, "", True)
            booking = confirm(customer, ask_id, True)
            ids = {"booking": booking.id}
            if completed:
                booking.shoot_date = seoul_today()
                db.session.commit()
                complete(customer, booking)
                if fuzzer_shoots:
                    ids["review"] = review(customer, booking, 4, "좋았어요").id
            return ids

    def make(url: str) -> dict:
        if "/asks/" in url:
            return {"ask": ask_for_fuzzer()}
        if "/bookings/" in url or "/reviews/" in url:
            return booking_for_fuzzer(completed="/cancel" not in url, fuzzer_shoots="/reviews/" in url)
        if "/photographers/me/blocked" in url:
            with app.app_context():
                fuzzer = find_member_by_email("fuzz@example.com")
                if profile_of(fuzzer) is None:
                    save_profile(fuzzer, ProfileChange("퍼즈 작가", 100_000, ["jeju"], ["snap"]))
            return {}
        if "/boards/" not in url and "/moderation/" not in url:
            return {}
        if "writer" not in state:
            state["writer"] = make_member(
                email="writer@example.com", name="글쓴이", created_at=now_utc() - timedelta(days=60)
            )
        state["count"] += 1
        n = state["count"]
        with app.app_context():
            sync_boards()
            board = board_by_slug("free")
            writer = db.session.get(Member, state["writer"])
            writer.posting_suspended_until = None  # a suspend-author example must not stop the next one
            fuzzer = find_member_by_email("fuzz@example.com")
            fuzzer.staff_role = "moderator" if "/moderation/" in url else None
            db.session.commit()
            body = f"{MASKABLE} 씨의 번호는 010-1234-5678 입니다. ({n})"
            post = create_post(writer, board, f"검토할 글 {n}", body)
            ids = {"post": post.id, "comment": add_comment(writer, post, f"댓글 {n}").id}
            if "{own_post}" in url:
                own = create_post(fuzzer, board, f"내 글 {n}", f"제 이야기입니다. ({n})")
                report(writer, own, "privacy")  # a temporary measure for the author to object to
                ids["own_post"] = own.id
            return ids

    return make


def _counts() -> tuple[int, ...]:
    models = (Post, Comment, Report, TemporaryMeasure, ModerationAction, OutboxMessage)
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in models)


def _clean_text(text: str, most: int) -> bool:
    """Stored member text is within its limit, not blank, with no carriage return, control or format
    character (the zero-width joiners excepted: emoji need them)."""
    return (
        bool(text.strip())
        and len(text) <= most
        and all(
            ch in "\n\t\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
            for ch in text
        )
    )


def assert_records_whole() -> None:
    """What a request that stopped halfway would leave behind is never there.

    Writing within its rules and with its fingerprint; comment counts that agree;
    held writing with its log row, blinded writing with its open measure; reports
    and measures either open or fully closed; suspensions logged.
    """
    actions = list(db.session.scalars(select(ModerationAction)))
    logged = {(row.action, row.target_kind, row.target_id) for row in actions}
    measures = list(db.session.scalars(select(TemporaryMeasure)))
    open_measures = {(m.target_kind, m.target_id) for m in measures if m.decided_at is None}
    posts, comments = list(db.session.scalars(select(Post))), list(db.session.scalars(select(Comment)))
    for content in posts + comments:
        texts = [(content.body, BODY_MAX if content.kind == "post" else COMMENT_MAX)]
        texts += [(content.title, TITLE_MAX)] if content.kind == "post" else []
        assert all(_clean_text(text, most) for text, most in texts), content.id
        assert content.masked or content.body_hash == digest(content.body)
        assert content.status in CONTENT_STATUSES
        assert (content.status == "published") == (content.status_reason is None), content.status_reason
        if content.status == "held":
            assert ("hold", content.kind, content.id) in logged
        if content.status == "blinded":
            assert (content.kind, content.id) in open_measures
    for post in posts:
        published = sum(1 for c in comments if c.post_id == post.id and c.status == "published")
        assert post.comment_count == published, post.id
    present = {("post", p.id): p for p in posts} | {("comment", c.id): c for c in comments}
    for row in db.session.scalars(select(Report)):
        assert row.reason in REPORT_REASONS and len(row.details) <= DETAILS_MAX
        assert (row.status == "open") == (row.resolved_at is None)
        assert row.status != "open" or (row.target_kind, row.target_id) in present
    for measure in measures:
        assert (measure.objected_at is None) == (not measure.objection)
        assert (measure.decided_at is None) == (measure.decision is None)
        if measure.decided_at is None:
            assert present[(measure.target_kind, measure.target_id)].status in ("blinded", "hidden")
    for row in (action for action in actions if action.moderator_id is not None):
        assert row.reason in MODERATION_REASONS and len(row.detail.get("note", "")) <= NOTE_MAX
    for member in db.session.scalars(select(Member).where(Member.posting_suspended_until.is_not(None))):
        assert ("suspend", "member", member.id) in logged
    for ask in db.session.scalars(select(Ask)):
        accepted = ask.status in ("accepted", "booked")
        assert accepted == (ask.photographer_consent_at is not None) and (not accepted or ask.price > 0)
        assert (ask.status in ("accepted", "declined", "booked")) == (ask.answered_at is not None)
        assert len(ask.message) <= 1000
    for row in db.session.scalars(select(Review)):
        assert 1 <= row.stars <= 5 and len(row.text) <= 2_000 and (row.reply is None or row.reply.strip())
    for booking in db.session.scalars(select(Booking)):
        assert booking.status in ("confirmed", "cancelled", "completed")
        assert (booking.status == "cancelled") == bool(booking.cancel_reason)
        assert (booking.status == "confirmed") == (booking.ended_at is None)
    for profile in db.session.scalars(select(PhotographerProfile)):
        assert PRICE_MIN <= profile.starting_price <= PRICE_MAX and profile.display_name.strip()
        assert profile.region_codes and set(profile.region_codes) <= REGION_CODES
        assert profile.specialty_codes and set(profile.specialty_codes) <= SPECIALTY_CODES


@pytest.mark.parametrize("url", sorted(FORMS))
# Forms with many long text fields draw a lot of data on purpose: huge input is part of the point.
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_odd_input_never_causes_a_500_or_a_half_written_record(app, member_client, writing, url, data):
    ids = writing(url)
    fields = FORMS[url]
    strategies = board_values(ids) if "post" in ids else PROFILE_VALUES
    subsets = st.lists(st.sampled_from(fields), unique=True) if fields else st.just([])
    if ids or url in SHOOT_FORMS:  # every field now and then, or the steps after validation seldom run
        subsets = st.one_of(st.just(fields), subsets)
    chosen = data.draw(subsets)
    values = {name: data.draw(strategies.get(name, odd_text)) for name in chosen}
    if "password" in values and url.endswith("/withdraw"):
        values["password"] = "wrong " + values["password"]  # keep the account for the next example
    with app.app_context():
        before = _counts()
    response = member_client.post(url.format(**ids), data=values)
    assert response.status_code < 500, (url, values)
    with app.app_context():
        if response.status_code == 400:  # a refused form wrote nothing
            assert _counts() == before, (url, values)
        assert_records_whole()
    with member_client.session_transaction() as session:
        session.pop("_flashes", None)  # unread messages would pile up in the cookie over the examples


@pytest.mark.parametrize(
    "url", ["/en/boards/free/{id}", "/en/boards/report/post/{id}", "/en/boards/comments/{id}/edit"]
)
def test_an_id_too_big_for_the_database_is_a_404(app, member_client, url):
    with app.app_context():
        sync_boards()
    for too_big in (2**31, 2**63, 2**64):  # past PostgreSQL's integer, and past SQLite's
        assert member_client.get(url.format(id=too_big)).status_code == 404


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.dictionaries(
        st.sampled_from(["region", "specialty", "day", "max_price", "order", "after"]), odd_text
    )
)
def test_any_directory_query_gets_a_page(app, client, query):
    # NUL bytes are refused with a 400 on every route (blueprints/security); anything else is a page.
    expected = 400 if any("\x00" in value for value in query.values()) else 200
    assert client.get("/ko/photographers/", query_string=query).status_code == expected

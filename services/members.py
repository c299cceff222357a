"""Joining: the age gate, the consents, the verification e-mail (SPEC §2, §3)."""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select

from extensions import db
from models.consent import CONSENT_ITEMS, REQUIRED_CONSENTS, ConsentEvent
from models.member import Member
from models.outbox import OutboxMessage
from services.addresses import email_key
from services.age import is_old_enough
from services.clock import now_utc
from services.field_crypto import encrypt_field
from services.link_tokens import LinkTokenError, make_token, member_from_token
from services.outbox import queue_email
from services.passwords import hash_password, password_problem
from services.personal_access import is_frozen
from services.policies import current_version
from services.rejoin import RejoinRefused, check_rejoin

log = logging.getLogger(__name__)

VERIFY_SALT = "email-verification"
VERIFY_MAX_AGE = timedelta(hours=48)


class MembershipError(Exception):
    """A rule refused the request; code names which, field names the form field it concerns."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code, self.field = code, field


@dataclass
class SignupRequest:
    """What the signup form collected, already type-checked."""

    email: str
    password: str
    name: str
    birth_date: date
    language: str
    phone: str | None = None
    preferred_region: str | None = None
    consents: dict[str, bool] = field(default_factory=dict)

    @staticmethod
    def consent_fields() -> tuple[str, ...]:
        """The consent items a signup form asks about, each with its own box."""
        return CONSENT_ITEMS


def usable_address(member: Member) -> bool:
    """Whether mail may go to the member's address (not while they have flagged it as wrong)."""
    return not is_frozen(member, "email")


def find_member_by_email(email: str) -> Member | None:
    """The member with this address, whatever its case."""
    return db.session.scalar(select(Member).where(Member.email_key == email_key(email)))


def _consent_versions() -> dict[str, str]:
    privacy, terms = current_version("privacy"), current_version("terms")
    privacy_version = privacy.version if privacy else "-"
    return {item: (terms.version if terms and item == "terms" else privacy_version) for item in CONSENT_ITEMS}


def record_consents(member: Member, decisions: dict[str, bool], channel: str) -> None:
    """Append one ledger event per decision, under the policy version in force."""
    versions = _consent_versions()
    for item, granted in decisions.items():
        if item not in CONSENT_ITEMS:
            raise ValueError(f"unknown consent item {item!r}")
        db.session.add(
            ConsentEvent(
                member_id=member.id,
                item=item,
                granted=granted,
                policy_version=versions[item],
                channel=channel,
            )
        )


def sign_up(request: SignupRequest) -> Member | None:
    """Create a pending member and e-mail a verification link; None when the address is taken.

    The age gate runs first and stores nothing at all for someone under age. A
    taken address is not revealed: its owner gets an e-mail instead.
    """
    if not is_old_enough(request.birth_date):
        raise MembershipError("under_age", "birth_date")
    if not all(request.consents.get(item) for item in REQUIRED_CONSENTS):
        raise MembershipError("consent_required")
    problem = password_problem(request.password)
    if problem:
        raise MembershipError(problem, "password")
    try:
        check_rejoin(request.email)
    except RejoinRefused:
        raise MembershipError("rejoin_refused") from None
    from services.dormancy import find_dormant  # a sibling rule about the same addresses

    existing = find_member_by_email(request.email) or find_dormant(request.email)
    if existing is not None:
        hash_password(request.password)  # the same work as a new signup: timing reveals nothing
        if existing.status != "dormant" and usable_address(existing):
            queue_email(existing.email, "signup_attempt", existing.language, {}, member_id=existing.id)
            db.session.commit()
        return None
    optional = bool(request.consents.get("optional_profile"))
    member = Member(
        email=request.email.strip(),
        email_key=email_key(request.email),
        password_hash=hash_password(request.password),
        name=request.name.strip(),
        birth_date=request.birth_date,
        language=request.language,
        # Optional items are kept only with their own consent.
        phone_encrypted=encrypt_field(request.phone, "member.phone") if optional and request.phone else None,
        preferred_region=request.preferred_region if optional else None,
    )
    db.session.add(member)
    db.session.flush()
    record_consents(member, {item: bool(request.consents.get(item)) for item in CONSENT_ITEMS}, "signup")
    token = verification_token(member)
    queue_email(member.email, "verify_email", member.language, {"token": token}, member_id=member.id)
    db.session.commit()
    return member


def verification_token(member: Member) -> str:
    """A signed link token naming the member and the address being verified."""
    return make_token(VERIFY_SALT, {"m": member.id, "e": member.email_key})


def verify_email(token: str) -> Member:
    """Activate the member a verification token names; a token works once, within 48 hours."""
    try:
        member, data = member_from_token(VERIFY_SALT, token, VERIFY_MAX_AGE)
    except LinkTokenError as error:
        raise MembershipError(error.code) from None
    if member.email_key != data.get("e"):
        raise MembershipError("token_invalid")
    if member.status != "pending":
        raise MembershipError("token_used")
    member.status = "active"
    member.email_verified_at = now_utc()
    db.session.commit()
    return member


def purge_unverified(now=None) -> int:
    """Delete signups never verified within the verification period; return how many."""
    cutoff = (now or now_utc()) - VERIFY_MAX_AGE
    expired = select(Member.id).where(Member.status == "pending", Member.created_at <= cutoff)
    db.session.execute(delete(ConsentEvent).where(ConsentEvent.member_id.in_(expired)))
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.member_id.in_(expired)))
    result = db.session.execute(delete(Member).where(Member.id.in_(expired)))
    db.session.commit()
    return result.rowcount

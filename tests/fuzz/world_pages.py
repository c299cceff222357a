"""One of everything, for the pages: every GET route's path arguments name a row that exists."""

import re

from sqlalchemy import select

from extensions import db
from models import Ask, PolicyVersion, PortfolioPhoto

from .world import WORLDS, Built, world
from .world_shoots import _booking


@world("everything")
def one_of_everything(fz) -> Built:
    """A post and comment, a request, a booking with its review, a photo, a complaint, a campaign,
    a policy draft, a member to look up and a failed mail: the fuzzer (an officer) may see them all."""
    ids: dict = {}
    for name in ("post", "request", "photo", "complaint", "campaign", "draft", "subject", "failed_mail"):
        ids |= WORLDS[name](fz).ids
    ids |= _booking(fz, fuzzer_shoots=True, stage="reviewed").ids
    photo = db.session.get(PortfolioPhoto, ids["photo"])
    announced = PolicyVersion.announced_at.is_not(None)
    version = db.session.scalar(
        select(PolicyVersion.version).where(PolicyVersion.kind == "privacy", announced)
    )
    profile = db.session.scalar(select(PortfolioPhoto.profile_id).where(PortfolioPhoto.id == photo.id))
    args = {
        "post_id": ids["post"],
        "comment_id": ids["comment"],
        "target_id": ids["post"],
        "booking_id": ids["booking"],
        "request_id": ids["request"],
        "profile_id": profile,
        "complaint_id": ids["complaint"],
        "campaign_id": ids["campaign"],
        "draft_id": ids["draft"],
        "member_id": ids["member"][0],
        "message_id": ids["message"],
        "photo_id": ids["photo"],
        "review_id": ids["review"],
        "ask_id": db.session.scalar(select(Ask.id)),
        "version": version,
        "name": photo.stored_name,
        "slug": "free",
        "token": "not-a-token",
        "filename": "css/site.css",
        "code": "ko",
    }
    return Built(ids=args)


def path_values(rule, args: dict, lang: str) -> dict:
    """Values for every argument of a rule: the world's rows, the first choice of an any() part."""
    values = {}
    for name in rule.arguments:
        choice = re.search(rf"<any\(([^)]*)\):{name}>", rule.rule)
        if choice:
            values[name] = choice.group(1).split(",")[0].strip()
        elif name == "lang_code":
            values[name] = lang
        else:
            values[name] = args[name]
    return values

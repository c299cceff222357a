"""The rules that hold obvious spam for review on arrival (SPEC §9).

A post or comment is held when any rule fires; a moderator then publishes or
deletes it. The rules, in the order they are checked:

- ``blocked_domain``: it links to a domain on SPAM_BLOCKED_DOMAINS (or a subdomain of one);
- ``new_account_links``: the author joined less than SPAM_NEW_ACCOUNT_HOURS ago and it has a link;
- ``too_many_links``: it has more than SPAM_MAX_LINKS links, or links make up over half its text;
- ``repeated``: the same author wrote the same text (ignoring case and spacing) within
  SPAM_REPEAT_HOURS.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, or_, select

from extensions import db
from models.board import Comment, Post
from models.member import Member
from services.text import link_host, links_in

RULES = ("blocked_domain", "new_account_links", "too_many_links", "repeated")


def _blocked(host: str, blocked: list[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in blocked)


def spam_rules_hit(author: Member, text: str, fingerprint: str, now: datetime) -> list[str]:
    """The names of the rules this text breaks, in RULES order (empty: publish it)."""
    config = current_app.config
    links = links_in(text)
    hits = []
    if any(_blocked(link_host(link), config["SPAM_BLOCKED_DOMAINS"]) for link in links):
        hits.append("blocked_domain")
    if links and author.created_at > now - timedelta(hours=config["SPAM_NEW_ACCOUNT_HOURS"]):
        hits.append("new_account_links")
    link_chars = sum(len(link) for link in links)
    if len(links) > config["SPAM_MAX_LINKS"] or (links and link_chars * 2 > len(text.strip())):
        hits.append("too_many_links")
    if _wrote_before(author.id, fingerprint, now - timedelta(hours=config["SPAM_REPEAT_HOURS"])):
        hits.append("repeated")
    return hits


def _wrote_before(author_id: int, fingerprint: str, since: datetime) -> bool:
    """Whether the author posted or commented this same text since then (an indexed lookup)."""
    same = [
        exists().where(
            model.body_hash == fingerprint, model.author_id == author_id, model.created_at >= since
        )
        for model in (Post, Comment)
    ]
    return bool(db.session.scalar(select(or_(*same))))

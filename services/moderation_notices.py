"""Telling people what moderation did: the author always, the claimant of a rights claim too."""

from extensions import db
from models.board import Comment, Post
from models.member import Member
from services.outbox import queue_email
from services.personal_access import is_frozen


def _reachable(member_id: int | None) -> Member | None:
    member = db.session.get(Member, member_id) if member_id else None
    if member is None or member.status != "active" or is_frozen(member, "email"):
        return None
    return member


def _about(content: Post | Comment, reader: Member) -> dict:
    """What the mail may say about the content: the post's title only if the reader may read it."""
    post = content if isinstance(content, Post) else db.session.get(Post, content.post_id)
    shown = post.status == "published" or post.author_id == reader.id
    return {
        "kind": content.kind,
        "title": post.title if shown else "",
        "board_slug": post.board.slug if post.board else "",
        "post_id": post.id,
    }


def tell_author(content: Post | Comment, action: str, reason: str = "", note: str = "") -> None:
    """E-mail the author what happened to their post or comment and why, with the moderator's note."""
    author = _reachable(content.author_id)
    if author:
        context = _about(content, author) | {"action": action, "reason": reason, "note": note, "until": None}
        queue_email(author.email, "moderation_notice", author.language, context, member_id=author.id)


def tell_member(
    member_id: int, action: str, reason: str = "", until: str | None = None, note: str = ""
) -> None:
    """E-mail a member about a step on their account, such as a posting suspension (caller commits)."""
    member = _reachable(member_id)
    if member:
        context = {"kind": "account", "action": action, "reason": reason, "until": until, "note": note}
        queue_email(member.email, "moderation_notice", member.language, context, member_id=member.id)


def tell_measure(content: Post | Comment, claimant_id: int | None, step: str, until: str) -> None:
    """E-mail the claimant and the author about a temporary measure: started or decided (caller commits)."""
    for role, member_id in (("claimant", claimant_id), ("author", content.author_id)):
        member = _reachable(member_id)
        if member:
            context = _about(content, member) | {"role": role, "step": step, "until": until}
            queue_email(member.email, "temporary_measure", member.language, context, member_id=member.id)

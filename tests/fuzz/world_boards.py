"""Worlds of the boards and moderation forms: writing by another member, the fuzzer's own, a suspension."""

from hypothesis import strategies as st

from extensions import db
from models import Comment, Member, Post
from services import moderation
from services.boards import board_by_slug
from services.moderation import MODERATION_REASONS, SUSPENSION_DAYS
from services.posts import add_comment, create_post
from services.reports import report

from .strategies import valid_or_odd
from .world import Built, world

MASKABLE = "홍길동"  # a name in every fresh post, for the mask form to find


def _writing(fz, author_key: str | None) -> tuple[Post, Comment]:
    author = fz.fuzzer() if author_key is None else db.session.get(Member, fz.person(author_key))
    author.posting_suspended_until = None  # a suspend-author example must not stop the next one
    db.session.commit()
    n = db.session.query(Post).count() + 1
    body = f"{MASKABLE} 씨의 번호는 010-1234-5678 입니다. ({n})"
    post = create_post(author, board_by_slug("free"), f"검토할 글 {n}", body)
    return post, add_comment(author, post, f"댓글 {n}")


def _moderation_values(post: Post, comment: Comment) -> dict:
    reason = valid_or_odd(*MODERATION_REASONS)
    target = st.one_of(
        st.sampled_from([f"post:{post.id}", f"comment:{comment.id}"]),
        valid_or_odd("post:999999999999999999", "comment:0", "member:1", f"post:0{post.id}"),
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


def _built(post: Post, comment: Comment, **ids) -> Built:
    return Built(
        ids={"post": post.id, "comment": comment.id, **ids},
        values=_moderation_values(post, comment),
    )


@world("post")
def another_members_writing(fz) -> Built:
    """A post and a comment by an established writer."""
    return _built(*_writing(fz, "writer"))


@world("hidden_post")
def hidden_writing(fz) -> Built:
    """Another member's post and comment, hidden by a moderator (to restore), the post reported."""
    post, comment = _writing(fz, "writer")
    officer = db.session.get(Member, fz.person("officer"))
    report(db.session.get(Member, fz.person("customer")), post, "spam")
    moderation.hide(officer, post, "spam")
    moderation.hide(officer, comment, "spam")
    return _built(post, comment)


@world("own_writing")
def own_writing(fz) -> Built:
    """The fuzzer's own post and comment, to edit and delete."""
    return _built(*_writing(fz, None))


@world("own_measured")
def own_writing_under_measure(fz) -> Built:
    """The fuzzer's own post and comment, each under a temporary measure to object to."""
    post, comment = _writing(fz, None)
    writer = db.session.get(Member, fz.person("writer"))
    report(writer, post, "privacy")
    report(writer, comment, "privacy")
    return _built(post, comment)


@world("suspended")
def suspended_writer(fz) -> Built:
    """A writer suspended from posting, for the lift form."""
    post, comment = _writing(fz, "writer")
    writer = db.session.get(Member, fz.person("writer"))
    moderation.suspend(db.session.get(Member, fz.person("officer")), writer, SUSPENSION_DAYS[0], "spam")
    return _built(post, comment, member=[writer.id, fz.member_id])

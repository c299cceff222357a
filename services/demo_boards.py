"""Demo boards content: posts and comments in both languages, a held spam post, a report, a moderator."""

from sqlalchemy import select

from extensions import db
from models.board import Post
from services.boards import board_by_slug, sync_boards
from services.demo_accounts import DEMO_MEMBER, DEMO_MODERATOR, DEMO_NEIGHBOUR, DEMO_TROLL, ensure_account
from services.posts import add_comment, create_post
from services.reports import report

POSTS = (
    (
        "free",
        "neighbour",
        "제주 스냅 처음 찍어 봤어요",
        "바람이 많이 불었지만 사진은 정말 마음에 들어요.\n다음엔 가을에 다시 가려고요.",
    ),
    (
        "free",
        "member",
        "Golden hour in Gyeongju",
        "Has anyone tried a snap at Daereungwon at sunset? Tips welcome.",
    ),
    (
        "questions",
        "member",
        "가족사진 촬영 때 옷은 어떻게 맞추나요?",
        "네 식구가 찍을 예정인데 색을 맞추는 게 좋을까요?",
    ),
    (
        "reviews",
        "neighbour",
        "Wedding snap in Busan",
        "Our photographer found quiet spots by the sea. Highly recommended.",
    ),
)


def load_demo_boards() -> dict[str, int]:
    """Boards with a few posts, one held spam post and one reported post; only when the boards are empty."""
    sync_boards()
    ensure_account(DEMO_MODERATOR, role="moderator")
    if db.session.scalar(select(Post.id).limit(1)) is not None:
        return {"posts": 0}
    writers = {
        "member": ensure_account(DEMO_MEMBER)[0],
        "neighbour": ensure_account(DEMO_NEIGHBOUR)[0],
    }
    posts = [create_post(writers[who], board_by_slug(slug), title, body) for slug, who, title, body in POSTS]
    add_comment(writers["member"], posts[0], "사진 보고 싶어요! 어느 해변이었나요?")
    add_comment(writers["neighbour"], posts[1], "Try the east side of the tumuli park, around 6 pm in May.")
    troll, _ = ensure_account(DEMO_TROLL, days_old=0)
    create_post(
        troll,
        board_by_slug("free"),
        "최저가 촬영 패키지!!!",
        "지금 바로 https://spam.example/deal 에서 확인하세요 https://spam.example/more",
    )
    off_topic = create_post(troll, board_by_slug("questions"), "Anyone selling a used car?", "DM me.")
    report(writers["member"], off_topic, "off_topic", "Not about photo shoots.")
    return {"posts": len(posts) + 2}

"""Boards: visitors read, members post and comment, authors edit and delete their own (SPEC §9)."""

import re

import pytest
from sqlalchemy import event, func, select

from extensions import db
from models import Comment, Member, Post
from services.clock import now_utc


@pytest.fixture
def writer(board_people, sign_in):
    return sign_in("writer@example.com")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_visitors_read_boards_and_posts_but_must_sign_in_to_write(app, client, board_people, make_post):
    post_id = make_post(board_people["writer"], title="제주 스냅 후기", body="첫 줄\n둘째 줄")
    assert "자유게시판" in client.get("/ko/boards/").get_data(as_text=True)
    assert "Free talk" in client.get("/en/boards/").get_data(as_text=True)
    assert "제주 스냅 후기" in client.get("/ko/boards/free/").get_data(as_text=True)
    page = client.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert '<div class="written">첫 줄\n둘째 줄</div>' in page
    assert "댓글을 쓰려면 로그인하세요." in page
    response = client.get("/ko/boards/free/new")
    assert response.status_code == 302 and "/ko/signin" in response.headers["Location"]
    assert client.get(f"/ko/boards/questions/{post_id}").status_code == 404  # not on that board
    assert client.get("/ko/boards/nowhere/").status_code == 404


def test_authors_show_as_a_pseudonymous_tag_never_a_name_or_address(app, client, board_people, make_post):
    post_id = make_post(board_people["writer"])
    page = client.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert "글쓴이" not in page and "writer@example.com" not in page
    tag = re.search(r"회원 ([0-9A-F]{6})", page).group(1)
    assert str(board_people["writer"]) != tag


def test_a_member_posts_edits_and_deletes_their_post(app, writer):
    response = writer.post("/ko/boards/free/new", data={"title": "  새 글 ", "body": "내용\r\n두 번째 줄"})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert (post.title, post.body, post.status) == ("새 글", "내용\n두 번째 줄", "published")
        post_id = post.id
    assert (
        writer.post(f"/ko/boards/free/{post_id}/edit", data={"title": "고친 글", "body": "고침"}).status_code
        == 302
    )
    with app.app_context():
        edited = db.session.get(Post, post_id)
        assert edited.title == "고친 글" and edited.edited_at is not None
    assert "수정됨" in writer.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert writer.post(f"/ko/boards/free/{post_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id) is None


def test_bad_input_gets_a_message_in_the_readers_language_and_writes_nothing(app, writer):
    empty = writer.post("/ko/boards/free/new", data={"title": " ", "body": "본문"})
    assert empty.status_code == 400 and "내용을 입력하세요." in empty.get_data(as_text=True)
    long = writer.post("/en/boards/free/new", data={"title": "t", "body": "가" * 10_001})
    assert long.status_code == 400 and "Use at most 10000 characters." in long.get_data(as_text=True)
    only_controls = writer.post("/en/boards/free/new", data={"title": "\u202e\u200b", "body": "\x07"})
    assert only_controls.status_code == 400 and "This cannot be empty." in only_controls.get_data(
        as_text=True
    )
    with app.app_context():
        assert count(Post) == 0


def test_nobody_edits_or_deletes_what_another_member_wrote(app, board_people, make_post, sign_in):
    post_id = make_post(board_people["writer"])
    other = sign_in("reader1@example.com")
    assert other.get(f"/ko/boards/free/{post_id}/edit").status_code == 404
    assert other.post(f"/ko/boards/free/{post_id}/edit", data={"title": "x", "body": "y"}).status_code == 404
    assert other.post(f"/ko/boards/free/{post_id}/delete").status_code == 404
    writer = sign_in("writer@example.com")
    writer.post(f"/ko/boards/free/{post_id}/comments", data={"body": "내 댓글"})
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    assert other.post(f"/ko/boards/comments/{comment_id}/delete").status_code == 404
    assert other.post(f"/ko/boards/comments/{comment_id}/edit", data={"body": "바꿈"}).status_code == 404
    with app.app_context():
        assert db.session.get(Post, post_id).title == "제목"
        assert db.session.get(Comment, comment_id).body == "내 댓글"


def test_comments_are_added_edited_and_deleted_and_the_count_follows(app, board_people, make_post, sign_in):
    post_id = make_post(board_people["writer"])
    reader = sign_in("reader1@example.com")
    assert (
        reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": "좋은 글이에요"}).status_code == 302
    )
    assert reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": "   "}).status_code == 302
    with app.app_context():
        (comment_id,) = db.session.scalars(select(Comment.id)).all()  # the blank one was refused
        assert db.session.get(Post, post_id).comment_count == 1
    board = reader.get("/ko/boards/free/").get_data(as_text=True)
    assert 'title="댓글">1</span>' in board
    reader.post(f"/ko/boards/comments/{comment_id}/edit", data={"body": "정말 좋은 글"})
    assert "정말 좋은 글" in reader.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    reader.post(f"/ko/boards/comments/{comment_id}/delete")
    with app.app_context():
        assert count(Comment) == 0 and db.session.get(Post, post_id).comment_count == 0


def test_deleting_a_post_takes_its_comments_with_it(app, board_people, make_post, sign_in):
    post_id = make_post(board_people["writer"])
    sign_in("reader1@example.com").post(f"/ko/boards/free/{post_id}/comments", data={"body": "댓글"})
    sign_in("writer@example.com").post(f"/ko/boards/free/{post_id}/delete")
    with app.app_context():
        assert count(Post) == 0 and count(Comment) == 0


@pytest.mark.parametrize("app_overrides", [{"BOARD_PAGE_SIZE": 20, "POSTS_PER_HOUR": 1000}])
def test_board_pages_walk_by_keyset_both_ways(app, client, board_people, make_post):
    ids = [make_post(board_people["writer"], title=f"글 번호 {n:02d}", body=f"본문 {n}") for n in range(45)]
    first = client.get("/ko/boards/free/").get_data(as_text=True)
    assert "글 번호 44" in first and "글 번호 25" in first and "글 번호 24" not in first
    older = re.search(r'href="/ko/boards/free/\?before=(\d+)"', first).group(1)
    assert int(older) == ids[25]
    second = client.get(f"/ko/boards/free/?before={older}").get_data(as_text=True)
    assert "글 번호 24" in second and "글 번호 05" in second and "글 번호 04" not in second
    third_cursor = re.search(r'href="/ko/boards/free/\?before=(\d+)"', second).group(1)
    third = client.get(f"/ko/boards/free/?before={third_cursor}").get_data(as_text=True)
    assert "글 번호 00" in third and 'rel="next"' not in third  # the end
    newer = re.search(r'href="/ko/boards/free/\?after=(\d+)"', third).group(1)
    back = client.get(f"/ko/boards/free/?after={newer}").get_data(as_text=True)
    assert "글 번호 05" in back and "글 번호 24" in back and "글 번호 25" not in back


@pytest.mark.parametrize("cursor", ["abc", "-5", "0", "99999999999999999999999", "1e9", "%00"])
def test_junk_cursors_show_the_first_page(app, client, board_people, make_post, cursor):
    make_post(board_people["writer"], title="하나뿐인 글")
    response = client.get(f"/ko/boards/free/?before={cursor}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "하나뿐인 글" in response.get_data(as_text=True)


class QueryCounter:
    """Counts the SQL statements the app sends while it is active."""

    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def _count(self, conn, cursor, statement, *args):
        self.count += 1
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def queries_for(app, client, url: str) -> int:
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("app_overrides", [{"POSTS_PER_HOUR": 1000, "COMMENTS_PER_HOUR": 1000}])
def test_board_and_post_pages_cost_a_fixed_number_of_queries(app, board_people, make_post, sign_in):
    reader = sign_in("reader1@example.com")
    writers = [board_people[name] for name in ("writer", "reader1", "reader2", "reader3")]
    post_id = make_post(writers[0])
    reader.get("/ko/boards/")  # the worker's copies of the policy banner and the boards: read once, kept
    one_post = queries_for(app, reader, "/ko/boards/free/")
    for n in range(25):
        make_post(writers[n % 4], title=f"글 {n}")
        reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": f"댓글 {n}"})
    # Signed in: the member, the page of posts and the access-log row; nothing per row.
    assert queries_for(app, reader, "/ko/boards/free/") == one_post == 3
    # The post, the member, its comments, the access-log row.
    assert queries_for(app, reader, f"/ko/boards/free/{post_id}") == 4


@pytest.mark.parametrize("app_overrides", [{"POSTS_PER_HOUR": 2, "COMMENTS_PER_HOUR": 1}])
def test_posting_is_rate_limited_per_member_with_a_clear_message(app, board_people, make_post, sign_in):
    writer = sign_in("writer@example.com")
    for n in range(2):
        assert (
            writer.post("/ko/boards/free/new", data={"title": f"글 {n}", "body": "본문"}).status_code == 302
        )
    refused = writer.post("/ko/boards/free/new", data={"title": "세 번째", "body": "본문"})
    assert refused.status_code == 429
    assert "한 시간에 2개까지 쓸 수 있습니다." in refused.get_data(as_text=True)
    english = writer.post("/en/boards/free/new", data={"title": "fourth", "body": "text"})
    assert "You can write at most 2 of these an hour." in english.get_data(as_text=True)
    other = sign_in("reader1@example.com")  # the limit is per member
    assert other.post("/ko/boards/free/new", data={"title": "다른 회원", "body": "본문"}).status_code == 302
    with app.app_context():
        assert count(Post) == 3
        post_id = db.session.scalar(select(Post.id).limit(1))
    other.post(f"/ko/boards/free/{post_id}/comments", data={"body": "첫 댓글"})
    again = other.post(
        f"/ko/boards/free/{post_id}/comments", data={"body": "둘째 댓글"}, follow_redirects=True
    )
    assert "한 시간에 1개까지 쓸 수 있습니다." in again.get_data(as_text=True)
    with app.app_context():
        assert count(Comment) == 1


def test_a_suspended_member_can_read_but_not_write(app, board_people, make_post, sign_in):
    from datetime import timedelta

    post_id = make_post(board_people["writer"])
    with app.app_context():
        member = db.session.get(Member, board_people["reader1"])
        member.posting_suspended_until = now_utc() + timedelta(days=3)
        db.session.commit()
    reader = sign_in("reader1@example.com")
    assert reader.get(f"/ko/boards/free/{post_id}").status_code == 200
    form = reader.get("/ko/boards/free/new").get_data(as_text=True)
    assert "글과 댓글을 쓸 수 없습니다" in form
    refused = reader.post("/ko/boards/free/new", data={"title": "글", "body": "본문"})
    assert refused.status_code == 400 and "게시판 읽기와 예약은 계속 할 수 있습니다" in refused.get_data(
        as_text=True
    )
    reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": "댓글"})
    with app.app_context():
        assert count(Post) == 1 and count(Comment) == 0
    assert "글과 댓글을 쓸 수 없습니다" in reader.get("/ko/me/").get_data(as_text=True)


def test_my_info_lists_my_posts_and_the_export_carries_them(app, board_people, make_post, sign_in):
    make_post(board_people["writer"], title="내가 쓴 글")
    writer = sign_in("writer@example.com")
    assert "내가 쓴 글" in writer.get("/ko/me/").get_data(as_text=True)
    exported = writer.get("/ko/me/export.json").get_json()
    assert [post["title"] for post in exported["posts"]] == ["내가 쓴 글"]
    assert "body_hash" not in exported["posts"][0]


def test_broken_link_look_alikes_are_text_not_a_crash(app, writer):
    body = "see http://[abc and https://]y and http://[::1 here"
    response = writer.post("/ko/boards/free/new", data={"title": "이상한 주소", "body": body})
    assert response.status_code == 302
    page = writer.get(response.headers["Location"]).get_data(as_text=True)
    assert "http://[abc" in page and 'href="http://[abc' not in page


def test_an_edited_comment_is_screened_for_spam_again(app, board_people, make_post, sign_in):
    post_id = make_post(board_people["writer"])
    reader = sign_in("reader1@example.com")
    reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": "좋은 글"})
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    links = " ".join(f"https://ads{n}.example/" for n in range(5))
    reader.post(f"/ko/boards/comments/{comment_id}/edit", data={"body": links})
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert (comment.status, comment.status_reason) == ("held", "too_many_links")
        assert db.session.get(Post, post_id).comment_count == 0

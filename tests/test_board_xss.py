"""What members write stays inert text: XSS payloads through the real routes, and services/text.py itself.

Each payload goes in as a post title, a post body, a comment, report details, a
moderator's note and an objection, through the signed-in HTTP routes. The board
list, the post page, the edit form and the moderator's item page are then read
with html.parser: no script or event-handler markup anywhere, member text only
as text plus the site's own http(s) anchors, and the payload there verbatim
(after normalising), so escaped rather than interpreted.
"""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from extensions import db
from models.board import Comment
from services.boards import sync_boards
from services.clock import now_utc
from services.moderation import NOTE_MAX
from services.posts import COMMENT_MAX, TITLE_MAX
from services.reports import DETAILS_MAX
from services.text import links_in, mask_spans, normalise, single_line, split_links

AUTHOR, MODERATOR = "writer@example.com", "moderator@example.com"
SITE_NAME = "USNAPER"
# Ordinary prose after each payload, so a payload that is mostly a link is not held as link spam.
FILLER = "오늘 촬영은 즐거웠습니다. " * 12 + "Thanks for reading this long enough sentence. " * 6

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-upper-src": "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "script-nested": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-quoted": '<img src="x" onerror="alert(document.cookie)">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "body-onload": "<body onload=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "input-onfocus": "<input autofocus onfocus=alert(1)>",
    "anchor-onclick": '<a href="http://x.example/" onclick="alert(1)">ok</a>',
    "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>">',
    "object-data": '<object data="data:text/html,<script>alert(1)</script>">',
    "embed": '<embed src="javascript:alert(1)">',
    "form-action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "style-tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "style-attribute": "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "anchor-javascript": '<a href="javascript:alert(1)">click</a>',
    "bare-javascript": "javascript:alert(1)",
    "mixed-case-javascript": "JaVaScRiPt:alert(1) and javascript://x.example/%0Aalert(1)",
    "data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "anchor-data-url": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "url-double-quote": 'http://x.example/"onmouseover=alert(1)',
    "url-single-quote": "http://x.example/'onmouseover='alert(1)'",
    "url-backtick": "http://x.example/`onmouseover=alert(1)`",
    "url-angle-brackets": "http://x.example/<script>alert(1)</script>",
    "url-ampersand": 'http://x.example/?a=1&b=<2>&c="3"',
    "url-entity-quote": "https://x.example/path?q=&quot;onmouseover=alert(1)&quot;",
    "url-closes-anchor": 'http://x.example/</a><a href="javascript:alert(1)">y',
    "url-upper-case": "HTTPS://X.EXAMPLE/PATH",
    "url-trailing-punctuation": "see https://x.example/path),;:!? and (https://x.example/a).",
    "url-bidi": "http://x.example/\u202egpj.exe",
    "url-zero-width": "https://x.example/a\u200bb",
    "url-long": "https://x.example/" + "a" * 150,
    "markdown-javascript": "[x](javascript:alert(1))",
    "markdown-quote-breakout": '[x](http://x.example/"onmouseover=alert(1))',
    "markdown-image": '![x](https://x.example/a.png" onerror="alert(1))',
    "attribute-breakout": '"><script>alert(1)</script>',
    "single-quote-breakout": "'><img src=x onerror=alert(1)>",
    "backticks": "`onmouseover=alert(1)` and ``double``",
    "textarea-breakout": "</textarea><script>alert(1)</script>",
    "title-breakout": "</title><script>alert(1)</script>",
    "comment-breakout": '<!--<img src="--><img src=x onerror=alert(1)//">',
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "mutation-math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "entities-named": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "entities-decimal": "&#60;script&#62;alert(1)&#60;/script&#62;",
    "entities-hex": "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "entities-double": "&amp;lt;b&amp;gt; &amp;amp;",
    "fullwidth-brackets": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "escaped-sequences": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "percent-encoded": "%3Cscript%3Ealert(1)%3C/script%3E",
    "harmless-tags": "<b>bold</b> <i>italic</i> <u>u</u> <br>",
    "jinja-expression": "{{7*7}}",
    "jinja-globals": "{{ config }} {{ self.__init__.__globals__ }} {{ request.application }}",
    "jinja-raw": "{% raw %}{{7*7}}{% endraw %}",
    "jinja-loop": "{% for x in range(3) %}{{x}}{% endfor %}",
    "other-templates": "${7*7} #{7*7} <%= 7*7 %> {7*7}",
    "bidi-overrides": "\u202e\u2066evil\u2069 gnp.exe \u202a\u202b\u202c\u202d\u2067\u2068 end",
    "zero-width": "pay\u200bpal\u200c\u200d\ufeff login",
    "control-characters": "\x01\x02\x07\x1b[31mred\x1b[0m\x7f\x85 visible",
    "line-breaks-and-tabs": "tab\there\nnew line\r\nCRLF\rCR",
    "korean-and-script": "안녕하세요 <script>alert('한글')</script> 촬영 문의",
    "long-unbroken": "A" * 5000,
    "long-angle-brackets": "<" * 3000,
    "long-ampersands": "&" * 3000,
    "url-bad-ipv6-host": "see http://[x and http://x]y and http://[::1]/ too",
}


@pytest.fixture
def backend() -> str:
    """SQLite only: escaping happens in the templates, the same on either database, and the corpus is long."""
    return "sqlite"


@pytest.fixture
def app_overrides() -> dict:
    """Dozens of posts and comments an hour from one member."""
    return {"POSTS_PER_HOUR": 1000, "COMMENTS_PER_HOUR": 1000}


@pytest.fixture
def people(app, make_member, sign_in):
    """The boards, an author old enough to post links, a moderator; their signed-in clients."""
    with app.app_context():
        sync_boards()
    joined = now_utc() - timedelta(days=60)
    make_member(email=AUTHOR, created_at=joined)
    make_member(email=MODERATOR, name="관리자", created_at=joined, staff_role="moderator")
    return sign_in(AUTHOR), sign_in(MODERATOR)


class Region:
    """One element of interest: the tags inside it and its text (character references decoded)."""

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs = tag, attrs
        self.tags: list[tuple[str, dict]] = []
        self.text = ""

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose text may be a member's words: the written text, titles, links, form fields.
REGION_TAGS = {"title", "h1", "h2", "a", "textarea", "ol"}


class Page(HTMLParser):
    """Every tag of a page, and the tags and text inside the elements that show member text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.regions: list[Region] = []
        self._open: list[tuple[str, Region | None]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        for _, region in self._open:
            if region is not None:
                region.tags.append((tag, attrs))
        if tag in VOID:
            return
        region = None
        if tag in REGION_TAGS or "written" in (attrs.get("class") or "").split():
            region = Region(tag, attrs)
            self.regions.append(region)
        self._open.append((tag, region))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        for _, region in self._open:
            if region is not None:
                region.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                return

    def handle_data(self, data):
        for _, region in self._open:
            if region is not None:
                region.text += data

    @property
    def written(self) -> list[Region]:
        return [region for region in self.regions if "written" in region.classes]

    def field(self, name: str) -> dict:
        (attrs,) = [attrs for tag, attrs in self.tags if tag == "input" and attrs.get("name") == name]
        return attrs


ACTIVE_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "img", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href", "poster"}
UNSAFE_SCHEME = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)


def assert_inert(html: str, written: list[str], titles: list[str] = ()) -> Page:
    """No active markup anywhere; expected texts shown as text; member links only as the site makes them."""
    assert "<script" not in html.lower()
    page = Page(html)
    for tag, attrs in page.tags:
        assert tag not in ACTIVE_TAGS, (tag, attrs)
        assert not [name for name in attrs if re.fullmatch(r"on\w+", name)], (tag, attrs)
        assert not (tag == "meta" and "http-equiv" in attrs), attrs
        for name in URL_ATTRIBUTES & set(attrs):
            assert not UNSAFE_SCHEME.match(attrs[name] or ""), (tag, attrs)
    for region in page.written:
        for tag, attrs in region.tags:
            assert tag == "a", (tag, attrs)
            assert set(attrs) == {"href", "rel"}, attrs
            assert re.match(r"https?://", attrs["href"], re.IGNORECASE), attrs
            assert attrs["rel"] == "nofollow ugc noopener", attrs
        assert [attrs["href"] for _, attrs in region.tags] == links_in(region.text)
    for anchor in page.regions:
        if anchor.tag == "a" and anchor.attrs.get("rel") == "nofollow ugc noopener":
            assert anchor.text == anchor.attrs["href"] and not anchor.tags, anchor.attrs
    assert sorted(region.text for region in page.written) == sorted(written)
    for title in titles:
        assert any(region.text == title and not region.tags for region in page.regions), title
    return page


def post_text(payload: str) -> tuple[str, str]:
    """The title and body a payload becomes (the title within its limit)."""
    return payload[:TITLE_MAX], f"{payload}\n\n{FILLER}"


def comment_text(payload: str) -> str:
    return f"Comment: {payload[: COMMENT_MAX - len(FILLER) - 20]}\n\n{FILLER}"


def write(author, payload: str) -> tuple[int, int]:
    """Post and comment the payload through the routes; both must be published. Returns their ids."""
    title, body = post_text(payload)
    response = author.post("/en/boards/free/new", data={"title": title, "body": body})
    assert response.status_code == 302
    match = re.fullmatch(r"/en/boards/free/(\d+)", response.headers["Location"])
    assert match, f"held instead of published: {response.headers['Location']}"
    post_id = int(match.group(1))
    response = author.post(f"/en/boards/free/{post_id}/comments", data={"body": comment_text(payload)})
    assert response.status_code == 302
    with author.application.app_context():
        (comment,) = db.session.scalars(select(Comment).where(Comment.post_id == post_id))
        assert comment.status == "published", comment.status_reason
        return post_id, comment.id


CORPUS = [pytest.param(payload, id=name) for name, payload in PAYLOADS.items()]


def test_the_corpus_is_big_enough():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("payload", CORPUS)
def test_payload_is_inert_on_the_board_and_the_post_page(app, people, payload):
    author, _ = people
    post_id, _ = write(author, payload)
    title, body = post_text(payload)
    visitor = app.test_client()

    listing = visitor.get("/en/boards/free/")
    assert listing.status_code == 200
    assert_inert(listing.get_data(as_text=True), written=[], titles=[single_line(title)])

    page = visitor.get(f"/en/boards/free/{post_id}")
    assert page.status_code == 200
    parsed = assert_inert(
        page.get_data(as_text=True),
        written=[normalise(body), normalise(comment_text(payload))],
        titles=[single_line(title), f"{single_line(title)} · {SITE_NAME}"],
    )
    assert [region.text for region in parsed.regions if region.tag == "h1"] == [single_line(title)]


@pytest.mark.parametrize("payload", CORPUS)
def test_payload_stays_inside_the_form_fields(app, people, payload):
    author, _ = people
    post_id, _ = write(author, payload)
    title, body = post_text(payload)

    edit = author.get(f"/en/boards/free/{post_id}/edit")
    assert edit.status_code == 200
    page = assert_inert(edit.get_data(as_text=True), written=[])
    assert page.field("title")["value"] == single_line(title)
    (textarea,) = [region for region in page.regions if region.tag == "textarea"]
    assert textarea.text.removeprefix("\r\n") == normalise(body) and not textarea.tags

    refused = author.post("/en/boards/free/new", data={"title": title, "body": ""})
    assert refused.status_code == 400
    assert Page(refused.get_data(as_text=True)).field("title")["value"] == title
    assert_inert(refused.get_data(as_text=True), written=[])


@pytest.mark.parametrize("payload", CORPUS)
def test_payload_is_inert_on_the_moderator_pages(app, people, payload):
    author, moderator = people
    post_id, comment_id = write(author, payload)
    title, body = post_text(payload)
    details, note = payload[:DETAILS_MAX], payload[:NOTE_MAX]

    reported = moderator.post(
        f"/en/boards/report/post/{post_id}", data={"reason": "spam", "details": details}
    )
    assert reported.status_code == 302
    dismissed = moderator.post(
        f"/en/moderation/post/{post_id}/dismiss", data={"reason": "other", "note": note}
    )
    assert dismissed.status_code == 302
    item = moderator.get(f"/en/moderation/post/{post_id}")
    assert item.status_code == 200
    page = assert_inert(
        item.get_data(as_text=True),
        written=[normalise(body), normalise(details)],
        titles=[single_line(title)],
    )
    (history,) = [region for region in page.regions if "history" in region.classes]
    assert normalise(note) in history.text and {tag for tag, _ in history.tags} == {"li"}

    # A privacy claim blinds the comment; the author's objection is shown to the moderator.
    claim = {"reason": "privacy", "details": details}
    assert moderator.post(f"/en/boards/report/comment/{comment_id}", data=claim).status_code == 302
    objected = author.post(f"/en/boards/objection/comment/{comment_id}", data={"objection": details})
    assert objected.status_code == 302
    item = moderator.get(f"/en/moderation/comment/{comment_id}")
    assert item.status_code == 200
    assert_inert(
        item.get_data(as_text=True),
        written=[normalise(comment_text(payload)), normalise(details), normalise(details)],
        titles=[single_line(title)],
    )


def test_template_syntax_is_shown_as_written_never_evaluated(app, people):
    author, _ = people
    source = "{{7*7}} {% if true %}yes{% endif %} {{ config.SECRET_KEY }}"
    post_id, _ = write(author, source)
    html = app.test_client().get(f"/en/boards/free/{post_id}").get_data(as_text=True)
    page = Page(html)
    assert [region.text for region in page.regions if region.tag == "h1"] == [source]
    assert all(region.text.startswith(("Comment: " + source, source)) for region in page.written)
    assert app.config["SECRET_KEY"] not in html


# services/text.py on its own.

LAYOUT_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("control", list(LAYOUT_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_normalise_strips_bidi_controls(control):
    assert normalise(f"abc{control}def") == "abcdef"


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"])
def test_normalise_strips_control_characters(control):
    assert normalise(f"a{control}b") == "ab"


def test_normalise_strips_zero_width_characters():
    assert normalise("pay\u200bpal\ufeff") == "paypal"


def test_normalise_keeps_line_breaks_and_tabs():
    assert normalise("a\tb\nc\t\td\n\ne") == "a\tb\nc\t\td\n\ne"


def test_normalise_makes_unix_line_breaks_and_drops_trailing_blanks():
    assert normalise("\n  a \r\nb\t\rc  \n\n") == "a\nb\nc"


def test_normalise_composes_to_nfc():
    assert normalise("e\u0301 \u1100\u1161") == "\u00e9 \uac00"


def test_normalise_turns_none_into_empty_text():
    assert normalise(None) == ""


@given(st.text())
def test_normalise_leaves_no_control_or_layout_characters(text):
    cleaned = normalise(text)
    assert not set(cleaned) & set(LAYOUT_CONTROLS)
    assert all(ch in "\n\t" or ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F for ch in cleaned)


def test_normalise_is_nfc_even_when_a_control_character_split_a_letter():
    assert normalise("e\x00\u0301") == normalise(normalise("e\x00\u0301")) == "\u00e9"


@pytest.mark.parametrize("mark", list(".,;:!?)]}'\"》」』）"))
def test_split_links_keeps_trailing_punctuation_out_of_the_link(mark):
    assert split_links(f"see http://x.example/a{mark} next") == [
        ("text", "see "),
        ("link", "http://x.example/a"),
        ("text", f"{mark} next"),
    ]


def test_split_links_keeps_several_trailing_marks_out():
    assert split_links("(https://x.example/path).") == [
        ("text", "("),
        ("link", "https://x.example/path"),
        ("text", ")."),
    ]


@pytest.mark.parametrize("stop", ['"', "'", "`", "<", ">", " ", "\n"])
def test_split_links_ends_a_link_at_quotes_brackets_and_spaces(stop):
    pieces = split_links(f"http://x.example/a{stop}onmouseover=alert(1)")
    assert pieces[0] == ("link", "http://x.example/a")
    assert "".join(part for _, part in pieces[1:]) == f"{stop}onmouseover=alert(1)"


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://x.example/",
        "http://",
        "https:// x.example",
        "//x.example/",
    ],
)
def test_split_links_makes_links_of_http_urls_with_a_host_only(text):
    assert split_links(text) == [("text", text)]


def test_split_links_of_empty_text_is_empty():
    assert split_links("") == []


URL_PIECES = ["http://", "https://", "HTTP://", "x.example", "/", ".", ")", "(", '"', "'", "`", " ", "\n"]
URL_PIECES += ["한글", "&", "<", ">", "?q=1", "#f", ":", ",", "」", "\u202e", "javascript:", "%0A"]
URL_PIECES += ["[", "]", "::1"]


@given(st.lists(st.sampled_from(URL_PIECES), max_size=20).map("".join))
def test_split_links_loses_nothing_and_makes_only_http_links(text):
    pieces = split_links(text)
    assert "".join(part for _, part in pieces) == text
    for kind, part in pieces:
        if kind == "link":
            assert re.match(r"https?://[^\s<>\"'`]+$", part, re.IGNORECASE)
            assert part[-1] not in ".,;:!?)]}'\"》」』）"


@pytest.mark.parametrize("text", ["see http://[x and", "http://x]y", "http://[::1"])
def test_split_links_leaves_a_malformed_host_as_text(text):
    assert split_links(text) == [("text", text)]


def test_mask_spans_replaces_each_occurrence_with_one_symbol_per_character():
    assert mask_spans("김철수 said 김철수, not 김철", ["김철수"]) == "○○○ said ○○○, not 김철"


def test_mask_spans_masks_several_spans_longest_first():
    assert mask_spans("Kim Chulsoo and Kim", ["Kim", "Kim Chulsoo"]) == "○○○○○○○○○○○ and ○○○"


def test_mask_spans_ignores_blank_spans_and_missing_ones():
    assert mask_spans("some text", ["", " ", "\n", "absent"]) == "some text"


def test_mask_spans_takes_another_symbol():
    assert mask_spans("010-1234-5678", ["1234-5678"], symbol="*") == "010-*********"


def test_mask_spans_masks_overlapping_spans_together():
    assert mask_spans("김철수", ["김철", "철수"]) == "○○○"


SPANS = st.text(min_size=1).filter(lambda span: span.strip() and "○" not in span)


@given(st.text(min_size=1), st.lists(SPANS, max_size=4))
def test_mask_spans_keeps_the_length_and_leaves_no_span(text, spans):
    masked = mask_spans(text, spans)
    assert len(masked) == len(text)
    longest = max(spans, key=len, default="")
    assert not longest or longest not in masked


def test_a_closing_bracket_stays_in_a_link_that_opened_one():
    assert links_in("see https://w.example/wiki/Foo_(bar).") == ["https://w.example/wiki/Foo_(bar)"]
    assert links_in("(see https://w.example/page)") == ["https://w.example/page"]


def test_normalise_keeps_emoji_joiners():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert normalise(f"우리 {family} 가족") == f"우리 {family} 가족"


def test_titles_are_one_line():
    assert single_line(" 제목\n둘째 줄\t\t끝 ") == "제목 둘째 줄 끝"

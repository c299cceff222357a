"""What the pages ask a browser to fetch and what search engines read, checked in the HTML itself.

The page-weight goals of issue #9 (home page <= 60 KB, <= 5 KB of JavaScript, no third-party
request) and the Lighthouse basics (a description, a language, sized images) are measured in a
real browser by `make bench`; these tests hold the same lines on every change, without one.
"""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.test_pages import public_page_urls, site_content  # noqa: F401  (the autouse content fixture)

HOME_MAX_BYTES = 60 * 1024
HOME_MAX_JS_BYTES = 5 * 1024
# Attributes through which a page makes the browser fetch something on its own.
FETCHING = {("link", "href"), ("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
            ("source", "src"), ("source", "srcset"), ("video", "src"), ("audio", "src"), ("embed", "src"),
            ("object", "data"), ("video", "poster"), ("input", "src")}  # fmt: skip
# <link rel> values that are documents to navigate to, not resources the page loads.
NAVIGATION_RELS = {"alternate", "canonical", "next", "prev", "author", "help", "license", "search"}


class PageParts(HTMLParser):
    """The parts of a page these tests look at: what it fetches, its head, its images."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[tuple[str, str]] = []  # (tag, url)
        self.lang: str | None = None
        self.description: str | None = None
        self.title = ""
        self.images: list[dict] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content", "")
        if tag == "title":
            self._in_title = True
        if tag == "img":
            self.images.append(values)
        if tag == "link" and set(values.get("rel", "").split()) & NAVIGATION_RELS:
            return
        for name, value in values.items():
            if (tag, name) in FETCHING and value:
                for candidate in value.split(","):
                    self.fetched.append((tag, candidate.strip().split(" ")[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parts_of(html: str) -> PageParts:
    """Parse one page."""
    parser = PageParts()
    parser.feed(html)
    return parser


def is_third_party(url: str) -> bool:
    """Anything with a host of its own (or a scheme such as data: that is not a path on our site)."""
    split = urlsplit(url)
    return bool(split.scheme or split.netloc)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_home_page_fetches_nothing_from_another_host(client, language):
    parts = parts_of(client.get(f"/{language}/").get_data(as_text=True))
    assert parts.fetched, "the home page should at least load its style sheet"
    assert [url for _tag, url in parts.fetched if is_third_party(url)] == []


@pytest.mark.parametrize("language", ["ko", "en"])
def test_home_page_and_what_it_loads_stay_within_budget(client, language):
    html = client.get(f"/{language}/").get_data()
    total, scripts = len(html), 0
    for tag, url in parts_of(html.decode()).fetched:
        response = client.get(url)
        assert response.status_code == 200, url
        total += len(response.get_data())
        if tag == "script":
            scripts += len(response.get_data())
    scripts += html.count(b"<script")  # inline scripts are refused by the CSP anyway: any is a bug
    assert scripts <= HOME_MAX_JS_BYTES
    assert total <= HOME_MAX_BYTES  # uncompressed and without headers: the wire is lighter still


def test_budget_check_sees_a_script_and_a_foreign_host():
    """The parser the two tests above trust finds what they are looking for."""
    parts = parts_of(
        '<html lang="ko"><link rel="stylesheet" href="https://cdn.example/x.css">'
        '<link rel="alternate" hreflang="en" href="http://localhost/en/">'
        '<script src="/static/app.js"></script><img src="/a.jpg" srcset="/b.jpg 2x, //c.example/c.jpg 3x">'
    )
    fetched = [url for _tag, url in parts.fetched]
    assert fetched == ["https://cdn.example/x.css", "/static/app.js", "/a.jpg", "/b.jpg", "//c.example/c.jpg"]
    foreign = [url for url in fetched if is_third_party(url)]
    assert foreign == ["https://cdn.example/x.css", "//c.example/c.jpg"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_public_page_has_a_title_description_and_language(client, app, language):
    descriptions = set()
    for url in public_page_urls(app, language):
        parts = parts_of(client.get(url).get_data(as_text=True))
        assert parts.lang == language, url
        assert parts.title.strip(), url
        assert parts.description and len(parts.description.strip()) >= 20, url
        descriptions.add(parts.description)
    assert len(descriptions) >= 1


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    """Portfolio files in this test's own folder."""
    return {"PHOTO_DIR": str(tmp_path / "photos")}


@pytest.fixture
def portfolio(app) -> None:
    """Two photos in the site_content photographer's portfolio (profile 1)."""
    from extensions import db
    from models import PhotographerProfile
    from services.photographers import add_photo

    with app.app_context():
        profile = db.session.get(PhotographerProfile, 1)
        for colour in ("red", "blue"):
            buffer = io.BytesIO()
            Image.new("RGB", (300, 200), colour).save(buffer, "JPEG")
            add_photo(profile, buffer.getvalue())


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_image_is_sized_and_described(client, app, portfolio, language):
    """Width and height reserve the space (no layout shift); alt text is what a screen reader says."""
    seen = 0
    for url in public_page_urls(app, language):
        for image in parts_of(client.get(url).get_data(as_text=True)).images:
            seen += 1
            assert image.get("width", "").isdigit() and image.get("height", "").isdigit(), (url, image)
            assert "alt" in image, (url, image)
    assert seen >= 2, "the portfolio photos should be on the profile page"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_first_portfolio_photo_is_fetched_at_once_and_the_rest_lazily(client, portfolio, language):
    """The first photo is the largest paint on a phone: lazy-loading it delays the page's LCP."""
    images = parts_of(client.get(f"/{language}/photographers/1").get_data(as_text=True)).images
    photos = [image for image in images if image["src"].startswith("/media/photos/")]
    assert len(photos) == 2
    assert "loading" not in photos[0] and photos[0].get("fetchpriority") == "high"
    assert photos[1].get("loading") == "lazy" and "fetchpriority" not in photos[1]

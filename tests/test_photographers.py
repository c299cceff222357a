"""Photographers: the profile, the portfolio without metadata, blocked days and the directory (SPEC §8)."""

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from extensions import db
from models import BlockedDate, Member, PhotographerProfile, PortfolioPhoto
from services.clock import seoul_today
from services.photos import path_for
from tests.test_boards import queries_for
from tests.test_photos import GPS_IFD, jpeg_with_gps

PROFILE = {
    "display_name": "  바다 사진관 ",
    "starting_price": "150000",
    "regions": ["jeju", "busan"],
    "specialties": ["wedding", "snap"],
    "languages": ["ko", "en"],
    "bio_ko": "바다에서 찍습니다.",
    "bio_en": "I shoot by the sea.",
}


@pytest.fixture
def app_overrides(tmp_path):
    return {"PHOTO_DIR": str(tmp_path / "photos"), "DIRECTORY_PAGE_SIZE": 2}


@pytest.fixture
def photographer(app, make_member, sign_in):
    make_member(email="shooter@example.com")
    client = sign_in("shooter@example.com")
    assert client.post("/ko/photographers/me", data=PROFILE).status_code == 302
    return client


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, data: bytes, name: str = "photo.jpg", lang: str = "ko"):
    return client.post(
        f"/{lang}/photographers/me/photos",
        data={"photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_a_member_becomes_a_photographer_with_a_public_profile(app, client, photographer):
    with app.app_context():
        profile = db.session.scalar(select(PhotographerProfile))
        assert profile.display_name == "바다 사진관" and profile.starting_price == 150_000
        assert profile.region_codes == ["busan", "jeju"] and profile.specialty_codes == ["snap", "wedding"]
        profile_id = profile.id
    korean = client.get(f"/ko/photographers/{profile_id}").get_data(as_text=True)
    assert "바다 사진관" in korean and "부산 · 제주" in korean and "150,000원부터" in korean
    assert "바다에서 찍습니다." in korean and "shooter@example.com" not in korean
    english = client.get(f"/en/photographers/{profile_id}").get_data(as_text=True)
    assert "I shoot by the sea." in english and "From 150,000 won" in english


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"regions": []}, "하나 이상 고르세요."),
        ({"regions": ["mars"]}, "목록에서 고르세요."),
        ({"starting_price": "9999"}, "10,000원부터 100,000,000원까지"),
        ({"starting_price": "많이"}, "원 단위 숫자로"),
        ({"display_name": " \u202e "}, "내용을 입력하세요."),
        ({"display_name": "가" * 61}, "60자 이내로"),
    ],
)
def test_a_bad_profile_gets_a_message_and_writes_nothing(app, make_member, sign_in, change, message):
    make_member(email="shooter@example.com")
    response = sign_in("shooter@example.com").post("/ko/photographers/me", data=PROFILE | change)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert count(PhotographerProfile) == 0


def test_an_uploaded_photo_loses_its_gps_tags_and_is_served_as_a_jpeg(app, client, photographer):
    page = upload(photographer, jpeg_with_gps())
    assert "위치나 카메라 정보 없이" in page.get_data(as_text=True)
    with app.app_context():
        photo = db.session.scalar(select(PortfolioPhoto))
        stored = path_for(photo.stored_name).read_bytes()
        name = photo.stored_name
    assert b"Exif" not in stored and b"Secret Camera" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
    served = client.get(f"/media/photos/{name}.jpg")
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff" and served.data == stored
    assert client.get(f"/media/photos/{name}.thumb.jpg").status_code == 200
    for bad in ("../../etc/passwd", "x" * 24, name[:-1], f"{name}.png"):
        assert client.get(f"/media/photos/{bad}.jpg").status_code == 404


def test_what_is_not_a_photo_is_refused_with_a_clear_message(app, photographer):
    refused = upload(photographer, b"<svg onload=alert(1)>", name="cat.jpg")
    assert "읽을 수 있는 JPEG, PNG, WebP 사진이 아닙니다" in refused.get_data(as_text=True)
    english = upload(photographer, b"", name="empty.jpg", lang="en")
    assert "That file is not a JPEG, PNG or WebP photo we can read." in english.get_data(as_text=True)
    nothing = photographer.post("/en/photographers/me/photos", data={}, follow_redirects=True)
    assert "Choose a photo." in nothing.get_data(as_text=True)
    with app.app_context():
        assert count(PortfolioPhoto) == 0


def test_photos_are_deleted_only_by_their_photographer(app, photographer, make_member, sign_in):
    upload(photographer, jpeg_with_gps())
    with app.app_context():
        photo_id, name = db.session.execute(select(PortfolioPhoto.id, PortfolioPhoto.stored_name)).one()
    make_member(email="other@example.com")
    other = sign_in("other@example.com")
    assert other.post(f"/ko/photographers/me/photos/{photo_id}/delete").status_code == 404  # no profile
    other.post("/ko/photographers/me", data=PROFILE | {"display_name": "다른 작가"})
    assert other.post(f"/ko/photographers/me/photos/{photo_id}/delete").status_code == 404  # not theirs
    assert photographer.post(f"/ko/photographers/me/photos/{photo_id}/delete").status_code == 302
    with app.app_context():
        assert count(PortfolioPhoto) == 0 and not path_for(name).exists()


def test_a_photo_id_past_the_database_integer_is_not_found(photographer):
    # Found by the fuzzer: the id went to the database as it was (a 500 on SQLite and PostgreSQL).
    for too_big in (2**31, 2**63, 2**64):
        assert photographer.post(f"/ko/photographers/me/photos/{too_big}/delete").status_code == 404


def test_blocked_days_can_be_added_and_freed_but_not_in_the_past(app, photographer):
    day = seoul_today() + timedelta(days=5)
    photographer.post("/ko/photographers/me/blocked/add", data={"day": day.isoformat()})
    photographer.post("/ko/photographers/me/blocked/add", data={"day": day.isoformat()})  # twice is once
    past = photographer.post(
        "/ko/photographers/me/blocked/add", data={"day": (seoul_today() - timedelta(days=1)).isoformat()}
    )
    assert "지난 날짜입니다." in photographer.get(past.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(BlockedDate.day)).all() == [day]
    photographer.post("/ko/photographers/me/blocked/remove", data={"day": day.isoformat()})
    with app.app_context():
        assert count(BlockedDate) == 0


def names_on(client, url: str) -> list[str]:
    return re.findall(r'<span class="card-name">([^<]+)</span>', client.get(url).get_data(as_text=True))


def test_the_directory_filters_by_region_kind_free_day_and_price(app, client, make_photographer):
    from services.photographers import block_day

    make_photographer("a@example.com", display_name="제주 웨딩", regions=["jeju"], specialties=["wedding"])
    _, busy = make_photographer(
        "b@example.com", display_name="제주 스냅", regions=["jeju"], starting_price=50_000
    )
    make_photographer("c@example.com", display_name="서울 스냅", regions=["seoul"], starting_price=300_000)
    day = seoul_today() + timedelta(days=7)
    with app.app_context():
        block_day(db.session.get(PhotographerProfile, busy), day)
    url = "/ko/photographers/?order=price"
    assert names_on(client, url + "&region=jeju") == ["제주 스냅", "제주 웨딩"]
    assert names_on(client, url + "&specialty=wedding") == ["제주 웨딩"]
    assert names_on(client, url + f"&region=jeju&day={day.isoformat()}") == ["제주 웨딩"]
    assert names_on(client, url + "&max_price=100000") == ["제주 스냅", "제주 웨딩"]
    assert names_on(client, "/ko/photographers/?region=nowhere&day=someday") == names_on(
        client, "/ko/photographers/"
    )


def test_the_directory_pages_by_keyset_in_every_order_with_no_repeats(app, client, make_photographer):
    for n in range(5):
        make_photographer(
            f"p{n}@example.com", display_name=f"작가 {n}", starting_price=100_000 + (n % 2) * 1000
        )
    for order in ("price", "rating", "newest"):
        seen, url = [], f"/ko/photographers/?order={order}"
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += re.findall(r'<span class="card-name">([^<]+)</span>', html)
            more = re.search(r'rel="next" href="([^"]+)"', html)
            url = more.group(1).replace("&amp;", "&") if more else None
        assert sorted(seen) == [f"작가 {n}" for n in range(5)], order


def test_the_directory_costs_the_same_queries_for_one_photographer_or_many(app, client, make_photographer):
    make_photographer("p0@example.com")
    client.get("/ko/")  # the worker's copy of the policy banner is read once, then kept
    one = queries_for(app, client, "/ko/photographers/")
    for n in range(1, 6):
        make_photographer(f"p{n}@example.com")
    assert queries_for(app, client, "/ko/photographers/") == one


def test_withdrawal_deletes_the_profile_and_its_photo_files(app, photographer):
    upload(photographer, jpeg_with_gps())
    with app.app_context():
        name = db.session.scalar(select(PortfolioPhoto.stored_name))
    exported = photographer.get("/ko/me/export.json").get_json()
    assert exported["photographer_profiles"][0]["display_name"] == "바다 사진관"
    photographer.post(
        "/ko/me/withdraw", data={"password": "a long enough passphrase", "understood": "y", "posts": "delete"}
    )
    with app.app_context():
        assert count(PhotographerProfile) == 0 and count(PortfolioPhoto) == 0 and count(Member) == 0
        assert not path_for(name).exists() and not path_for(name, thumb=True).exists()


def test_listing_and_profile_read_the_codes_in_the_profiles_own_query(app, client, make_photographer):
    """Regions and kinds of shoot come in the profile's row, not in two more loads per page."""
    make_photographer("p0@example.com", regions=["jeju", "seoul"], specialties=["wedding", "snap"])
    client.get("/ko/")  # the worker's copy of the policy banner is read once, then kept
    with app.app_context():
        profile_id = db.session.scalar(select(PhotographerProfile.id))
    # The listing with its codes and cover photos, the access-log row.
    assert queries_for(app, client, "/ko/photographers/") == 2
    # A first view: the profile's content version, then the profile with its codes, the portfolio,
    # the blocked days and the reviews; the access-log row.
    assert queries_for(app, client, f"/ko/photographers/{profile_id}") == 6
    page = client.get(f"/ko/photographers/{profile_id}").get_data(as_text=True)
    assert "제주 · 서울" in page and "스냅 · 웨딩" in page  # in code order, as the relationships keep them
    # Until something it shows changes, the process's copy: the version and the access-log row.
    assert queries_for(app, client, f"/ko/photographers/{profile_id}") == 2


def test_the_directory_filters_are_worded_in_each_language_and_keep_the_choice(app, client):
    korean = client.get("/ko/photographers/?region=jeju&order=price").get_data(as_text=True)
    english = client.get("/en/photographers/?region=jeju").get_data(as_text=True)
    korean_again = client.get("/ko/photographers/").get_data(as_text=True)
    assert "전체 지역" in korean and "낮은 가격 순" in korean and "Anywhere" not in korean
    assert 'value="jeju" selected' in korean.replace('selected value="jeju"', 'value="jeju" selected')
    assert "Anywhere" in english and "Lowest price" in english and "전체 지역" not in english
    assert "전체 지역" in korean_again and 'value="jeju" selected' not in korean_again

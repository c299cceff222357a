"""What a form reads from a request: the form body for text fields, files only for file fields, never JSON."""

import io
import json

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Member, Post


def members() -> int:
    return db.session.scalar(select(func.count()).select_from(Member))


SIGNUP = {
    "email": "new@example.com",
    "password": "a long enough passphrase",
    "password_confirm": "a long enough passphrase",
    "name": "새회원",
    "birth_date": "1990-01-01",
    "privacy_notice": "y",
    "terms": "y",
}


@pytest.mark.parametrize("field", ["email", "password", "name", "birth_date"])
def test_a_file_where_text_goes_is_a_missing_field_with_its_message(app, client, field):
    # Found by the fuzzer: Flask-WTF handed the upload to the text field's validators (a 500).
    data = SIGNUP | {field: (io.BytesIO(b"\x89PNG not text"), "x.png")}
    response = client.post("/ko/signup", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and 'class="errors"' in response.get_data(as_text=True)
    with app.app_context():
        assert members() == 0


@pytest.mark.parametrize(
    "body", [json.dumps(SIGNUP), "[1, 2]", "5", "null", '{"email": null, "password": 12}']
)
def test_a_json_body_is_not_read_as_a_form(app, client, body):
    # Found by the fuzzer: a JSON list or number broke Flask-WTF's reading of it (a 500), and a
    # JSON object was taken as form data although no form of ours sends one.
    response = client.post("/en/signup", data=body, content_type="application/json")
    assert response.status_code == 400 and "Enter your e-mail address." in response.get_data(as_text=True)
    with app.app_context():
        assert members() == 0


def test_text_fields_still_read_the_form_body_beside_a_file(app, make_member, sign_in):
    from services.boards import sync_boards

    make_member(email="writer@example.com")
    with app.app_context():
        sync_boards()
    client = sign_in("writer@example.com")
    data = {"title": "제목", "body": "본문입니다.", "photo": (io.BytesIO(b"x"), "x.jpg")}
    assert (
        client.post("/ko/boards/free/new", data=data, content_type="multipart/form-data").status_code == 302
    )
    with app.app_context():
        assert db.session.scalar(select(Post.title)) == "제목"


def test_every_form_of_the_site_derives_from_site_form(app):
    # A form on plain FlaskForm would read uploads into its text fields again.
    from flask_wtf import FlaskForm

    from blueprints.forms import SiteForm

    def below(cls) -> list:
        return [found for sub in cls.__subclasses__() for found in [sub, *below(sub)]]

    ours = {
        cls for cls in below(FlaskForm) if cls.__module__.startswith("blueprints.") and cls is not SiteForm
    }
    assert len(ours) > 30 and all(issubclass(cls, SiteForm) for cls in ours)

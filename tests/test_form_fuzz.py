"""Every form, fed odd input by hypothesis: a clear answer always, never a 500."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extensions import db
from services.members import SignupRequest, sign_up

PASSWORD = "a long enough passphrase"

# Each form's fields (the CSRF token is off in this suite; a separate test covers it).
FORMS = {
    "/ko/signup": [
        "email",
        "password",
        "password_confirm",
        "name",
        "birth_date",
        "phone",
        "preferred_region",
        "privacy_notice",
        "terms",
        "optional_profile",
        "marketing_email",
        "marketing_sms",
        "marketing_night",
    ],
    "/en/signin": ["email", "password"],
    "/ko/password/forgot": ["email"],
    "/en/password/reset/not-a-token": ["password", "password_confirm"],
    "/ko/me/profile": ["name", "birth_date", "language", "phone", "preferred_region"],
    "/en/me/consents": ["optional_profile", "marketing_email", "marketing_sms", "marketing_night"],
    "/ko/me/email": ["email"],
    "/en/me/password": ["current_password", "password", "password_confirm"],
    "/ko/me/flag/name": [],
    "/en/me/withdraw": ["password", "understood"],
}

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "\r\n", "y", "2026-02-30", "0000-00-00", "010-1234-5678", "a@b", "<script>"]
    ),
    st.text(min_size=5000, max_size=6000),
    st.integers().map(str),
)


@pytest.fixture
def backend() -> str:
    """The fuzzing runs once, on SQLite: PostgreSQL sees the same code paths in the other tests."""
    return "sqlite"


@pytest.fixture
def member_client(app):
    with app.app_context():
        member = sign_up(
            SignupRequest(
                email="fuzz@example.com",
                password=PASSWORD,
                name="퍼즈",
                birth_date=date(1990, 1, 1),
                language="ko",
                consents={"privacy_notice": True, "terms": True},
            )
        )
        member.status = "active"
        db.session.commit()
    client = app.test_client()
    client.post("/ko/signin", data={"email": "fuzz@example.com", "password": PASSWORD})
    return client


@pytest.mark.parametrize("url", sorted(FORMS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_odd_input_never_causes_a_500(member_client, url, data):
    fields = FORMS[url]
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True) if fields else st.just([]))
    values = {name: data.draw(odd_text) for name in chosen}
    if "password" in values and url.endswith("/withdraw"):
        values["password"] = "wrong " + values["password"]  # keep the account for the next example
    response = member_client.post(url, data=values)
    assert response.status_code < 500, (url, values)

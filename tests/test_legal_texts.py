"""The legal texts: both languages say the same things, and the policy states SPEC's facts."""

import re
from pathlib import Path

import pytest

from services.policies import SHIPPED_VERSIONS

LEGAL = Path(__file__).resolve().parent.parent / "templates" / "legal"
TEXTS = [f"{shipped.kind}/{shipped.version}" for shipped in SHIPPED_VERSIONS] + ["cookies"]


def read(name: str, locale: str) -> str:
    return (LEGAL / f"{name}.{locale}.html").read_text(encoding="utf-8")


def shape(html: str) -> dict:
    """What must match between the languages: sections, list items, rows, and every value used."""
    return {
        "sections": re.findall(r'<h2 id="([^"]+)"', html),
        "list items": html.count("<li"),
        "table rows": html.count("<tr"),
        "values": sorted(set(re.findall(r"{{\s*(.*?)\s*}}", html))),
        "includes": re.findall(r"{%\s*include\s+\"([^\"]+)\"", html),
    }


@pytest.mark.parametrize("name", TEXTS)
def test_korean_and_english_texts_have_the_same_shape(name):
    assert shape(read(name, "ko")) == shape(read(name, "en"))


@pytest.mark.parametrize("name", TEXTS)
def test_each_language_is_written_in_that_language(name):
    korean, english = read(name, "ko"), read(name, "en")
    hangul = re.compile(r"[\uac00-\ud7a3]")
    assert len(hangul.findall(korean)) > 300 or name == "cookies"
    assert not hangul.findall(english)


def test_table_of_contents_points_at_real_sections():
    for name in TEXTS:
        for locale in ("ko", "en"):
            html = read(name, locale)
            anchors = set(re.findall(r'href="#([^"]+)"', html))
            assert anchors <= set(re.findall(r'id="([^"]+)"', html)), (name, locale)


@pytest.mark.parametrize(
    ("locale", "facts"),
    [
        (
            "ko",
            [
                "만 14세",
                "18개월",
                "30일",
                "7일",
                "(광고)",
                "21:00",
                "08:00",
                "2년",
                "bcrypt",
                "118",
                "1833-6972",
                "1301",
                "182",
                "휴면",
                "위탁",
                "JSON",
            ],
        ),
        (
            "en",
            [
                "14",
                "18 months",
                "30 days",
                "7 days",
                "(AD)",
                "21:00",
                "08:00",
                "2 years",
                "bcrypt",
                "118",
                "1833-6972",
                "1301",
                "182",
                "dormant",
                "JSON",
            ],
        ),
    ],
)
def test_privacy_policy_states_spec_facts(client, locale, facts):
    html = client.get(f"/{locale}/privacy").get_data(as_text=True)
    missing = [fact for fact in facts if fact not in html]
    assert not missing
    assert html.count('data-retention="') == 8


def test_policy_numbers_follow_the_configuration_they_were_published_with(app, client):
    app.config.update(MIN_SIGNUP_AGE=15, DORMANCY_MONTHS=24, POLICY_NOTICE_DAYS_GENERAL=10)
    with app.app_context():
        from extensions import db
        from models import PolicyVersion
        from services.policies import sync_shipped_versions

        db.session.execute(PolicyVersion.__table__.delete())
        db.session.commit()
        sync_shipped_versions()
    korean = client.get("/ko/privacy").get_data(as_text=True)
    english = client.get("/en/privacy").get_data(as_text=True)
    dormant_ko = korean[korean.index('id="dormant"') : korean.index('id="third-parties"')]
    dormant_en = english[english.index('id="dormant"') : english.index('id="third-parties"')]
    assert "24개월" in dormant_ko and "18개월" not in dormant_ko
    assert "24 months" in dormant_en and "18 months" not in dormant_en
    assert "만 15세" in korean and "만 14세" not in korean
    changes = english[english.index('id="changes"') :]
    assert "10 days" in changes

"""Policy pages: versions as data, current by effective date, history, retention table from config."""

from datetime import timedelta

from extensions import db
from models import PolicyVersion
from services.clock import seoul_today
from services.policies import SHIPPED_VERSIONS, current_version, sync_shipped_versions


def test_privacy_1_0_ships_with_its_dates(app):
    with app.app_context():
        row = current_version("privacy")
        assert (row.version, row.enacted_on.isoformat(), row.effective_on.isoformat()) == (
            "1.0",
            "2016-03-17",
            "2016-03-24",
        )


def test_sync_is_idempotent_and_never_rewrites(app):
    with app.app_context():
        row = current_version("privacy")
        row.summary_en = "edited by the privacy officer"
        db.session.commit()
        assert sync_shipped_versions() == 0
        assert db.session.query(PolicyVersion).count() == len(SHIPPED_VERSIONS)
        assert current_version("privacy").summary_en == "edited by the privacy officer"


def test_policy_page_shows_version_and_locale_dates(client):
    korean = client.get("/ko/privacy").get_data(as_text=True)
    english = client.get("/en/privacy").get_data(as_text=True)
    assert "개인정보 처리방침" in korean and "2016년 3월 24일" in korean and "시행 중" in korean
    assert "Privacy policy" in english and "March 24, 2016" in english and "In force" in english


def test_newer_version_becomes_current_on_its_effective_date(client, make_policy_version):
    make_policy_version(version="9.9", effective_on=seoul_today())
    assert "Test revision text 9.9" in client.get("/en/privacy").get_data(as_text=True)
    old = client.get("/en/privacy/1.0").get_data(as_text=True)
    assert "Earlier version" in old and "This is not the version in force." in old
    assert 'href="/en/privacy"' in old


def test_announced_version_is_not_current_yet(client, make_policy_version):
    make_policy_version(version="9.9", effective_on=seoul_today() + timedelta(days=7))
    current = client.get("/en/privacy").get_data(as_text=True)
    assert "Test revision text 9.9" not in current
    history = client.get("/en/privacy/history").get_data(as_text=True)
    assert "Announced, not yet in force" in history
    assert "Test revision text 9.9" in client.get("/en/privacy/9.9").get_data(as_text=True)


def test_history_lists_every_version_newest_first(client, make_policy_version):
    make_policy_version(version="9.9", summary_ko="시험용 개정", importance="important")
    html = client.get("/ko/privacy/history").get_data(as_text=True)
    assert html.index("/ko/privacy/9.9") < html.index("/ko/privacy/1.0")
    assert "시험용 개정" in html and "중요한 변경" in html and "이전 버전" in html


def resync_with(app, **settings) -> None:
    """Reconfigure, then publish the shipped versions afresh (as a first deploy would)."""
    app.config.update(settings)
    with app.app_context():
        db.session.execute(PolicyVersion.__table__.delete())
        db.session.commit()
        sync_shipped_versions()


def retention_cell(html: str, key: str) -> str:
    row = html[html.index(f'data-retention="{key}"') :]
    return row[: row.index("</tr>")]


def test_retention_table_comes_from_the_configured_definition(client, app):
    resync_with(app, RETENTION_MONTHS=app.config["RETENTION_MONTHS"] | {"access_log": 30, "advertising": 12})
    korean = client.get("/ko/privacy").get_data(as_text=True)
    assert "30개월" in retention_cell(korean, "access_log")
    assert "1년" in retention_cell(korean, "advertising")
    english = client.get("/en/privacy").get_data(as_text=True)
    assert "5 years" in retention_cell(english, "contract")


def test_an_earlier_version_keeps_the_numbers_it_was_published_with(client, app, make_policy_version):
    app.config["RETENTION_MONTHS"] = app.config["RETENTION_MONTHS"] | {"access_log": 36}
    months = app.config["RETENTION_MONTHS"]
    make_policy_version(version="9.9", promises={"RETENTION_MONTHS": months, "DORMANCY_MONTHS": 12})
    old = client.get("/en/privacy/1.0").get_data(as_text=True)
    assert "2 years" in retention_cell(old, "access_log")
    assert "18 months" in old[old.index('id="dormant"') :][:3000]
    new = client.get("/en/privacy/9.9").get_data(as_text=True)
    assert "3 years" in retention_cell(new, "access_log")


def test_drift_between_settings_and_the_policy_in_force_is_reported(app, runner):
    from services.policies import drift_from_policies_in_force

    with app.app_context():
        assert drift_from_policies_in_force() == {}
    app.config["DORMANCY_MONTHS"] = 12
    with app.app_context():
        assert drift_from_policies_in_force() == {
            "privacy": ["DORMANCY_MONTHS"],
            "terms": ["DORMANCY_MONTHS"],
        }
    result = runner.invoke(args=["policies", "sync"])
    assert result.exit_code == 0 and "DORMANCY_MONTHS" in result.output
    app.config["POLICY_DRIFT_IS_FATAL"] = True
    assert runner.invoke(args=["policies", "sync"]).exit_code == 1


def test_every_shipped_version_has_both_texts(app):
    for shipped in SHIPPED_VERSIONS:
        row = PolicyVersion(kind=shipped.kind, version=shipped.version)
        for locale in app.config["LANGUAGES"]:
            assert app.jinja_env.get_template(row.template_name(locale))


def test_policy_states_configured_facts(client, app):
    app.config.update(
        PRIVACY_OFFICER_NAME="예시 책임자",
        PRIVACY_OFFICER_NAME_EN="Officer Example",
        PRIVACY_OFFICER_PHONE="02-1234-5678",
        PRIVACY_CONSIGNEES=[{"name": "Mail Example Co.", "task_ko": "메일 발송", "task_en": "Mail delivery"}],
    )
    english = client.get("/en/privacy").get_data(as_text=True)
    korean = client.get("/ko/privacy").get_data(as_text=True)
    assert "Officer Example" in english and "02-1234-5678" in english
    assert "예시 책임자" in korean and "Officer Example" not in korean
    assert "Mail Example Co." in english and "Mail delivery" in english and "메일 발송" in korean


def test_terms_and_cookie_notice_render(client, app):
    assert "이용약관" in client.get("/ko/terms").get_data(as_text=True)
    assert "Terms of service" in client.get("/en/terms").get_data(as_text=True)
    app.config.update(LANGUAGE_COOKIE_NAME="site_lang", LANGUAGE_COOKIE_DAYS=90)
    cookies = client.get("/en/cookies").get_data(as_text=True)
    assert "90 days" in cookies and "site_lang" in cookies

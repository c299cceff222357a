"""A profile's content version moves on with every change its page shows, whichever code makes it."""

from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import delete, insert, select, update

from extensions import db
from models import (
    SHOWN_WITH_PROFILE,
    BlockedDate,
    PhotographerProfile,
    PortfolioPhoto,
    ProfileRegion,
    ProfileSpecialty,
    Review,
)
from services.policies import sync_shipped_versions
from tests.test_migrations import drop_everything

# One row of each table shown with a profile, the change made to it, and how to find it again.
ROWS = {
    ProfileRegion: ({"region": "seoul"}, {"region": "busan"}),
    ProfileSpecialty: ({"specialty": "wedding"}, {"specialty": "family"}),
    BlockedDate: ({"day": date(2027, 1, 5)}, {"day": date(2027, 1, 6)}),
    PortfolioPhoto: ({"stored_name": "p" * 24, "width": 800, "height": 600}, {"width": 640}),
    Review: ({"stars": 4, "text": "좋았어요"}, {"reply": "감사합니다"}),
}


def version(profile_id: int) -> int:
    return db.session.scalar(
        select(PhotographerProfile.content_version).where(PhotographerProfile.id == profile_id)
    )


def the_row(model, profile_id: int, values: dict) -> list:
    """The conditions that find the row a test inserted, among the profile's others."""
    return [model.profile_id == profile_id, *(getattr(model, key) == value for key, value in values.items())]


def test_every_table_shown_with_a_profile_is_covered():
    assert {model.__table__ for model in ROWS} == set(SHOWN_WITH_PROFILE)


@pytest.mark.parametrize("model", list(ROWS), ids=lambda model: model.__tablename__)
def test_inserting_changing_and_deleting_a_shown_row_moves_the_version_on(app, make_photographer, model):
    _, profile_id = make_photographer()
    _, other_id = make_photographer(email="other@example.com")
    first, change = ROWS[model]
    with app.app_context():
        others = version(other_id)
        steps = [
            insert(model).values(profile_id=profile_id, **first),
            update(model).where(*the_row(model, profile_id, first)).values(**change),
            delete(model).where(*the_row(model, profile_id, first | change)),
        ]
        for statement in steps:
            before = version(profile_id)
            db.session.execute(statement)
            db.session.commit()
            assert version(profile_id) > before, statement
        assert version(other_id) == others  # only the profile the row belongs to


def test_changing_the_profile_itself_moves_it_on_and_the_object_sees_the_new_number(app, make_photographer):
    _, profile_id = make_photographer()
    with app.app_context():
        profile = db.session.get(PhotographerProfile, profile_id)
        before = profile.content_version
        profile.starting_price = 150_000
        db.session.commit()
        assert profile.content_version == version(profile_id) == before + 1


def test_moving_a_row_to_another_profile_moves_both_on(app, make_photographer):
    _, first_id = make_photographer()
    _, second_id = make_photographer(email="second@example.com")
    with app.app_context():
        db.session.execute(insert(BlockedDate).values(profile_id=first_id, day=date(2027, 2, 1)))
        db.session.commit()
        before = version(first_id), version(second_id)
        db.session.execute(
            update(BlockedDate).where(BlockedDate.profile_id == first_id).values(profile_id=second_id)
        )
        db.session.commit()
        assert version(first_id) > before[0] and version(second_id) > before[1]


def test_a_database_built_by_the_migrations_has_the_triggers(app, make_photographer):
    with app.app_context():
        drop_everything()
        try:
            upgrade()
            sync_shipped_versions()
            _, profile_id = make_photographer()
            for model, (first, _) in ROWS.items():
                before = version(profile_id)
                db.session.execute(insert(model).values(profile_id=profile_id, **first))
                db.session.commit()
                assert version(profile_id) > before, model.__tablename__
        finally:
            db.session.remove()  # its transaction would hold the locks DROP TABLE waits for
            drop_everything()
            db.create_all()

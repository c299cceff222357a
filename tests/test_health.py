"""/healthz reports database and Redis reachability."""

import pytest

from tests.support import REDIS_PROBLEM, REDIS_URL


def test_healthy_without_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.redis
@pytest.mark.skipif(bool(REDIS_PROBLEM), reason=str(REDIS_PROBLEM))
@pytest.mark.parametrize("app_overrides", [{"REDIS_URL": REDIS_URL}])
def test_healthy_with_redis(client):
    assert client.get("/healthz").json["redis"] == "ok"


@pytest.mark.parametrize("app_overrides", [{"REDIS_URL": "redis://127.0.0.1:1/0"}])
def test_unreachable_redis_is_503(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["redis"] == "unreachable" and response.json["status"] == "unavailable"


def test_unreachable_database_is_503(app, monkeypatch):
    from sqlalchemy.orm import Session

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(Session, "execute", broken)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"

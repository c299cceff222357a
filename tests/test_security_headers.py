"""Headers every response carries, and the host and proxy settings production relies on."""

import pytest


def test_basic_headers_on_every_page(client):
    for path in ("/ko/", "/en/privacy", "/healthz", "/fr/missing"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert "Strict-Transport-Security" not in response.headers, path


@pytest.mark.parametrize("app_overrides", [{"HSTS_SECONDS": 600}])
def test_hsts_when_configured(client):
    assert client.get("/ko/").headers["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


@pytest.mark.parametrize("app_overrides", [{"TRUSTED_HOSTS": ["usnaper.example"]}])
def test_a_foreign_host_header_is_refused(client):
    assert client.get("/ko/", headers={"Host": "usnaper.example"}).status_code == 200
    response = client.get("/ko/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"PROXY_HOPS": 1}])
def test_links_follow_the_proxy_scheme_and_host(client):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "usnaper.example"}
    html = client.get("/ko/", headers=headers).get_data(as_text=True)
    assert 'hreflang="en" href="https://usnaper.example/en/"' in html


def test_forwarded_headers_are_ignored_without_a_proxy(client):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    html = client.get("/ko/", headers=headers).get_data(as_text=True)
    assert "evil.example" not in html

"""Sign in over plain HTTP the way a browser would, keeping the cookies by hand.

The production config sets `__Host-session` with Secure, and Python's cookie jar (rightly)
never sends a Secure cookie over http://127.0.0.1, so the benchmarks parse Set-Cookie
themselves: a load tool sends the cookie it is given, which is all a measurement needs.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit

BENCH_MEMBER = "bench-member@usnaper.example"
BENCH_PASSWORD = "bench-pass-2026!"  # noqa: S105  # nosec B105 - the seeded benchmark account's
SIGNIN_PATH = "/ko/signin"


class SigninFailed(RuntimeError):
    """The site did not start a session for these credentials."""


class _TokenFinder(HTMLParser):
    """Finds the value of the first <input name="csrf_token">."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.token is None and tag == "input" and found.get("name") == "csrf_token":
            self.token = found.get("value")


def csrf_token(html: str) -> str | None:
    """The CSRF token of the first form in a page, or None."""
    finder = _TokenFinder()
    finder.feed(html)
    return finder.token


def cookies_from(set_cookie_headers: list[str]) -> dict[str, str]:
    """Name -> value of the cookies these Set-Cookie headers set (a deletion keeps an empty value)."""
    jar: dict[str, str] = {}
    for header in set_cookie_headers:
        parsed = SimpleCookie()
        try:
            parsed.load(header)
        except CookieError:
            continue
        for name, morsel in parsed.items():
            jar[name] = morsel.value
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    """The Cookie request header for a jar, leaving out deleted cookies."""
    return "; ".join(f"{name}={value}" for name, value in jar.items() if value)


# Every request of one benchmark client says it is the same browser, as a real one does: the
# site ties a sign-in to its client (Flask-Login's session protection), and a load tool sending
# another User-Agent made it re-mark and re-sign the session cookie on every response.
USER_AGENT = "usnaper-bench"


@dataclass
class Browser:
    """One client of a base URL with its own cookie jar; Accept-Language Korean."""

    base: str
    jar: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict, str]:
        """One request on a fresh connection; returns status, headers (lower-case) and body, keeps cookies."""
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"Accept-Language": "ko", "User-Agent": USER_AGENT}
        if self.jar:
            headers["Cookie"] = cookie_header(self.jar)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            self.jar.update(cookies_from(response.headers.get_all("Set-Cookie") or []))
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            conn.close()

    def sign_in(self, email: str = BENCH_MEMBER, password: str = BENCH_PASSWORD) -> None:
        """Post the credentials with the sign-in form's CSRF token; SigninFailed unless a session starts."""
        status, _, page = self.request("GET", SIGNIN_PATH)
        token = csrf_token(page) if status == 200 else None
        if token is None:
            raise SigninFailed(f"GET {SIGNIN_PATH} gave {status} without a CSRF token")
        before = self.jar.get(session_cookie_name(self.jar))
        form = urlencode({"csrf_token": token, "email": email, "password": password})
        status, headers, _ = self.request("POST", SIGNIN_PATH, form)
        fresh = self.jar.get(session_cookie_name(self.jar))
        if status != 302 or "signin" in headers.get("location", "") or not fresh or fresh == before:
            raise SigninFailed(f"POST {SIGNIN_PATH} as {email} gave {status}, not a new session")

    def headers(self) -> dict[str, str]:
        """What a load tool sends to be this client: its cookies, language and User-Agent."""
        return {"Cookie": cookie_header(self.jar), "Accept-Language": "ko", "User-Agent": USER_AGENT}


def session_cookie_name(jar: dict[str, str]) -> str:
    """The session cookie's name: production's `__Host-session`, or Flask's default `session`."""
    return "__Host-session" if "__Host-session" in jar else "session"

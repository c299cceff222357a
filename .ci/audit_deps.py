"""Run pip-audit (PyPI advisories) so that it also works where only PyPI's project pages are served.

pip-audit asks PyPI for one JSON page per pinned release (/pypi/NAME/VERSION/json). The registry
mirror our machines and CI reach serves only the project page (/pypi/NAME/json), whose
"vulnerabilities" are those of the latest release; without help pip-audit skips every package
and still prints "No known vulnerabilities found". This wrapper keeps pip-audit's own CLI,
resolution and report, and only retries such a 404 on the project page:

- pin == latest release: the project page's advisories are exactly the pin's;
- pin older than the latest: the latest release's advisories are reported against the pin (they
  are not fixed even in the latest, so they almost always reach back), and a warning says that
  advisories fixed between the pin and the latest cannot be seen here: bump the pin.

Where the per-release page is served (the open internet), nothing changes. Run it with --strict
so that a package that cannot be audited at all fails the run instead of passing silently.
"""

import logging
import re
import sys

from packaging.version import InvalidVersion, Version
from pip_audit import _cli
from pip_audit._service.pypi import PyPIService

logger = logging.getLogger("audit_deps")

_RELEASE_PAGE = re.compile(r"https://pypi\.org/pypi/(?P<name>[^/]+)/(?P<version>[^/]+)/json")


class _ProjectPageFallback:
    """pip-audit's HTTP session, retrying a per-release 404 on the project page."""

    def __init__(self, session):
        self._session = session

    def __getattr__(self, name):
        return getattr(self._session, name)

    def get(self, url, **kwargs):
        """Fetch url; a missing per-release page is answered from the project page when it can be."""
        response = self._session.get(url=url, **kwargs)
        match = _RELEASE_PAGE.fullmatch(url)
        if response.status_code != 404 or match is None:
            return response
        project = self._session.get(url=f"https://pypi.org/pypi/{match['name']}/json", **kwargs)
        if project.status_code != 200:
            return response  # not on PyPI at all: pip-audit skips it, and --strict fails
        try:
            pinned, latest = Version(match["version"]), Version(project.json()["info"]["version"])
        except (InvalidVersion, KeyError, ValueError):
            return response
        if pinned != latest:
            logger.warning(
                "%s %s: only the latest release's advisories (%s) are served here; ones fixed "
                "between the two cannot be seen, so bump the pin",
                match["name"],
                pinned,
                latest,
            )
        return project


class ProjectPageFallbackService(PyPIService):
    """pip-audit's PyPI service over the fallback session."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = _ProjectPageFallback(self.session)


if __name__ == "__main__":
    # pip-audit's CLI builds its PyPI service from this module-level name (pinned pip-audit version).
    _cli.PyPIService = ProjectPageFallbackService
    sys.argv[0] = "pip-audit"
    sys.exit(_cli.audit())

"""The fuzz suite's hypothesis settings profile.

FUZZ_EXAMPLES sets the examples per form (default 50; `make fuzz` runs 1000).
Under CI, hypothesis's own "ci" profile is the parent: derandomized, so a run
depends only on the commit and a red run is red again when rerun. Elsewhere
runs are random and keep their failures in .hypothesis/ to replay them first.
Either way a failure prints its minimal example and a @reproduce_failure line.
"""

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 50)
settings.register_profile(
    "fuzz",
    parent=settings.default,  # "ci" under CI (derandomized, no database), else "default"
    max_examples=EXAMPLES,
    deadline=None,
    print_blob=True,
    # The app and its database are built once per form; the examples share them on purpose.
    # Huge input is part of the point, and a request costs what it costs.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.too_slow,
    ],
)
FUZZ = settings.get_profile("fuzz")

"""Settings for the test suite: the project's own, with the test run as development.

The suite runs on PostgreSQL and Redis as well as in the embedded mode, and a database URL
without PRODUCTION stops the start (a forgotten PRODUCTION on a server). A test run is never
a production, so it says PRODUCTION=false unless told otherwise; worker processes that the
tests start inherit it.
"""

import os

os.environ.setdefault("PRODUCTION", "false")

from integration.settings import *  # noqa: E402, F403

# Templates used only by the tests (a document kind that knows no domain).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405

# A deliberately slow hash protects real passwords; tests create hundreds of users, some
# of them before any test starts (tests/donnees_partagees.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

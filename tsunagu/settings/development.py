"""Local development and the demo: SQLite under var/, debug pages, no second factor."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-checkout key kept in var/, so no key is written in the source."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
DEBUG = os.environ.get("TSUNAGU_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
TSUNAGU_REQUIRE_2FA = os.environ.get("TSUNAGU_REQUIRE_2FA", "0") == "1"

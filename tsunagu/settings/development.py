"""Local development and the demo: SQLite under var/, debug pages, no second factor."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, flag, text

(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    """A per-checkout key kept in var/, so no key is written in the source."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = text("DJANGO_SECRET_KEY") or _local_secret_key()
DEBUG = flag("TSUNAGU_DEBUG", True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
TSUNAGU_REQUIRE_2FA = flag("TSUNAGU_REQUIRE_2FA", False)

# `make demo` serves with DEBUG off (no page lists the URLs or shows a traceback): WhiteNoise
# then serves the apps' static files straight from their folders.
WHITENOISE_USE_FINDERS = True
# A refused or missing page (403, 404) is a line in the server's log, not a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}

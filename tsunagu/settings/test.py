"""The test suite: development settings with a fast password hasher."""

import os

from .development import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TSUNAGU_REQUIRE_2FA = False
# No tile server: the map draws markers on a blank background, and nothing leaves the machine.
TSUNAGU_MAP_TILES = ""
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = ["'self'", "data:"]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# An in-memory SQLite test database is one connection that Django shares with the live
# server's threads, so two browser requests at once (an htmx lookup still reading while a
# form posts) collide inside it. A file gives every thread its own connection, as in
# production (base settings put it in WAL mode); tests need no fsync. One file per test run
# (the process id), so that two runs on one machine never share a database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _name = str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": _name}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA synchronous=OFF;"  # noqa: F405

"""The static files collect under production's manifest storage (hashed names): a reference
to a missing file, such as a vendored library's source map, stops collectstatic there."""

from django.core.management import call_command
from django.urls import reverse


def test_the_static_files_collect_with_hashed_names(tmp_path, settings, client):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    # workbox-sw loads its modules by their plain names from the prefix the service worker sets
    assert (tmp_path / "vendor/workbox-7.4.1/workbox-routing.prod.js").exists()
    assert (tmp_path / "staticfiles.json").exists()
    # …and the service worker, which names them, renders against that manifest.
    settings.DEBUG = False
    worker = client.get(reverse("watch:service_worker"))
    assert worker.status_code == 200
    assert b"workbox-sw." in worker.content and b"/static/vendor/workbox-7.4.1/" in worker.content

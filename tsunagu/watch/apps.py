from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "tsunagu.watch"
    label = "watch"
    verbose_name = "見守り"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tsunagu.resources"
    label = "resources"
    verbose_name = "地域資源"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers

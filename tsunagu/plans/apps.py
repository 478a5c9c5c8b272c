from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tsunagu.plans"
    label = "plans"
    verbose_name = "プラン・会議・引継ぎ"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers

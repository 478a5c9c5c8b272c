from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AccessConfig(AppConfig):
    name = "tsunagu.access"
    label = "access"
    verbose_name = "アクセス方針"

    def ready(self) -> None:
        # Each app states its rules in its own rules.py; they all land in the one registry.
        autodiscover_modules("rules")

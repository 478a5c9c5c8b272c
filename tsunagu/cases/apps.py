from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tsunagu.cases"
    label = "cases"
    verbose_name = "相談・ケース"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers

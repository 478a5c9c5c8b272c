from django.apps import AppConfig


class FamilySupportConfig(AppConfig):
    name = "tsunagu.family_support"
    label = "family_support"
    verbose_name = "家庭支援事業"

from django.apps import AppConfig


class MaternalConfig(AppConfig):
    name = "tsunagu.maternal"
    label = "maternal"
    verbose_name = "母子保健"

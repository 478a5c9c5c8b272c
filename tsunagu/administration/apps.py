from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "tsunagu.administration"
    label = "administration"
    verbose_name = "市区町村の管理"

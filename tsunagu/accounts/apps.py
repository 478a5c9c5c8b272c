from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "tsunagu.accounts"
    label = "accounts"
    verbose_name = "利用者"


class OperatorAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the operator's site (admin_site.py) as its default site."""

    default = False
    default_site = "tsunagu.accounts.admin_site.OperatorAdminSite"

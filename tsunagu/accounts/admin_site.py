"""Django's admin site, for the install's operator (運用管理者) alone.

It shows reference data and accounts, never personal data: only the models listed in
``OPERATOR_MODELS`` can be registered (a third-party app's model, such as django-otp's device
with its TOTP secret, is left out), nothing can be deleted from it (a delete confirmation
would list every row that cascades, persons and cases included), and who may enter is decided
by the one access policy, not by Django's ``is_staff`` or ``is_superuser`` flags.
"""

from django.contrib import admin

from tsunagu.access import policy
from tsunagu.access.middleware import ADMIN_SITE

# app_label.model_name of the models the operator keeps.
OPERATOR_MODELS = frozenset(
    {
        "core.municipality",
        "core.area",
        "core.organisation",
        "accounts.user",
        # django-axes: sign-in failures and lock-outs (user names and addresses of staff).
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
    }
)
# Kept as evidence: read only.
READ_ONLY_MODELS = frozenset({"axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"})


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


class OperatorPermissions:
    """Mixed into every registered ModelAdmin: the policy decides, and nothing is deleted."""

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    def _may_write(self, request) -> bool:
        return (
            self.admin_site.has_permission(request) and _label(self.model) not in READ_ONLY_MODELS
        )

    def has_add_permission(self, request, *args):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)


class OperatorAdminSite(admin.AdminSite):
    site_header = "tsunagu 運用管理"
    site_title = "tsunagu 運用管理"
    index_title = "運用管理"

    def has_permission(self, request):
        return policy.allowed(request.user, ADMIN_SITE)

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            if _label(model) not in OPERATOR_MODELS:
                continue
            base = admin_class or admin.ModelAdmin
            guarded = type(base.__name__, (OperatorPermissions, base), {})
            super().register(model, guarded, **options)

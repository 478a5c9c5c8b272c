"""The roles of DOMAIN.md §3. Kept in core so the access policy and accounts both build on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTER_STAFF = "center_staff", _("センター職員")
    SUPERVISOR = "supervisor", _("統括支援員")
    PARTNER = "partner", _("協力団体(運営者・ボランティア)")
    PROVIDER_STAFF = "provider_staff", _("サービス提供事業者")
    CGC_LIAISON = "cgc_liaison", _("児童相談所 連絡担当")
    RESOURCE_EDITOR = "resource_editor", _("地域資源 編集者")
    ADMINISTRATOR = "administrator", _("システム管理者")
    # The install's operator (運用管理者): belongs to no municipality, runs Django's admin site
    # for the reference data and accounts, and sees no personal data anywhere.
    OPERATOR = "operator", _("運用管理者")


# The center's own staff (センター職員 and 統括支援員): they hold case files and person records.
CENTER_ROLES = frozenset({Role.CENTER_STAFF, Role.SUPERVISOR})

# Roles that see case files or manage the system: they must pass a second factor
# when TSUNAGU_REQUIRE_2FA is on.
STAFF_ROLES = frozenset(
    {Role.CENTER_STAFF, Role.SUPERVISOR, Role.CGC_LIAISON, Role.ADMINISTRATOR, Role.OPERATOR}
)

from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.access.middleware import ADMIN_SITE
from tsunagu.core.models import Municipality, Organisation
from tsunagu.core.roles import Role

from .homes import ROLE_HOMES
from .models import User

for home in ROLE_HOMES:
    policy.allow(home.capability, home.roles)

# Django's admin site: the install's operator only (reference data and accounts of every
# municipality, no personal data). A municipality's administrator manages its own users,
# organisations and settings on the app's pages.
policy.allow(ADMIN_SITE, [Role.OPERATOR])
policy.allow("accounts.manage", [Role.ADMINISTRATOR])


def _users_scope(user, queryset):
    if user.role == Role.ADMINISTRATOR:
        return policy.within_municipality(user, queryset, "organisation__municipality")
    return queryset.filter(pk=user.pk)


def _administrator(user, obj) -> bool:
    return user.role == Role.ADMINISTRATOR


policy.register(User, scope=_users_scope, can_change=_administrator)
# The administrator changes the organisations and the settings of its own municipality
# (their scope, registered in access, stops at the municipality line).
policy.register_change(Organisation, _administrator)
policy.register_change(Municipality, _administrator)

navigation.add(_("ホーム"), "accounts:home", policy.SIGNED_IN, order=0)
navigation.add(_("運用管理(管理サイト)"), "admin:index", ADMIN_SITE, order=950)

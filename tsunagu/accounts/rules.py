from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.access.middleware import ADMIN_SITE
from tsunagu.core.roles import Role

from .homes import ROLE_HOMES
from .models import User

for home in ROLE_HOMES:
    policy.allow(home.capability, home.roles)

policy.allow(ADMIN_SITE, [Role.ADMINISTRATOR])


def _users_scope(user, queryset):
    if user.role == Role.ADMINISTRATOR:
        return policy.within_municipality(user, queryset, "organisation__municipality")
    return queryset.filter(pk=user.pk)


def _admin_may_change(user, obj) -> bool:
    return user.role == Role.ADMINISTRATOR


policy.register(User, scope=_users_scope, can_change=_admin_may_change)

navigation.add(_("ホーム"), "accounts:home", policy.SIGNED_IN, order=0)
navigation.add(_("利用者・組織の管理"), "admin:index", ADMIN_SITE, order=900)

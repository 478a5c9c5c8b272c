from tsunagu.access import navigation, policy
from tsunagu.access.middleware import ADMIN_SITE
from tsunagu.core.roles import Role

from .models import User

policy.allow("home.center", [Role.CENTER_STAFF, Role.SUPERVISOR])
policy.allow("home.partner", [Role.PARTNER])
policy.allow("home.provider", [Role.PROVIDER_STAFF])
policy.allow("home.cgc", [Role.CGC_LIAISON])
policy.allow("home.editor", [Role.RESOURCE_EDITOR])
policy.allow("home.admin", [Role.ADMINISTRATOR])
policy.allow(ADMIN_SITE, [Role.ADMINISTRATOR])


def _users_scope(user, queryset):
    if user.role == Role.ADMINISTRATOR:
        return policy.within_municipality(user, queryset, "organisation__municipality")
    return queryset.filter(pk=user.pk)


def _admin_may_change(user, obj) -> bool:
    return user.role == Role.ADMINISTRATOR


policy.register(User, scope=_users_scope, can_change=_admin_may_change)

navigation.add("ホーム", "accounts:home", policy.SIGNED_IN, order=0)
navigation.add("利用者・組織の管理", "admin:index", ADMIN_SITE, order=900)

from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation, policy
from tsunagu.core.roles import Role

# The searches stay inside the viewer's municipality and show a record's contents only to
# those who may read it (selectors.py): the administrator sees who, when and which record; the
# supervisor, who reads every case of the center, also what.
policy.allow("audit.search", [Role.ADMINISTRATOR, Role.SUPERVISOR])

navigation.add(_("アクセス記録の検索"), "audit:access_log", "audit.search", order=920)

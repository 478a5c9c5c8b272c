from django.utils.translation import gettext_lazy as _

from tsunagu.access import navigation

MANAGE = "accounts.manage"  # allowed in accounts/rules.py, beside the objects' change rules

navigation.add(_("利用者の管理"), "administration:user_list", MANAGE, order=900)
navigation.add(_("組織の管理"), "administration:organisation_list", MANAGE, order=901)
navigation.add(_("市区町村の設定"), "administration:municipality_settings", MANAGE, order=902)

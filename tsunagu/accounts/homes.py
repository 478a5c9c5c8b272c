"""Each role's home page, stated once: its path, the roles that land there, what it says."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tsunagu.core.roles import CENTER_ROLES, Role


@dataclass(frozen=True)
class RoleHome:
    name: str  # URL name accounts:home_<name>, capability home.<name>
    path: str
    roles: tuple[Role, ...]
    title: str
    lead: str
    links: tuple[tuple[str, str], ...] = ()

    @property
    def capability(self) -> str:
        return f"home.{self.name}"

    @property
    def url_name(self) -> str:
        return f"accounts:home_{self.name}"


ROLE_HOMES = (
    RoleHome(
        "center",
        "center/",
        tuple(CENTER_ROLES),
        _("センター業務"),
        _("今日の対応と、担当ケースの最近の動きです。"),
        links=(
            (_("相談受付"), "cases:intake_create"),
            (_("ケース"), "cases:case_list"),
            (_("期限の近い対応"), "cases:due_list"),
            (_("進行管理台帳"), "cases:register"),
            (_("人の検索"), "people:person_list"),
            (_("母子保健"), "maternal:home"),
        ),
    ),
    RoleHome(
        "partner",
        "partner/",
        (Role.PARTNER,),
        _("協力団体ホーム"),
        _("見守りの訪問を報告し、自分の団体が地域資源に載せている情報を確認・変更申請できます。"),
        links=(
            (_("今日の訪問(見守り報告)"), "watch:visits"),
            (_("これまでの報告"), "watch:report_list"),
            (_("自分の団体の掲載情報"), "resources:own"),
        ),
    ),
    RoleHome(
        "provider",
        "provider/",
        (Role.PROVIDER_STAFF,),
        _("サービス提供事業者ホーム"),
        _("利用決定を受けた利用者の確認と、利用実績・気づいたことの記録をここから行います。"),
        links=(
            (_("利用者と実績の記録"), "family_support:portal"),
            (_("地域資源をさがす(公開ページ)"), "finder:index"),
        ),
    ),
    RoleHome(
        "cgc",
        "cgc/",
        (Role.CGC_LIAISON,),
        _("児童相談所 連絡ホーム"),
        _("主担当または協働しているケースの情報をここから確認します。"),
    ),
    RoleHome(
        "editor",
        "editor/",
        (Role.RESOURCE_EDITOR,),
        _("地域資源の編集"),
        _("こども食堂・居場所などの地域資源の情報をここから更新します。"),
    ),
    RoleHome(
        "admin",
        "system/",
        (Role.ADMINISTRATOR,),
        _("システム管理"),
        _("利用者・組織の管理と、変更履歴・アクセス記録の確認を行います。"),
        links=(
            (_("利用者の管理"), "administration:user_list"),
            (_("組織の管理"), "administration:organisation_list"),
            (_("市区町村の設定"), "administration:municipality_settings"),
            (_("アクセス記録の検索"), "audit:access_log"),
            (_("変更履歴の検索"), "audit:change_history"),
        ),
    ),
    RoleHome(
        "operator",
        "operator/",
        (Role.OPERATOR,),
        _("運用管理"),
        _("市区町村・組織・利用者の登録を、管理サイトで行います。個人の記録は扱いません。"),
        links=((_("管理サイト"), "admin:index"),),
    ),
)

HOME_OF_ROLE = {role: home for home in ROLE_HOMES for role in home.roles}

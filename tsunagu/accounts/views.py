import base64

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tsunagu.access.policy import PUBLIC, SIGNED_IN, requires
from tsunagu.core.roles import Role

from . import services
from .forms import LoginForm, TokenForm

HOME_URLS = {
    Role.CENTER_STAFF: "accounts:home_center",
    Role.SUPERVISOR: "accounts:home_center",
    Role.PARTNER: "accounts:home_partner",
    Role.PROVIDER_STAFF: "accounts:home_provider",
    Role.CGC_LIAISON: "accounts:home_cgc",
    Role.RESOURCE_EDITOR: "accounts:home_editor",
    Role.ADMINISTRATOR: "accounts:home_admin",
}


@requires(PUBLIC)
def top(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "accounts/top.html")


@requires(PUBLIC)
def healthz(request):
    """For the reverse proxy and monitoring: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@requires(PUBLIC)
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@requires(PUBLIC)
class LogoutView(auth_views.LogoutView):
    pass


@requires(SIGNED_IN)
def home(request):
    return redirect(HOME_URLS[Role(request.user.role)])


def _role_home(capability: str, title: str, lead: str, links=()):
    @requires(capability)
    def view(request):
        return render(request, "accounts/home.html", {"title": title, "lead": lead, "links": links})

    view.__name__ = capability.replace(".", "_")
    return view


home_center = _role_home(
    "home.center",
    _("センター業務"),
    _("相談受付、ケース、支援計画、進行管理をここから行います。"),
)
home_partner = _role_home(
    "home.partner",
    _("協力団体ホーム"),
    _("担当する世帯の見守りと、訪問の報告をここから行います。"),
)
home_provider = _role_home(
    "home.provider",
    _("サービス提供事業者ホーム"),
    _("利用決定を受けた方への支援と、利用実績の報告をここから行います。"),
)
home_cgc = _role_home(
    "home.cgc",
    _("児童相談所 連絡ホーム"),
    _("主担当または協働しているケースの情報をここから確認します。"),
)
home_editor = _role_home(
    "home.editor",
    _("地域資源の編集"),
    _("こども食堂・居場所などの地域資源の情報をここから更新します。"),
)
home_admin = _role_home(
    "home.admin",
    _("システム管理"),
    _("利用者・組織の管理と、変更履歴・アクセス記録の確認を行います。"),
    links=[
        (_("アクセス記録の検索"), "audit:access_log"),
        (_("変更履歴の検索"), "audit:change_history"),
        (_("利用者・組織の管理"), "admin:index"),
    ],
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "accounts:home"


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@requires(SIGNED_IN)
def otp_setup(request):
    device = services.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_device(device, form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "token", "確認コードが一致しません。アプリに表示された最新のコードを入力してください。"
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret},
    )


@requires(SIGNED_IN)
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "確認コードが正しくありません。")
    return render(request, "accounts/otp_verify.html", {"form": form})


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    organisation = serializers.CharField(allow_null=True)
    municipality_code = serializers.CharField(allow_null=True)


@requires(SIGNED_IN)
@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The signed-in user: who they are, where they belong, what role they have."""
    user = request.user
    organisation = user.organisation
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "organisation": organisation.name if organisation else None,
        "municipality_code": organisation.municipality.code if organisation else None,
    }
    return Response(MeSerializer(data).data)

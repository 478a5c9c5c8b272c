import base64
from collections.abc import Callable

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from tsunagu.access.policy import PUBLIC, SIGNED_IN, requires
from tsunagu.core import panels
from tsunagu.core.roles import Role

from . import services
from .forms import LoginForm, TokenForm
from .homes import HOME_OF_ROLE, RoleHome


@requires(PUBLIC)
def top(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "accounts/top.html")


@requires(PUBLIC)
def healthz(request: HttpRequest) -> HttpResponse:
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
def home(request: HttpRequest) -> HttpResponse:
    return redirect(HOME_OF_ROLE[Role(request.user.role)].url_name)


def role_home(home: RoleHome) -> Callable[[HttpRequest], HttpResponse]:
    @requires(home.capability)
    def view(request: HttpRequest) -> HttpResponse:
        context = {
            "title": home.title,
            "lead": home.lead,
            "links": home.links,
            "panels": panels.gather(f"home:{home.name}", request),
        }
        return render(request, "accounts/home.html", context)

    view.__name__ = f"home_{home.name}"
    return view


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "accounts:home"


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@requires(SIGNED_IN)
def otp_setup(request: HttpRequest) -> HttpResponse:
    verified = request.user.is_verified()
    if not services.may_enrol(request.user, session_verified=verified):
        # Exempt from the second-factor gate, so it must never let a password alone through.
        return redirect(f"{reverse('accounts:otp_verify')}?{request.GET.urlencode()}")
    device = services.pending_totp_device(request.user, session_verified=verified)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if services.confirm_totp_device(device, token, session_verified=verified):
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
def otp_verify(request: HttpRequest) -> HttpResponse:
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
def me(request: HttpRequest) -> HttpResponse:
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

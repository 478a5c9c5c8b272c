from django.urls import path

from . import views
from .homes import ROLE_HOMES

app_name = "accounts"
urlpatterns = [
    path("", views.top, name="top"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("home/", views.home, name="home"),
    path("account/2fa/setup/", views.otp_setup, name="otp_setup"),
    path("account/2fa/verify/", views.otp_verify, name="otp_verify"),
    *(path(h.path, views.role_home(h), name=f"home_{h.name}") for h in ROLE_HOMES),
]

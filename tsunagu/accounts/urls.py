from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.top, name="top"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("home/", views.home, name="home"),
    path("center/", views.home_center, name="home_center"),
    path("partner/", views.home_partner, name="home_partner"),
    path("provider/", views.home_provider, name="home_provider"),
    path("cgc/", views.home_cgc, name="home_cgc"),
    path("editor/", views.home_editor, name="home_editor"),
    path("system/", views.home_admin, name="home_admin"),
    path("account/2fa/setup/", views.otp_setup, name="otp_setup"),
    path("account/2fa/verify/", views.otp_verify, name="otp_verify"),
]

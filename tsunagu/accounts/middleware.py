"""Staff roles pass a TOTP second factor before any page, when TSUNAGU_REQUIRE_2FA is on."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_URL_NAMES = {"accounts:otp_setup", "accounts:otp_verify", "accounts:logout"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (settings.TSUNAGU_REQUIRE_2FA and user.is_authenticated):
            return None
        if not user.needs_second_factor or user.is_verified():
            return None
        if request.resolver_match.view_name in EXEMPT_URL_NAMES:
            return None
        has_device = user.totpdevice_set.filter(confirmed=True).exists()
        target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")

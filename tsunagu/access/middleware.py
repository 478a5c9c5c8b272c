"""Deny-by-default gate in front of every view: a view without a capability is refused."""

import logging
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from . import policy

logger = logging.getLogger(__name__)

ADMIN_SITE = "admin.site"


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            capability = ADMIN_SITE
        else:
            capability = policy.capability_of(view_func)
        if getattr(view_func, "cls", None) is not None and capability is not None:
            return None  # DRF views: PolicyPermission decides, after API authentication.
        if capability is None:
            logger.error("view %s has no capability: refused", getattr(match, "view_name", "?"))
            raise PermissionDenied
        if capability == policy.PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not policy.allowed(request.user, capability):
            raise PermissionDenied
        return None

"""DRF's side of the access policy: the default permission class of every endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from . import policy

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.views import APIView


class PolicyPermission(BasePermission):
    message = "この操作を行う権限がありません。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        capability = policy.capability_of(view)
        if capability is None:
            return False
        return policy.allowed(request.user, capability)

    def has_object_permission(self, request: Request, view: APIView, obj: Model) -> bool:
        if request.method in SAFE_METHODS:
            return policy.can_view(request.user, obj)
        return policy.can_change(request.user, obj)

"""DRF's side of the access policy: the default permission class of every endpoint."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from . import policy


class PolicyPermission(BasePermission):
    message = "この操作を行う権限がありません。"

    def has_permission(self, request, view) -> bool:
        capability = policy.capability_of(view)
        if capability is None:
            return False
        return policy.allowed(request.user, capability)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return policy.can_view(request.user, obj)
        return policy.can_change(request.user, obj)

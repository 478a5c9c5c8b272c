"""The menu: each app adds its entries from rules.py; a user sees those they may open."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from . import policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    order: int


_items: list[NavItem] = []


def add(label: str, url_name: str, capability: str, order: int = 100) -> None:
    _items.append(NavItem(label, url_name, capability, order))
    _items.sort(key=lambda item: item.order)


def items_for(user: policy.Viewer | None) -> list[dict]:
    return [
        {"label": item.label, "url": reverse(item.url_name)}
        for item in _items
        if policy.allowed(user, item.capability)
    ]


def navigation(request: HttpRequest) -> dict:
    """Template context processor."""
    user = getattr(request, "user", None)
    return {"nav_items": items_for(user) if policy.has_role(user) else []}

"""Panels that higher apps add to lower apps' pages (the center's home shows today's due items;
a person's page lists their cases): each app adds its panels from its own rules.py, as it adds
its menu entries, so the page's app never imports the panel's."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict]  # the page's arguments -> given to the template as ``panel``
    order: int


_panels: dict[str, list[Panel]] = {}


def add(place: str, template: str, context: Callable[..., dict], order: int = 100) -> None:
    """Show ``template`` on the pages of ``place`` (e.g. "home:center", "person")."""
    _panels.setdefault(place, []).append(Panel(template, context, order))
    _panels[place].sort(key=lambda panel: panel.order)


def gather(place: str, *arguments: object) -> list[tuple[str, dict]]:
    """Each panel of ``place`` as (template, context), its context made from ``arguments``."""
    return [(panel.template, panel.context(*arguments)) for panel in _panels.get(place, [])]

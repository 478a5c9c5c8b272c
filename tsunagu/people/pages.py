"""What other apps show on a person's page (the cases and intakes the viewer may see): each
app adds its panels from its own rules.py, as it adds its menu entries."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable  # (request, person) -> dict, given to the template as ``panel``
    order: int


_panels: list[Panel] = []


def add_person_panel(template: str, context: Callable, order: int = 100) -> None:
    _panels.append(Panel(template, context, order))
    _panels.sort(key=lambda panel: panel.order)


def person_panels(request, person) -> list[tuple[str, dict]]:
    return [(panel.template, panel.context(request, person)) for panel in _panels]

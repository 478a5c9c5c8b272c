"""The one access policy: may this user use this page, see, list or change this object.

Everything is denied unless a rule allows it. Apps register their rules from their own
``rules.py``:

* ``allow(capability, roles)`` — which roles may use a page, endpoint, export or command;
* ``register(model, scope=..., can_change=...)`` — which rows of a model a user may see, and
  which of those they may change;
* ``extend(model, scope=...)`` — more rows of a model registered by a lower app, seen through
  a higher one (e.g. the persons of the cases a cgc liaison works on), without the lower app
  importing the higher.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from tsunagu.core.roles import Role

PUBLIC = "public"  # anyone, signed in or not; never personal data
SIGNED_IN = "signed_in"  # any active user with a role

# Who asks: a signed-in user (accounts.User) or the anonymous visitor.
Viewer = AbstractBaseUser | AnonymousUser
# A view function or class, as URL patterns hold them.
View = Callable | type
Scope = Callable[[object, QuerySet], QuerySet]
ChangeRule = Callable[[object, Model], bool]


@dataclass(frozen=True)
class ModelRule:
    scope: Scope
    can_change: ChangeRule


_capabilities: dict[str, frozenset[str]] = {}
_object_rules: dict[str, ChangeRule] = {}
_model_rules: dict[type[Model], ModelRule] = {}
_extensions: dict[type[Model], list[Scope]] = {}


class PolicyError(Exception):
    """A rule is missing or registered twice: a programming error, never a user's."""


def allow(capability: str, roles: Iterable[Role], *, on: ChangeRule | None = None) -> None:
    """Let ``roles`` use ``capability``; ``on(user, obj)``, when given, says on which objects
    (what ``require`` asks instead of the model's change rule)."""
    if capability in _capabilities or capability in (PUBLIC, SIGNED_IN):
        raise PolicyError(f"capability {capability!r} is already defined")
    _capabilities[capability] = frozenset(Role(r) for r in roles)
    if on is not None:
        _object_rules[capability] = on


def has_role(user: Viewer | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role)


def allowed(user: Viewer | None, capability: str) -> bool:
    if capability == PUBLIC:
        return True
    if not has_role(user):
        return False
    if capability == SIGNED_IN:
        return True
    if capability not in _capabilities:
        raise PolicyError(f"capability {capability!r} has no rule")
    return user.role in _capabilities[capability]


def may(user: Viewer, capability: str, obj: Model | None = None) -> bool:
    """Whether ``user`` may use ``capability`` (on ``obj``, when given: the capability's own
    object rule if it has one — which then decides alone, as break-the-glass opens a case
    its user cannot see — else the model's change rule)."""
    if not allowed(user, capability):
        return False
    if obj is None:
        return True
    rule = _object_rules.get(capability)
    return can_change(user, obj) if rule is None else rule(user, obj)


def require(user: Viewer, capability: str, obj: Model | None = None) -> None:
    """Refuse (PermissionDenied) unless ``may(user, capability, obj)``: what a service asks
    before it writes."""
    if not may(user, capability, obj):
        raise PermissionDenied


def require_visible(user: Viewer, obj: Model) -> None:
    """Refuse (PermissionDenied) unless ``user`` may see ``obj`` (e.g. a person put on an
    intake must be one the worker may see)."""
    if not can_view(user, obj):
        raise PermissionDenied


def _never(user: Viewer, obj: Model) -> bool:
    return False


def register(model: type[Model], *, scope: Scope, can_change: ChangeRule = _never) -> None:
    if model in _model_rules:
        raise PolicyError(f"{model.__name__} already has a rule")
    _model_rules[model] = ModelRule(scope=scope, can_change=can_change)


def register_change(model: type[Model], can_change: ChangeRule) -> None:
    """Who may change rows of ``model``, whose scope a lower app registered."""
    rule = _model_rules.get(model)
    if rule is None or rule.can_change is not _never:
        raise PolicyError(f"{model.__name__} has no rule, or already says who may change it")
    _model_rules[model] = ModelRule(scope=rule.scope, can_change=can_change)


def extend(model: type[Model], *, scope: Scope) -> None:
    """Rows of ``model`` that ``scope`` adds to what its own rule lets a user see."""
    _extensions.setdefault(model, []).append(scope)


def _rule(model: type[Model]) -> ModelRule | None:
    for klass in model.__mro__:
        if klass in _model_rules:
            return _model_rules[klass]
    return None


def scope(user: Viewer, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see (none when no rule applies)."""
    rule = _rule(queryset.model)
    if rule is None or not has_role(user):
        return queryset.none()
    seen = rule.scope(user, queryset)
    for extension in _extensions.get(queryset.model, ()):
        seen = seen | extension(user, queryset)
    return seen


def can_view(user: Viewer, obj: Model) -> bool:
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def can_change(user: Viewer, obj: Model) -> bool:
    rule = _rule(type(obj))
    return rule is not None and can_view(user, obj) and rule.can_change(user, obj)


def within_municipality(user: Viewer, queryset: QuerySet, field: str = "municipality") -> QuerySet:
    """Rows of the user's own municipality: the line no rule crosses by itself."""
    return queryset.filter(**{f"{field}_id": user.municipality_id})


def requires(capability: str) -> Callable[[View], View]:
    """Mark a view (function, class-based or DRF) with the capability it needs."""

    def mark(view: View) -> View:
        view.tsunagu_capability = capability
        # DRF checks the class (PolicyPermission); Django's gate checks the function.
        for attribute in ("cls", "view_class"):
            klass = getattr(view, attribute, None)
            if klass is not None:
                klass.tsunagu_capability = capability
        return view

    return mark


def capability_of(view: View) -> str | None:
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        name = getattr(candidate, "tsunagu_capability", None)
        if name:
            return name
    return None

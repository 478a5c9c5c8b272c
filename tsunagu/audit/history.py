"""The change history as the audit searches read it. (The services' helpers — who made a
save, refusing a stale one — live in core.history, below every app that saves.)"""

from functools import cache


def history_models() -> list:
    """The models whose changes are kept, by label. (simple-history also registers the
    through-tables of tracked many-to-many fields; their rows live in the owner's history.)"""
    from simple_history.models import registered_models

    found = [m for m in registered_models.values() if hasattr(m, "history")]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _municipality_path(model, depth: int = 0) -> str | None:
    """The lookup from a row of ``model`` to its municipality's id, following foreign keys
    (a household member's is household__municipality_id)."""
    from tsunagu.core.models import Municipality

    if model is Municipality:
        return "id"
    keys = [f for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    for key in keys:
        if key.related_model is Municipality:
            return f"{key.name}_id"
    if depth == 3:
        return None
    for key in keys:
        if key.related_model is not model:
            inner = _municipality_path(key.related_model, depth + 1)
            if inner:
                return f"{key.name}__{inner}"
    return None


@cache
def municipality_paths() -> dict:
    """Every model with history → the lookup of its municipality's id (models with none are
    left out, so their history is shown to nobody)."""
    paths = {model: _municipality_path(model) for model in history_models()}
    return {model: path for model, path in paths.items() if path}

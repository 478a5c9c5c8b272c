"""The change history as the audit searches read it. The services' helpers live in core
(core.history), below every app that saves; they are re-exported here for older imports."""

from tsunagu.core.history import as_actor, changes_since, refuse_if_stale, version_of

__all__ = ["as_actor", "changes_since", "history_models", "refuse_if_stale", "version_of"]


def history_models() -> list:
    """The models whose changes are kept, by label. (simple-history also registers the
    through-tables of tracked many-to-many fields; their rows live in the owner's history.)"""
    from simple_history.models import registered_models

    found = [m for m in registered_models.values() if hasattr(m, "history")]
    return sorted(found, key=lambda m: m._meta.label_lower)

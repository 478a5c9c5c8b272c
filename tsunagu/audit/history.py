"""The change history (django-simple-history) as the services use it."""


def as_actor(actor, obj):
    """Mark ``obj`` so that the history row of its next save names ``actor``."""
    obj._history_user = actor
    return obj


def version_of(obj) -> int:
    """Grows with every saved change of ``obj`` (its newest history row): a form carries the
    version it was opened at, so that a save from a stale screen can be refused."""
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0

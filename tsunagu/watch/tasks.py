"""Watching over's background jobs (django-tasks; `tsunagu db_worker` runs them): the mails
of an alert, and the check, at its deadline, that an urgent alert was acknowledged."""

from django_tasks import task

from . import notify, services
from .models import Alert


@task()
def notify_alert_task(alert_id: int) -> int:
    """Mail the key person (or, with none, the unit's staff) that an alert was raised."""
    return notify.alert_raised(Alert.objects.select_related("case").get(pk=alert_id))


@task()
def escalate_alert_task(alert_id: int) -> bool:
    """At an urgent alert's deadline: still unacknowledged, it goes to the supervisors."""
    return services.escalate_if_unacknowledged(alert_id)


@task()
def notify_escalation_task(alert_id: int) -> int:
    """Mail the supervisors an urgent alert nobody acknowledged in time."""
    return notify.alert_escalated(Alert.objects.select_related("case").get(pk=alert_id))

"""Watching over's background jobs (django-tasks; `tsunagu db_worker` runs them): the mails
of an alert, and the check, at its deadline, that an urgent alert was acknowledged."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

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


@task()
def check_unreported_visits_task() -> int:
    """The daily check of planned visits nobody reported; it queues itself again for the next
    morning (08:00), so one run started keeps the check going."""
    raised = services.raise_unreported_visits()
    schedule_daily_check()
    return raised


def schedule_daily_check() -> None:
    """Queue the daily check for the next morning unless one is queued already."""
    path = check_unreported_visits_task.module_path
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return
    tomorrow = timezone.localdate() + timedelta(days=1)
    at = timezone.make_aware(datetime.combine(tomorrow, time(8, 0)))
    check_unreported_visits_task.using(run_after=at).enqueue()

"""The plans app follows the cases it belongs to."""

from django.dispatch import receiver

from tsunagu.cases.events import case_closed

from . import services


@receiver(case_closed, dispatch_uid="plans.close_with_case")
def close_with_case(sender, case, actor, **kwargs):
    """A closed case's plans end and its open action items are cancelled."""
    services.close_open_items(case, actor=actor)

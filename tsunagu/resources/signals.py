"""A schedule saved or deleted anywhere recomputes its place's openings (the finder's index)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import openings
from .models import Schedule


@receiver(post_save, sender=Schedule)
@receiver(post_delete, sender=Schedule)
def schedule_changed(sender, instance: Schedule, **kwargs) -> None:
    openings.refresh_place(instance.place_id)

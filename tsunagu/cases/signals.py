"""The cases app follows changes made in people (which must not know about cases)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tsunagu.people.models import Person

from .models import CasePerson


@receiver(post_save, sender=Person, dispatch_uid="cases.person_name_keys")
def keep_case_person_keys(sender, instance: Person, raw=False, **kwargs):
    """A renamed person is found by the new name in the case search too."""
    if not raw:
        CasePerson.objects.filter(person_id=instance.pk).refresh_name_keys()

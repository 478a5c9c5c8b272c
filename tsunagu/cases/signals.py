"""The cases app follows changes made in people (which must not know about cases)."""

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from tsunagu.people.models import Person

from .models import CasePerson


@receiver(post_save, sender=Person, dispatch_uid="cases.person_name_keys")
def keep_case_person_keys(sender, instance: Person, raw=False, **kwargs):
    """A renamed person is found by the new name in the case search too, and so are the cases
    of the records merged into it (or, after an undo, the cases of the record set free)."""
    if not raw:
        concerned = Q(person_id=instance.pk) | Q(person__merged_into_id=instance.pk)
        CasePerson.objects.filter(concerned).refresh_name_keys()

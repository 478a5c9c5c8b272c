from tsunagu.access import policy

from .models import HouseholdMember, Person


def household_members_for(viewer, person: Person):
    """The current members of the person's households that the viewer may see."""
    households = person.memberships.filter(valid_to__isnull=True).values("household")
    members = HouseholdMember.objects.filter(household__in=households, valid_to__isnull=True)
    return policy.scope(viewer, members).select_related("person").order_by("person__birth_date")

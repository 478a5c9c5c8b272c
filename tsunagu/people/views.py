from django.shortcuts import render

from tsunagu.access.policy import requires
from tsunagu.audit.shortcuts import get_object_for_viewer

from .models import Person
from .selectors import household_members_for


@requires("people.view")
def person_detail(request, pk: int):
    person = get_object_for_viewer(request, Person.objects.select_related("town"), pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "members": household_members_for(request.user, person)},
    )

"""The directory's background jobs (django-tasks; `tsunagu db_worker` runs them)."""

from django_tasks import task

from . import importing
from .models import DirectoryImport


@task()
def check_import_task(staged_id: int) -> str:
    """Check a staged import (reading only) and keep its report."""
    staged = DirectoryImport.objects.select_related("municipality").get(pk=staged_id)
    return importing.check(staged).status


@task()
def apply_import_task(staged_id: int) -> str:
    """Apply a checked import, all or nothing."""
    staged = DirectoryImport.objects.select_related("municipality", "applied_by").get(pk=staged_id)
    return importing.apply(staged, staged.applied_by).status


@task()
def refresh_openings_task(municipality_id: int, place_ids: list[int]) -> int:
    """The finder's index of openings for the places an import wrote."""
    importing.refresh_openings(municipality_id, place_ids)
    return len(place_ids)

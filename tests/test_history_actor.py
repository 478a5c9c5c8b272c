"""Every write of a service leaves a history row that names its actor: no queryset update()
that writes none, no get_or_create that writes one without a user."""

from django.utils import timezone

from tsunagu.audit.history import history_models
from tsunagu.cases import services
from tsunagu.cases.models import Activity, Case, Registration
from tsunagu.core.models import Organisation
from tsunagu.people import services as people_services

from . import factories


def _marks() -> dict:
    return {
        model: model.history.order_by("-history_id").values_list("history_id", flat=True).first()
        or 0
        for model in history_models()
    }


def _rows_since(marks: dict) -> list:
    rows = []
    for model, mark in marks.items():
        rows += list(model.history.filter(history_id__gt=mark))
    return rows


def test_each_case_service_names_its_actor_in_the_history(users, family, town):
    _, mother, child = family
    worker = users["caseworker"]
    marks = _marks()
    case = factories.case(worker, [(child, "child"), (mother, "guardian")])
    development = Organisation.objects.get(
        municipality=town, kind=Organisation.Kind.UNIT_DEVELOPMENT
    )
    services.add_unit(case, development, actor=worker)
    services.assign_worker(case, users["nurse"], key_person=True, actor=worker)
    seen = Activity(
        kind=Activity.Kind.VISIT,
        occurred_at=timezone.now(),
        content="家庭訪問。本児を目視で確認。",
        child_seen=True,
    )
    services.record_activity(case, seen, actor=worker)
    services.change_rank(case, Case.Rank.B, reason="継続", actor=worker)
    registration = services.register_with_council(
        case, mother, Registration.Category.EXPECTANT_MOTHER, on=timezone.localdate(), actor=worker
    )
    newborn = factories.person(town, "陽葵", "ヒマリ", timezone.localdate())
    people_services.link_to_unit(newborn, actor=worker)
    services.continue_registration(
        registration,
        person=newborn,
        category=Registration.Category.SUPPORT,
        on=timezone.localdate(),
        reason="出産により",
        actor=worker,
    )
    rows = [r for r in _rows_since(marks) if r.instance._meta.model_name != "person"]
    kinds = {r.instance._meta.model_name for r in rows}
    # The writes this test means: the key-person flag moved, the safety check settled, the
    # persons and units linked by the case.
    assert {"assignment", "intake", "caseperson", "caseunit", "knownto"} <= kinds
    assert [r for r in rows if r.history_user_id != worker.pk] == []
    intake = case.intakes.get()
    assert intake.history.first().history_user == worker and intake.safety_checked_at

"""The case summary a 移管 sends to the family's new municipality, as a structured file
(JSON) and read back when a family moves in. Restricted notes and the access log never leave.

Shape (``FORMAT`` 1): ``{"format", "prepared_on", "municipality": {code, name}, "reason",
"case": {number, title, opened_on, risk_rank, lead_agency, status}, "persons": [{family_name,
given_name, family_kana, given_kana, birth_date, sex, role, address, phone}],
"registrations": [{person, category, registered_on, ended_on}], "assessments": [{form, level,
assessed_on}], "plan": {version, goal_short, goal_long, needs, strengths, items: [{title,
provider, frequency}]} | null, "activities": [{occurred_at, kind, content}]}``.
"""

from datetime import date

from django.core.exceptions import ValidationError

from tsunagu.cases.models import Case

from .models import SupportPlan

FORMAT = "tsunagu-case-summary/1"
RECENT_ACTIVITIES = 20


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def case_summary(case: Case, *, reason: str = "", on: date) -> dict:
    """The case as its new municipality needs it: who, registrations, assessments, the plan in
    force and the latest activities."""
    persons = case.persons.select_related("person").order_by("person__birth_date")
    plan = case.plans.filter(status=SupportPlan.Status.APPROVED).first() or case.plans.first()
    return {
        "format": FORMAT,
        "prepared_on": on.isoformat(),
        "municipality": {"code": case.municipality.code, "name": str(case.municipality)},
        "reason": reason,
        "case": {
            "number": case.number,
            "title": case.title,
            "opened_on": _iso(case.opened_on),
            "status": case.get_status_display(),
            "risk_rank": case.risk_rank,
            "lead_agency": case.get_lead_agency_display(),
        },
        "persons": [
            {
                "family_name": link.person.family_name,
                "given_name": link.person.given_name,
                "family_kana": link.person.family_kana,
                "given_kana": link.person.given_kana,
                "birth_date": _iso(link.person.birth_date),
                "sex": link.person.sex,
                "role": link.role,
                "address": link.person.address,
                "phone": link.person.phone,
            }
            for link in persons
        ],
        "registrations": [
            {
                "person": str(r.person),
                "category": r.get_category_display(),
                "registered_on": _iso(r.registered_on),
                "ended_on": _iso(r.ended_on),
            }
            for r in case.registrations.select_related("person")
        ],
        "assessments": [
            {"form": a.form.title, "level": a.level, "assessed_on": _iso(a.assessed_on)}
            for a in case.assessments.select_related("form")[:10]
        ],
        "plan": _plan(plan) if plan else None,
        "activities": [
            {
                "occurred_at": a.occurred_at.isoformat(),
                "kind": a.get_kind_display(),
                "content": a.content,
            }
            for a in case.activities.order_by("-occurred_at")[:RECENT_ACTIVITIES]
        ],
    }


def _plan(plan: SupportPlan) -> dict:
    return {
        "version": plan.version,
        "status": plan.get_status_display(),
        "goal_short": plan.goal_short,
        "goal_long": plan.goal_long,
        "needs": plan.needs,
        "strengths": plan.strengths,
        "items": [
            {"title": item.title, "provider": item.provider, "frequency": item.frequency}
            for item in plan.items.filter(staff_only=False)
        ],
    }


def date_of(text: object) -> date | None:
    """An ISO date of the file, or None when missing or not a date."""
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def check_summary(data: object) -> dict:
    """The file read back: a dict of FORMAT with a case and persons.

    Raises ValidationError (in Japanese) naming what is wrong."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(
            "ケース概要のファイルではありません(tsunagu の移管用 JSON を選んでください)。"
        )
    if not isinstance(data.get("case"), dict) or not isinstance(data.get("persons"), list):
        raise ValidationError("ケース概要のファイルに、ケースまたは関係者の項目がありません。")
    for person in data["persons"]:
        if not isinstance(person, dict) or not str(person.get("family_name", "")).strip():
            raise ValidationError("ケース概要の関係者に、姓のない人がいます。")
    return data

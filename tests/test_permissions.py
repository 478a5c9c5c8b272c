"""Every URL of the app has a row here; the URL walker fails on one that does not."""

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tsunagu.access import policy
from tsunagu.access.api import PolicyPermission
from tsunagu.accounts.models import User
from tsunagu.core.models import Organisation
from tsunagu.people.models import Household, HouseholdMember, Person
from tsunagu.resources.models import ChangeRequest, DirectoryImport, Visibility

from . import factories
from .matrix import CENTER, ROLES, Page, object_rights, page_statuses, rights

ADMIN_ONLY = {"admin"}
DIRECTORY = CENTER | {"cgc", "editor"}
CASE_VIEWERS = CENTER | {"cgc"}


def _case_page(*, nurse: int, cgc: int, **kwargs) -> Page:
    """A page of the caseworker's case: open to her and the supervisor."""
    page = Page.for_roles({"caseworker", "supervisor"}, **kwargs)
    page.statuses.update(nurse=nurse, cgc=cgc)
    return page


COUNCIL = CASE_VIEWERS | {"partner", "provider"}


def _attended_page(**kwargs) -> Page:
    """A conference the caseworker, the supervisor and the partner attended: the center sees
    it; the provider and the cgc, council members who were not there, get 404."""
    page = Page.for_roles(COUNCIL, **kwargs)
    page.statuses.update(provider=404, cgc=404)
    return page


def _watch_page(**kwargs) -> Page:
    """A household the partner watches, or its report: the partner and whoever sees the case;
    every other signed-in user gets 404."""
    return Page.for_roles({"partner", "caseworker", "supervisor"}, denied=404, **kwargs)


NETWORK = CENTER | {"partner", "editor"}


def _network_page(**kwargs) -> Page:
    """A page of the network the partner's cafeteria is in: the editor, whose council is not
    a member, gets 404."""
    page = Page.for_roles(NETWORK, **kwargs)
    page.statuses["editor"] = 404
    return page


def _referral_page() -> Page:
    """The partner's referral, sent to the caseworker's unit: the partner who sent it and that
    unit (and the supervisor) read it; the nurse's unit gets 404."""
    page = _case_page(nurse=404, cgc=403, pk="watch_referral")
    page.statuses["partner"] = 200
    return page


CATALOGUE = CENTER | {"admin"}
KEEPERS = {"supervisor", "admin"}


def _decision_page(*, provider: int, **kwargs) -> Page:
    """A page of the caseworker's case's decision: the center that sees the case; the
    provider of the decision (``provider``); every other signed-in user gets 404."""
    page = Page.for_roles({"caseworker", "supervisor"}, denied=404, **kwargs)
    page.statuses["provider"] = provider
    return page


def _maternal_form(**kwargs) -> Page:
    """A form of the maternal line: its keepers (the nurse's unit, the supervisor); the
    caseworker, who may read some records, is refused the form."""
    return Page.for_roles({"nurse", "supervisor"}, **kwargs)


PAGES = {
    "accounts:top": Page.for_roles(set(), denied=302, anonymous=200),
    "accounts:healthz": Page.same_for_all(200),
    "set_language": Page.same_for_all(302),
    "accounts:login": Page.for_roles(set(), denied=302, anonymous=200),
    "accounts:logout": Page.same_for_all(405),
    "accounts:home": Page.for_roles(set(ROLES), ok=302),
    "accounts:home_center": Page.for_roles(CENTER),
    "accounts:home_partner": Page.for_roles({"partner"}),
    "accounts:home_provider": Page.for_roles({"provider"}),
    "accounts:home_cgc": Page.for_roles({"cgc"}),
    "accounts:home_editor": Page.for_roles({"editor"}),
    "accounts:home_admin": Page.for_roles(ADMIN_ONLY),
    "accounts:home_operator": Page.for_roles({"operator"}),
    # The administrator's pages: users, organisations and settings of its own municipality.
    "administration:user_list": Page.for_roles(ADMIN_ONLY),
    "administration:user_create": Page.for_roles(ADMIN_ONLY),
    "administration:user_edit": Page.for_roles(ADMIN_ONLY, pk="nurse_user"),
    "administration:user_password": Page.for_roles(ADMIN_ONLY, pk="nurse_user"),
    "administration:user_reset_second_factor": Page.for_roles(ADMIN_ONLY, ok=405, pk="nurse_user"),
    "administration:organisation_list": Page.for_roles(ADMIN_ONLY),
    "administration:organisation_create": Page.for_roles(ADMIN_ONLY),
    "administration:organisation_edit": Page.for_roles(ADMIN_ONLY, pk="center"),
    "administration:municipality_settings": Page.for_roles(ADMIN_ONLY),
    "accounts:otp_setup": Page.for_roles(set(ROLES)),
    "accounts:otp_verify": Page.for_roles(set(ROLES)),
    # The logs: the administrator and the supervisor, each inside the municipality.
    "audit:access_log": Page.for_roles(ADMIN_ONLY | {"supervisor"}),
    "audit:change_history": Page.for_roles(ADMIN_ONLY | {"supervisor"}),
    "people:person_detail": Page.for_roles(CENTER, pk="child"),
    "people:person_list": Page.for_roles(CENTER),
    "people:person_create": Page.for_roles(CENTER),
    "people:match_lookup": Page.for_roles(CENTER),
    "people:person_edit": Page.for_roles(CENTER, pk="child"),
    "people:review": Page.for_roles(CENTER),
    # Actions: POST only, so an allowed GET is refused with 405 after the policy let it through.
    "people:use_match": Page.for_roles(CENTER, ok=405, pk="child"),
    "people:other_name_add": Page.for_roles(CENTER, ok=405, pk="child"),
    "people:review_decide": Page.for_roles(CENTER, ok=405, pk="child"),
    "people:merge_undo": Page.for_roles(CENTER, ok=405, pk="child"),
    "cases:case_list": Page.for_roles(CASE_VIEWERS),
    "cases:due_list": Page.for_roles(CASE_VIEWERS),
    "cases:register": Page.for_roles(CENTER),
    "cases:register_export": Page.for_roles(CENTER),
    "cases:break_glass_list": Page.for_roles({"supervisor"}),
    "cases:intake_create": Page.for_roles(CENTER),
    # The case and its intake belong to the child-welfare unit (the caseworker's). A viewer with
    # the capability but not the case gets 404; center staff are offered break-the-glass.
    "cases:intake_detail": _case_page(nurse=404, cgc=404, pk="intake"),
    # Deciding an intake: one URL per decision, POST only.
    **{
        f"cases:intake_{decision}": Page.for_roles(CENTER, ok=405, pk="intake")
        for decision in ("open", "join", "advice")
    },
    "cases:intake_print": _case_page(nurse=404, cgc=404, pk="intake"),
    "cases:case_detail": _case_page(nurse=302, cgc=404, pk="case"),
    # The case page's forms: one URL each, POST only.
    **{
        f"cases:case_{name}": Page.for_roles(CENTER, ok=405, pk="case")
        for name in (
            "status",
            "rank",
            "unit",
            "organisation",
            "registration",
            "assignment",
            "note",
            "continue",
            "review",
            "closure",
            "reopen",
        )
    },
    # Closures: the supervisor decides (POST only).
    "cases:closure_list": Page.for_roles({"supervisor"}),
    "cases:closure_decide": Page.for_roles({"supervisor"}, ok=405, pk="case"),
    "cases:case_forms": _case_page(nurse=404, cgc=403, pk="case"),
    "cases:activity_create": _case_page(nurse=404, cgc=404, pk="case"),
    "cases:activity_edit": _case_page(nurse=404, cgc=404, pk="case", activity_pk="activity"),
    "cases:assessment_create": _case_page(nurse=404, cgc=403, pk="case", kind="urgency"),
    "cases:break_glass": Page(
        {**Page.for_roles(set()).statuses, "caseworker": 302, "nurse": 200}, {"pk": "case"}
    ),
    # Support plans follow the caseworker's case; the supervisor approves.
    "plans:plan_start": Page.for_roles(CENTER, ok=405, case_pk="case"),
    "plans:approval_list": Page.for_roles({"supervisor"}),
    "plans:plan_detail": _case_page(nurse=404, cgc=404, pk="plan"),
    "plans:plan_edit": _case_page(nurse=404, cgc=403, pk="plan"),
    **{
        f"plans:{name}": Page.for_roles(CENTER, ok=405, pk="plan")
        for name in ("item_add", "task_add", "plan_submit")
    },
    "plans:item_remove": Page.for_roles(CENTER, ok=405, pk="plan", item_pk="plan_item"),
    "plans:task_remove": Page.for_roles(CENTER, ok=405, pk="plan", task_pk="plan_task"),
    "plans:plan_approve": Page.for_roles({"supervisor"}, ok=405, pk="plan"),
    "plans:plan_return": Page.for_roles({"supervisor"}, ok=405, pk="plan"),
    "plans:plan_print": _case_page(nurse=404, cgc=404, pk="plan"),
    "plans:plan_print_family": _case_page(nurse=404, cgc=404, pk="plan"),
    # Conferences: the center sees all of its municipality's; a council member outside it
    # (the partner attended, the provider and the cgc did not) only those attended.
    "plans:conference_list": Page.for_roles(COUNCIL),
    "plans:conference_create": Page.for_roles(CENTER),
    "plans:conference_detail": _attended_page(pk="conference"),
    "plans:conference_minutes": _attended_page(pk="conference"),
    "api_conference": _attended_page(pk="conference", anonymous=403),
    **{
        f"plans:{name}": Page.for_roles(CENTER, ok=405, pk="conference")
        for name in ("attendee_add", "discussion_add")
    },
    "plans:decision_record": Page.for_roles(
        CENTER, ok=405, pk="conference", discussion_pk="discussion"
    ),
    "plans:review_queue": Page.for_roles({"supervisor"}),
    "plans:review_agenda": Page.for_roles({"supervisor"}, ok=405),
    "plans:action_complete": Page.for_roles(COUNCIL, ok=405, pk="action_item"),
    # Hand-offs follow the case; the cgc reads what is addressed to it.
    "plans:handoff_list": Page.for_roles(CASE_VIEWERS),
    "plans:transfer_in": Page.for_roles(CENTER),
    "plans:handoff_request": _case_page(nurse=404, cgc=404, case_pk="case"),
    "plans:handoff_detail": _case_page(nurse=404, cgc=200, pk="referral"),
    "plans:document_download": _case_page(nurse=404, cgc=200, pk="document"),
    "plans:handoff_answer": Page.for_roles(CASE_VIEWERS, ok=405, pk="referral"),
    "plans:handoff_complete": Page.for_roles(CENTER, ok=405, pk="referral"),
    "plans:document_add": Page.for_roles(CASE_VIEWERS, ok=405, pk="referral"),
    "plans:transfer_summary_pdf": _case_page(nurse=404, cgc=403, pk="transfer"),
    "plans:transfer_summary_json": _case_page(nurse=404, cgc=403, pk="transfer"),
    # Watching over: the partner's cafeteria watches the caseworker's case's household. The
    # partner reads the household and its reports (never the case); the center follows the case.
    "watch:visits": Page.for_roles({"partner"}),
    "watch:report_create": Page.for_roles({"partner"}, pk="watch_assignment"),
    "watch:report_list": Page.for_roles({"partner"}),
    "watch:report_detail": _watch_page(pk="watch_report"),
    "watch:assignment_detail": _watch_page(pk="watch_assignment"),
    "watch:manifest": Page.same_for_all(200),
    "watch:service_worker": Page.same_for_all(200),
    "watch:assign": _case_page(nurse=404, cgc=403, case_pk="case"),
    "watch:assignment_end": Page.for_roles(CENTER, ok=405, pk="watch_assignment"),
    "watch:alert_list": Page.for_roles(CENTER),
    "watch:alert_detail": _case_page(nurse=404, cgc=403, pk="watch_alert"),
    "watch:alert_acknowledge": Page.for_roles(CENTER, ok=405, pk="watch_alert"),
    "watch:alert_handle": Page.for_roles(CENTER, ok=405, pk="watch_alert"),
    "watch:figure_list": Page.for_roles(CENTER | {"partner"}),
    "watch:figure_export": Page.for_roles(CENTER | {"partner"}),
    # つなぐ: the partner's referral went to the child-welfare unit (the caseworker's).
    "watch:referral_list": Page.for_roles(CENTER | {"partner"}),
    "watch:referral_create": Page.for_roles({"partner"}),
    "watch:referral_detail": _referral_page(),
    "watch:referral_close": Page.for_roles(CENTER, ok=405, pk="watch_referral"),
    # The network: its members (the partner's cafeteria; the council's coordinator, an editor,
    # when the council is a member — here it is not) and the center.
    "watch:network": Page.for_roles(NETWORK),
    "watch:profile_edit": Page({**Page.for_roles({"partner"}).statuses, "editor": 404}),
    "watch:donation_create": _network_page(network_pk="network"),
    "watch:need_create": _network_page(network_pk="network"),
    "watch:donation_detail": _network_page(pk="donation"),
    "watch:donation_claim": Page.for_roles(NETWORK, ok=405, pk="donation"),
    "watch:need_met": Page.for_roles(NETWORK, ok=405, pk="need"),
    "api_watch_report_create": Page.for_roles({"partner"}, ok=405, anonymous=403),
    "api_watch_report": _watch_page(pk="watch_report", anonymous=403),
    # Family support services: the city's catalogue for its center and administrator; a
    # decision on the caseworker's case, given to the provider user's organisation.
    "family_support:catalogue": Page.for_roles(CATALOGUE),
    "family_support:offering_detail": Page.for_roles(CATALOGUE, pk="offering"),
    # The supervisor and the administrator keep the catalogue.
    "family_support:catalogue_copy": Page.for_roles(KEEPERS, ok=405),
    "family_support:offering_create": Page.for_roles(KEEPERS),
    "family_support:offering_edit": Page.for_roles(KEEPERS, pk="offering"),
    "family_support:provider_create": Page.for_roles(KEEPERS),
    "family_support:provider_edit": Page.for_roles(KEEPERS, pk="service_provider"),
    "family_support:contract_save": Page.for_roles(KEEPERS, ok=405, pk="service_provider"),
    "family_support:provider_detail": Page.for_roles(CATALOGUE, pk="service_provider"),
    "family_support:application_create": _case_page(nurse=404, cgc=403, case_pk="case"),
    "family_support:decision_create": _case_page(nurse=404, cgc=403, case_pk="case"),
    "family_support:decision_detail": _decision_page(provider=302, pk="decision"),
    "family_support:decision_notice": _decision_page(provider=403, pk="decision"),
    "family_support:decision_consent": Page.for_roles(CENTER, ok=405, pk="decision"),
    "family_support:decision_meeting": Page.for_roles(CENTER, ok=405, pk="decision"),
    "family_support:decision_monitoring": Page.for_roles(CENTER, ok=405, pk="decision"),
    "family_support:usage_detail": _decision_page(provider=200, pk="usage"),
    "family_support:usage_approve": Page.for_roles(CENTER, ok=405, pk="usage"),
    "family_support:portal": Page.for_roles({"provider"}),
    "family_support:portal_user": Page.for_roles({"provider"}, pk="decision"),
    "family_support:usage_create": Page.for_roles({"provider"}, pk="decision"),
    "family_support:stay_search": _case_page(nurse=404, cgc=403, case_pk="case"),
    "family_support:stay_request": Page.for_roles(CENTER, ok=405, case_pk="case"),
    "family_support:stay_detail": _case_page(nurse=404, cgc=403, pk="stay"),
    "family_support:stay_answer": Page.for_roles(CENTER, ok=405, pk="stay"),
    "family_support:figures": Page.for_roles(CATALOGUE),
    "family_support:figure_export": Page.for_roles(CATALOGUE),
    "api_family_support_decisions": Page.for_roles({"provider"}, anonymous=403),
    "api_family_support_decision": Page.for_roles({"provider"}, anonymous=403, pk="decision"),
    "api_family_support_use": Page.for_roles({"provider"}, ok=405, anonymous=403),
    # The maternal line: the nurse's unit and the supervisor keep it; child-welfare staff
    # read the records of the persons on their cases (the case's mother and child here) and
    # write none; every other role sees none of it.
    "maternal:home": Page.for_roles(CENTER),
    "maternal:pregnancy_list": Page.for_roles(CENTER),
    "maternal:notification_create": _maternal_form(ok=302),
    "maternal:pregnancy_detail": Page.for_roles(CENTER, pk="pregnancy"),
    "maternal:contact_create": _maternal_form(pk="pregnancy"),
    "maternal:benefit_create": _maternal_form(pk="pregnancy"),
    "maternal:birth_create": _maternal_form(pk="pregnancy"),
    "maternal:open_intake": Page.for_roles(CENTER, ok=405, pk="pregnancy"),
    "maternal:register_expectant": Page.for_roles(CENTER, ok=405, pk="pregnancy"),
    "maternal:pregnancy_end": Page.for_roles(CENTER, ok=405, pk="pregnancy"),
    "maternal:visit_list": Page.for_roles(CENTER),
    "maternal:visit_detail": Page.for_roles(CENTER, pk="newborn_visit"),
    "maternal:follow_up": Page.for_roles(CENTER, pk="follow_up"),
    "maternal:checkups": _maternal_form(),
    "maternal:missed_list": Page.for_roles(CENTER),
    "maternal:missed_export": Page.for_roles(CENTER),
    "maternal:import": _maternal_form(),
    "maternal:checkup_detail": Page.for_roles(CENTER, pk="checkup"),
    "maternal:checkup_record": Page.for_roles(CENTER, ok=405, pk="checkup"),
    "maternal:follow_step_create": Page.for_roles(CENTER, ok=405, pk="checkup"),
    "maternal:postnatal_create": _maternal_form(pk="birth"),
    "maternal:postnatal_detail": Page.for_roles(CENTER, pk="postnatal_care"),
    "maternal:postnatal_decide": Page.for_roles(CENTER, ok=405, pk="postnatal_care"),
    "maternal:postnatal_use": Page.for_roles(CENTER, ok=405, pk="postnatal_care"),
    # The public finder: everyone, signed in or not. The place is a public entry.
    "finder:index": Page.same_for_all(200),
    "finder:place": Page.same_for_all(200, pk="place"),
    # The staff directory (informal helpers included): center staff, the cgc, resource editors.
    "resources:directory": Page.for_roles(DIRECTORY),
    "resources:directory_export": Page.for_roles(DIRECTORY),
    "resources:staff_map": Page.for_roles(DIRECTORY),
    "resources:service_detail": Page.for_roles(DIRECTORY, pk="place_service"),
    # Editors edit; an operator is sent to the form for its own entries.
    "resources:service_create": Page({**Page.for_roles({"editor"}).statuses, "partner": 302}),
    "resources:service_edit": Page(
        {**Page.for_roles({"editor"}).statuses, "partner": 302}, {"pk": "place_service"}
    ),
    "resources:service_verify": Page.for_roles({"editor", "partner"}, ok=405, pk="place_service"),
    "resources:own": Page.for_roles({"partner"}),
    "resources:own_edit": Page.for_roles({"partner"}, pk="place_service"),
    "resources:own_closure": Page.for_roles({"partner"}, ok=405, pk="place_service"),
    "resources:change_requests": Page.for_roles({"editor"}),
    "resources:change_request_decide": Page.for_roles({"editor"}, ok=405, pk="change_request"),
    # Loading an open-data file: resource editors of the municipality.
    "resources:import_upload": Page.for_roles({"editor"}),
    "resources:import_detail": Page.for_roles({"editor"}, pk="directory_import"),
    "resources:import_apply": Page.for_roles({"editor"}, ok=405, pk="directory_import"),
    "resources:import_categories": Page.for_roles({"editor"}, ok=405, pk="directory_import"),
    "resources:import_errors": Page.for_roles({"editor"}, pk="directory_import"),
    # The HSDS API of the public directory: everyone (public data only; tested in
    # test_resource_api).
    "hsds:root": Page.same_for_all(200),
    "hsds:services": Page.same_for_all(200),
    "hsds:service": Page.same_for_all(200, uid="place_uid"),
    "hsds:organizations": Page.same_for_all(200),
    "hsds:taxonomies": Page.same_for_all(200),
    "hsds:taxonomy_terms": Page.same_for_all(200),
    "hsds:openapi": Page.same_for_all(200),
    "api_me": Page.for_roles(set(ROLES), anonymous=403),
    "api_schema": Page.for_roles(set(ROLES), anonymous=403),
    # Django's admin site: the install's operator only. Every admin URL is walked for every
    # role in test_admin_site.py; this row is its index.
    "admin:*": Page.for_roles({"operator"}),
}


# Management commands run from the server's shell: the operator who can reach that shell is
# trusted with the database already, so the matrix records who is meant to run each one.
COMMANDS = {
    "demo": "server operator; --reset only where DEBUG is on (demo databases)",
    "createadmin": "server operator, once per municipality",
    "createoperator": "server operator: the install's operator, who alone enters Django's admin "
    "site (reference data and accounts, no personal data)",
    "resources": "server operator: imports a municipal open-data CSV or HSDS file into one "
    "municipality's directory (all or nothing), exports its public entries only, loads "
    "area boundaries from GeoJSON (all or nothing), and undoes imports whose worker stopped",
    "match": "server operator: a CSV handed over for deduplication, or --database to queue "
    "proposals that center staff then decide on the review page (their access applies there)",
    "maternal_import": "server operator, naming a maternal-health nurse or the supervisor with "
    "--user (refused for anyone else): births from the resident registry and check-up lists "
    "from the health system, all or nothing; uncertain name matches queued for review",
}


def test_every_command_has_a_row_in_the_permission_matrix():
    import tsunagu

    root = Path(tsunagu.__file__).parent
    ours = {p.stem for p in root.glob("*/management/commands/*.py") if p.stem != "__init__"}
    # db_worker (django-tasks-db) runs the background jobs: the server operator starts it
    # beside the web server; it runs what staff queued through pages of this matrix.
    assert ours == COMMANDS.keys()


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                yield "admin:*"
                continue
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"


def test_every_url_has_a_row_in_the_permission_matrix():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - PAGES.keys() == set(), "URLs with no permission-matrix row"
    assert PAGES.keys() - names == set(), "matrix rows for URLs that no longer exist"


@pytest.mark.parametrize("url_name", sorted(PAGES))
def test_page_permissions(url_name, users, family, town):
    _, mother, child = family
    page = PAGES[url_name]
    case = factories.case(users["caseworker"], [(child, "child"), (mother, "guardian")])
    objects = {"child": child.pk, "case": case.pk, "intake": case.intakes.get().pk}
    objects["nurse_user"] = users["nurse"].pk
    objects["center"] = users["supervisor"].organisation_id
    objects["urgency"] = "urgency"
    objects["activity"] = factories.activity(users["caseworker"], case).pk
    if url_name.startswith("plans:") or url_name == "api_conference":
        objects |= factories.plan_objects(users, case)
    if "watch" in url_name:
        objects |= factories.watch_objects(users, case)
    if "family_support" in url_name:
        objects |= factories.family_support_objects(users, case)
    if url_name.startswith("maternal:"):
        objects |= factories.maternal_objects(users, case)
    factories.ensure_code_lists()
    place = factories.resource(town, "本町こども食堂", operator=users["partner"].organisation)
    objects["place"], objects["place_service"] = place.pk, place.service_id
    objects["place_uid"] = place.service.uid
    objects["change_request"] = ChangeRequest.objects.create(
        service=place.service, requested_by=users["partner"], changes={"service": {}}
    ).pk
    objects["directory_import"] = DirectoryImport.objects.create(
        municipality=town,
        filename="a.csv",
        data=b"",
        file_format="jp-opendata",
        report={"rows": 0, "errors": [], "error_count": 0},
        uploaded_by=users["editor"],
    ).pk
    name = "admin:index" if url_name == "admin:*" else url_name
    seen = page_statuses(name, page, users, lambda kw: {k: objects[v] for k, v in kw.items()})
    assert seen == page.statuses


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        else:
            yield pattern.callback


def test_every_api_endpoint_goes_through_the_policy():
    """A DRF view that swaps its permission classes would slip past the gate."""
    api_views = [v for v in _views(get_resolver().url_patterns) if getattr(v, "cls", None)]
    assert api_views, "the walker found no API view"
    for view in api_views:
        assert PolicyPermission in view.cls.permission_classes, view.cls.__name__
        assert policy.capability_of(view), view.cls.__name__


def test_a_view_without_a_capability_is_refused(rf, users):
    from tsunagu.access.middleware import AccessPolicyMiddleware

    def unmarked(request):  # pragma: no cover - must never run
        raise AssertionError("an unmarked view ran")

    request = rf.get("/")
    request.user = users["admin"]
    request.resolver_match = None
    with pytest.raises(Exception) as refused:
        AccessPolicyMiddleware(lambda r: None).process_view(request, unmarked, (), {})
    assert refused.type.__name__ == "PermissionDenied"


def test_person_rights_by_role(users, family):
    household, mother, child = family
    member = HouseholdMember.objects.get(person=child)
    expected = rights(view=CENTER, change=CENTER)
    for obj in (mother, child, household, member):
        assert object_rights(users, obj) == expected, type(obj).__name__


def test_nobody_crosses_the_municipality_line(users, other_town):
    _, mother, child = factories.family(other_town)
    for obj in (mother, child):
        assert object_rights(users, obj) == rights(view=set(), change=set())
    assert not policy.scope(users["supervisor"], Person.objects.filter(pk=child.pk)).exists()


def test_lists_are_filtered_by_viewer(users, family, other_town):
    factories.family(other_town)
    assert policy.scope(users["nurse"], Person.objects.all()).count() == 2
    assert policy.scope(users["partner"], Person.objects.all()).count() == 0
    assert policy.scope(users["nurse"], Household.objects.all()).count() == 1


def test_users_and_organisations(users, other_town):
    neighbours = factories.users(other_town, prefix="n-")
    admin = users["admin"]
    # The administrator's municipality: every role but the install's operator.
    assert policy.scope(admin, User.objects.all()).count() == len(ROLES) - 1
    assert not policy.can_view(admin, users["operator"])
    assert not policy.can_view(admin, neighbours["nurse"])
    assert policy.can_change(admin, users["nurse"])
    assert policy.scope(users["partner"], User.objects.all()).get() == users["partner"]
    assert not policy.can_change(users["partner"], users["partner"])
    visible = policy.scope(users["nurse"], Organisation.objects.all())
    assert set(visible.values_list("municipality", flat=True)) == {users["nurse"].municipality_id}


def test_unregistered_model_is_denied(users):
    from tsunagu.audit.models import AccessLog

    assert policy.scope(users["admin"], AccessLog.objects.all()).count() == 0


def test_directory_rights_by_role(users, town):
    factories.ensure_code_lists()
    own = factories.resource(town, "本町こども食堂", operator=users["partner"].organisation)
    public = factories.resource(town, "土曜ひろば")
    neighbour = factories.resource(town, "近所の協力者", visibility=Visibility.STAFF)
    directory = {"nurse", "caseworker", "supervisor", "cgc", "editor"}
    assert object_rights(users, own.service) == rights(
        view=directory | {"partner", "provider"}, change={"editor", "partner"}
    )
    assert object_rights(users, public.service) == rights(
        view=directory | {"partner", "provider"}, change={"editor"}
    )
    assert object_rights(users, neighbour.service) == rights(view=directory, change={"editor"})
    assert object_rights(users, neighbour.location) == rights(view=directory, change={"editor"})

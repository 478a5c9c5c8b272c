"""The staff directory: every entry (informal helpers included), its Excel export, editing,
re-verification, operators' own entries and their change requests, and the staff map."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseModelFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.core.errors import message_of
from tsunagu.core.history import version_of
from tsunagu.core.models import Area
from tsunagu.core.params import whole_number
from tsunagu.core.xlsx import xlsx_response

from . import schedules, selectors, services
from .forms import ClosureForm, LocationForm, OperatorServiceForm, ScheduleFormSet, ServiceForm
from .models import Category, ChangeRequest, Location, ResourceOrganisation, Schedule, Service
from .public import map_settings

PAGE_SIZE = 50
EXPORT_HEADERS = [
    "名称",
    "フリガナ",
    "運営主体",
    "分類",
    "公開範囲",
    "状況",
    "対象年齢",
    "対象学年",
    "利用できる人",
    "料金",
    "電話番号",
    "住所",
    "地域",
    "小学校区",
    "緯度",
    "経度",
    "開催日程",
    "最終確認日",
]


def _filters(request: HttpRequest) -> selectors.DirectoryFilters:
    def number(name: str) -> int | None:
        return whole_number(request.GET.get(name))

    def text(name: str) -> str:
        # PostgreSQL refuses a NUL in any text of a query: a filter never carries one.
        return request.GET.get(name, "").replace("\x00", "")

    return selectors.DirectoryFilters(
        text=text("q").strip(),
        category=text("category"),
        visibility=text("visibility"),
        region=number("region"),
        school_district=number("district"),
        status=text("status"),
        reverify=request.GET.get("reverify") == "1",
    )


@requires("resources.directory")
def directory(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    found = selectors.directory(request.user, filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    log_bulk_access(
        request, Service, page.object_list, action=AccessLog.Action.SEARCH, purpose="地域資源"
    )
    areas = Area.objects.filter(municipality=request.user.municipality_id)
    return render(
        request,
        "resources/directory.html",
        {
            "page": page,
            "filters": filters,
            "categories": Category.objects.all(),
            "regions": areas.filter(kind=Area.Kind.REGION),
            "districts": areas.filter(kind=Area.Kind.ELEMENTARY_DISTRICT),
            "visibilities": Service._meta.get_field("visibility").choices,
            "statuses": Service.Status.choices,
            "query_without_page": query_without_page(request),
            "reverify_before": services.due_for_verification(),
        },
    )


def _export_row(service: Service) -> list:
    places = list(service.places.all())
    location = places[0].location if places else None
    return [
        service.name,
        service.name_kana,
        service.organisation.name,
        "・".join(c.name for c in service.categories.all()),
        service.get_visibility_display(),
        service.get_status_display(),
        service.ages_text,
        service.grades_text,
        service.get_admission_display(),
        service.cost_text,
        service.phone,
        location.address if location else "",
        str(location.region or "") if location else "",
        str(location.school_district or "") if location else "",
        location.latitude if location else None,
        location.longitude if location else None,
        " / ".join(str(s) for p in places for s in p.schedules.all()),
        service.last_verified_on,
    ]


@requires("resources.export")
def directory_export(request: HttpRequest) -> HttpResponse:
    found = list(
        selectors.directory(request.user, _filters(request)).prefetch_related(
            "places__schedules", "places__location__region", "places__location__school_district"
        )
    )
    log_bulk_access(
        request, Service, found, action=AccessLog.Action.EXPORT, purpose="地域資源一覧(Excel)"
    )
    return xlsx_response(
        "地域資源",
        EXPORT_HEADERS,
        (_export_row(s) for s in found),
        (28, 28, 24, 16, 8, 8, 10, 10, 10, 16, 14, 32, 10, 12, 10, 10, 40, 12),
        "resources.xlsx",
    )


def _service(request: HttpRequest, pk: int, purpose: str) -> Service:
    return get_object_for_viewer(
        request,
        Service.objects.select_related("organisation__operator"),
        pk=pk,
        purpose=purpose,
    )


@requires("resources.directory")
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk, "地域資源の閲覧")
    places = service.places.select_related(
        "location__region", "location__school_district"
    ).prefetch_related("schedules")
    return render(
        request,
        "resources/service_detail.html",
        {
            "service": service,
            "places": places,
            "may_edit": policy.allowed(request.user, "resources.edit_entry"),
            "history": service.history.select_related("history_user")[:20],
            "requests": service.change_requests.select_related("requested_by")[:10],
            "due": service.last_verified_on is None
            or service.last_verified_on < services.due_for_verification(),
        },
    )


def _schedule_rows(formset: BaseModelFormSet) -> list[Schedule]:
    return [
        form.save(commit=False)
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ] + [
        form.instance
        for form in formset.forms
        if form.instance.pk and not form.has_changed() and not form.cleaned_data.get("DELETE")
    ]


def _edit_forms(request: HttpRequest, service: Service | None, location: Location | None) -> tuple:
    municipality = request.user.municipality_id
    data = request.POST if request.method == "POST" else None
    place = service.places.first() if service else None
    schedules_qs = place.schedules.all() if place else Schedule.objects.none()
    return (
        ServiceForm(data, instance=service, prefix="service"),
        LocationForm(data, instance=location, prefix="location", municipality=municipality),
        ScheduleFormSet(data, queryset=schedules_qs, prefix="schedule"),
    )


@requires("resources.edit")
def service_create(request: HttpRequest) -> HttpResponse:
    if not policy.allowed(request.user, "resources.edit_entry"):
        return redirect("resources:own")
    service_form, location_form, formset = _edit_forms(request, None, None)
    organisations = ResourceOrganisation.objects.filter(municipality=request.user.municipality_id)
    if request.method == "POST" and all(
        f.is_valid() for f in (service_form, location_form, formset)
    ):
        try:
            chosen = whole_number(request.POST.get("organisation"))
            organisation = organisations.filter(pk=chosen).first() if chosen else None
            if chosen and organisation is None:
                raise ValidationError("選んだ運営団体が見つかりません。選び直してください。")
            service = services.create_entry(
                organisation or request.POST.get("organisation_name", ""),
                services.Entry(
                    service_form.save(commit=False),
                    location_form.save(commit=False),
                    _schedule_rows(formset),
                    list(service_form.cleaned_data["categories"]),
                ),
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, f"「{service.name}」を登録しました。")
            return redirect("resources:service_detail", pk=service.pk)
    return render(
        request,
        "resources/service_form.html",
        {
            "service_form": service_form,
            "location_form": location_form,
            "formset": formset,
            "organisations": organisations,
        },
    )


@requires("resources.edit")
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk, "地域資源の編集")
    if not policy.allowed(request.user, "resources.edit_entry"):
        return redirect("resources:own_edit", pk=service.pk)
    place = service.places.select_related("location").first()
    service_form, location_form, formset = _edit_forms(
        request, service, place.location if place else None
    )
    if request.method == "POST" and all(
        f.is_valid() for f in (service_form, location_form, formset)
    ):
        seen = whole_number(request.POST.get("version"), low=0)
        try:
            if seen is None:
                raise ValidationError(
                    "画面の情報が不足しています。画面を開き直してから、もう一度入力してください。"
                )
            services.update_entry(
                services.Entry(
                    service_form.save(commit=False),
                    location_form.save(commit=False),
                    _schedule_rows(formset),
                    list(service_form.cleaned_data["categories"]),
                ),
                seen,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(request, "保存しました。")
            return redirect("resources:service_detail", pk=service.pk)
    return render(
        request,
        "resources/service_form.html",
        {
            "service": service,
            "service_form": service_form,
            "location_form": location_form,
            "formset": formset,
            "version": version_of(service),
        },
    )


@require_POST
@requires("resources.edit")
def service_verify(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk, "地域資源の確認")
    try:
        services.verify_entry(service, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"「{service.name}」を確認済みにしました。")
    return redirect("resources:service_detail", pk=service.pk)


@requires("resources.own")
def own(request: HttpRequest) -> HttpResponse:
    found = selectors.own_services(request.user).prefetch_related(
        "change_requests", "places__schedules"
    )
    today = timezone.localdate()
    return render(
        request,
        "resources/own.html",
        {
            "services": [
                {
                    "service": service,
                    "closures": _coming_closures(service, today),
                    "form": ClosureForm(initial={"date": today}),
                }
                for service in found
            ],
        },
    )


def _coming_closures(service: Service, today: date) -> list[str]:
    return [
        schedules.describe(s)
        for place in service.places.all()
        for s in place.schedules.all()
        if s.kind == "closed" and (s.end_date or s.date) >= today
    ]


@require_POST
@requires("resources.own")
def own_closure(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_for_viewer(
        request, selectors.own_services(request.user), pk=pk, purpose="自団体の資源の休みの登録"
    )
    form = ClosureForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("resources:own")
    data = form.cleaned_data
    try:
        services.post_closure(
            service, data["date"], data["end_date"], data["note"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(
            request, f"{service.name}: お休みを登録しました。すぐにファインダーに反映されます。"
        )
    return redirect("resources:own")


@requires("resources.own")
def own_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_for_viewer(
        request, selectors.own_services(request.user), pk=pk, purpose="自団体の資源の編集"
    )
    place = service.places.first()
    data = request.POST if request.method == "POST" else None
    proposed = Service.objects.get(pk=service.pk)
    form = OperatorServiceForm(data, instance=proposed)
    formset = ScheduleFormSet(
        data,
        queryset=place.schedules.all() if place else Schedule.objects.none(),
        prefix="schedule",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            request_made = services.change_own_entry(
                service, form.save(commit=False), _schedule_rows(formset), actor=request.user
            )
        except ValidationError as error:
            messages.error(request, message_of(error))
        else:
            messages.success(
                request,
                "変更を申請しました。編集担当の承認後に公開されます。"
                if request_made
                else "保存しました。",
            )
            return redirect("resources:own")
    return render(
        request,
        "resources/own_edit.html",
        {"service": service, "form": form, "formset": formset},
    )


def _readable_changes(request_: ChangeRequest) -> list[dict]:
    rows = []
    for name, (old, new) in request_.changes.get("service", {}).items():
        label = Service._meta.get_field(name).verbose_name
        rows.append({"label": label, "old": old, "new": new})
    if "schedules" in request_.changes:
        before, after = request_.changes["schedules"]
        rows.append(
            {
                "label": "開催日程",
                "old": " / ".join(schedules.describe(services.schedule_from(r)) for r in before),
                "new": " / ".join(schedules.describe(services.schedule_from(r)) for r in after),
            }
        )
    return rows


@requires("resources.approve")
def change_requests(request: HttpRequest) -> HttpResponse:
    pending = [
        {"request": r, "changes": _readable_changes(r)}
        for r in selectors.change_requests_for(request.user)
    ]
    return render(request, "resources/change_requests.html", {"pending": pending})


@require_POST
@requires("resources.approve")
def change_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_for_viewer(
        request, ChangeRequest.objects.all(), pk=pk, purpose="変更申請の判断"
    )
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_change(change, approve, request.POST.get("note", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "承認しました。" if approve else "差し戻しました。")
    return redirect("resources:change_requests")


@requires("resources.directory")
def staff_map(request: HttpRequest) -> HttpResponse:
    categories = list(Category.objects.all())
    index = {c.code: i for i, c in enumerate(categories)}
    markers = []
    for place in selectors.map_places(request.user):
        first = next(iter(place.service.categories.all()), None)
        markers.append(
            {
                "lat": place.location.latitude,
                "lon": place.location.longitude,
                "name": place.service.name
                + ("(職員のみ)" if place.service.visibility == "staff" else ""),
                "url": reverse("resources:service_detail", args=[place.service_id]),
                "group": index.get(first.code, 0) if first else 0,
                "layer": first.name if first else "その他",
            }
        )
    return render(
        request,
        "resources/staff_map.html",
        {
            "markers": markers,
            "boundaries": selectors.boundaries_for(request.user),
            "map": map_settings(),
        },
    )

"""The nurse's pages of a pregnancy: her home, the notification and its interview, the flags
and the one step to an intake or a 特定妊婦 registration, contacts, benefits and the birth."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.core.errors import message_of
from tsunagu.core.params import whole_number
from tsunagu.core.views_common import apply_posted, form_page
from tsunagu.people.models import Person

from . import flags, forms, selectors, services
from .models import Benefit, Birth, FollowUp, NewbornVisit, Pregnancy

PAGE_SIZE = 50


def _pregnancy(request: HttpRequest, pk: int, purpose: str) -> Pregnancy:
    return get_object_for_viewer(
        request, Pregnancy.objects.select_related("mother", "nurse"), pk=pk, purpose=purpose
    )


def _pregnancy_to_change(request: HttpRequest, pk: int, purpose: str) -> Pregnancy:
    pregnancy = _pregnancy(request, pk, purpose)
    policy.require(request.user, "maternal.change", pregnancy)
    return pregnancy


@requires("maternal.view")
def home(request: HttpRequest) -> HttpResponse:
    """The nurse's page: her visits to make, her follow-ups, the flagged pregnancies."""
    visits = selectors.visit_list(request.user)
    follow_ups = selectors.follow_ups(request.user)
    flagged = selectors.pregnancies(request.user, flagged_only=True)
    shown = {
        "visits": list(visits[:10]),
        "follow_ups": list(follow_ups[:10]),
        "flagged": list(flagged[:10]),
    }
    for model, rows in (
        (NewbornVisit, shown["visits"]),
        (FollowUp, shown["follow_ups"]),
        (Pregnancy, shown["flagged"]),
    ):
        log_bulk_access(request, model, rows, action=AccessLog.Action.LIST, purpose="母子保健")
    return render(
        request,
        "maternal/home.html",
        shown
        | {
            "visit_count": visits.count(),
            "follow_up_count": follow_ups.count(),
            "missed_count": selectors.missed_list(request.user).count(),
            "keeper": policy.may(request.user, "maternal.record", request.user.organisation),
            "flag_labels": flags.LABELS,
        },
    )


@requires("maternal.view")
def pregnancy_list(request: HttpRequest) -> HttpResponse:
    flagged = request.GET.get("flagged") == "1"
    rows = selectors.pregnancies(request.user, flagged_only=flagged)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    log_bulk_access(request, Pregnancy, page.object_list, action=AccessLog.Action.LIST)
    return render(
        request,
        "maternal/pregnancy_list.html",
        {
            "page": page,
            "flagged": flagged,
            "flag_labels": flags.LABELS,
            "query": query_without_page(request),
        },
    )


@requires("maternal.record")
def notification_create(request: HttpRequest) -> HttpResponse:
    """The notification (妊娠届出) of a person found or registered first (?person=)."""
    policy.require(request.user, "maternal.record", request.user.organisation)
    if not request.GET.get("person"):
        messages.info(request, "妊婦をさがすか登録し、その方のページから届出を記録してください。")
        return redirect("people:person_list")
    mother = get_object_for_viewer(
        request,
        Person.objects.all(),
        pk=whole_number(request.GET.get("person")) or 0,
        purpose="妊娠届出",
    )
    return form_page(
        request,
        forms.NotificationForm(request.POST or None),
        lambda data: services.record_notification(
            Pregnancy(mother=mother, **data), actor=request.user
        ),
        done="妊娠届出と面談を記録しました。",
        template="maternal/notification_form.html",
        context={"mother": mother},
    )


def _next_benefit(pregnancy: Pregnancy) -> str:
    paid = pregnancy.benefits.filter(kind=Benefit.Kind.PREGNANCY).exists()
    return Benefit.Kind.CHILD if paid else Benefit.Kind.PREGNANCY


@requires("maternal.view")
def pregnancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pregnancy = _pregnancy(request, pk, "妊娠の記録")
    may_change = policy.may(request.user, "maternal.change", pregnancy)
    births = pregnancy.births.select_related("child", "visit").prefetch_related("postnatal_cares")
    return render(
        request,
        "maternal/pregnancy_detail.html",
        {
            "pregnancy": pregnancy,
            "flag_labels": flags.labels(pregnancy),
            "contacts": pregnancy.contacts.select_related("by"),
            "benefits": pregnancy.benefits.all(),
            "births": births,
            "may_change": may_change,
            "may_register": may_change and policy.allowed(request.user, "cases.register"),
            "contact_form": forms.ContactForm(),
            "benefit_form": forms.BenefitForm(initial={"kind": _next_benefit(pregnancy)}),
            "end_form": forms.EndForm(),
        },
    )


def _pregnancy_form(
    request: HttpRequest, pk: int, form_class: type, record: Callable[..., object], **texts: str
) -> HttpResponse:
    """A form that adds one record (``form_class``'s model) to the pregnancy through
    ``record(pregnancy, row, actor=)``; ``texts``: purpose, title, done."""
    pregnancy = _pregnancy_to_change(request, pk, texts["purpose"])
    model = form_class._meta.model
    return form_page(
        request,
        form_class(request.POST or None),
        lambda data: record(pregnancy, model(**data), actor=request.user) and pregnancy,
        done=texts["done"],
        template="maternal/pregnancy_form.html",
        context={"pregnancy": pregnancy, "title": texts["title"]},
    )


@requires("maternal.change")
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A companion-support contact (伴走型相談支援)."""
    return _pregnancy_form(
        request,
        pk,
        forms.ContactForm,
        services.record_contact,
        purpose="伴走型相談支援の記録",
        title=_("伴走型相談支援を記録"),
        done="相談支援を記録しました。",
    )


@requires("maternal.change")
def benefit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A payment of 妊婦のための支援給付."""
    return _pregnancy_form(
        request,
        pk,
        forms.BenefitForm,
        services.record_benefit,
        purpose="支援給付の記録",
        title=_("妊婦のための支援給付を記録"),
        done="給付を記録しました。",
    )


def _one_step(
    request: HttpRequest, pk: int, step: Callable[..., object], done: str
) -> HttpResponse:
    pregnancy = _pregnancy_to_change(request, pk, "気がかりな妊婦の相談受付")
    try:
        made = step(pregnancy, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect(pregnancy)
    messages.success(request, done)
    return redirect(made)


@require_POST
@requires("maternal.change")
def open_intake(request: HttpRequest, pk: int) -> HttpResponse:
    """An intake (相談受付) for the mother, from the flags."""
    return _one_step(
        request,
        pk,
        lambda p, actor: reverse(
            "cases:intake_detail", args=[services.open_intake(p, actor=actor).pk]
        ),
        "相談受付を作成しました。",
    )


@require_POST
@requires("maternal.change")
def register_expectant(request: HttpRequest, pk: int) -> HttpResponse:
    """In one step: an intake, a case and the 特定妊婦 registration."""
    return _one_step(
        request,
        pk,
        lambda p, actor: reverse(
            "cases:case_detail", args=[services.register_expectant_mother(p, actor=actor).case_id]
        ),
        "特定妊婦として要対協に登録し、ケースを作成しました。",
    )


@requires("maternal.change")
def birth_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The birth: the child becomes a person, and goes on the newborn-visit list."""
    pregnancy = _pregnancy_to_change(request, pk, "出生の記録")
    mother = pregnancy.mother

    def save(data: dict) -> Pregnancy:
        child = Person(
            family_name=mother.family_name,
            family_kana=mother.family_kana,
            given_name=data.pop("given_name"),
            given_kana=data.pop("given_kana"),
            sex=data.pop("sex"),
            postal_code=mother.postal_code,
            address=mother.address,
            town=mother.town,
            phone=mother.phone,
        )
        services.record_birth(pregnancy, Birth(**data), child, actor=request.user)
        return pregnancy

    return form_page(
        request,
        forms.BirthForm(request.POST or None),
        save,
        done="出生を記録しました。乳児家庭全戸訪問の一覧に入りました。",
        template="maternal/pregnancy_form.html",
        context={"pregnancy": pregnancy, "title": _("出生を記録")},
    )


@require_POST
@requires("maternal.change")
def pregnancy_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The pregnancy ended without a birth here (流産・死産等), or the mother moved away."""
    pregnancy = _pregnancy_to_change(request, pk, "妊娠の終了")
    return apply_posted(
        request,
        forms.EndForm(request.POST),
        lambda data: services.end_pregnancy(pregnancy, actor=request.user, **data),
        done="妊娠の記録を終了しました。",
        back="maternal:pregnancy_detail",
        pk=pk,
    )

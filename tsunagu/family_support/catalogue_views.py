"""The city's catalogue of family support services by fiscal year, its providers and their
contracts: the city's own data, read by its center staff and administrator."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.core.errors import message_of
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.models import Municipality
from tsunagu.core.params import whole_number
from tsunagu.core.views_common import apply_posted

from . import catalogue_forms, services
from .models import AgeBand, Contract, Offering, Provider, Tier


@requires("family_support.catalogue")
def catalogue(request: HttpRequest) -> HttpResponse:
    """The services of one fiscal year (?year=2026, by default this one) and the providers."""
    offerings = policy.scope(request.user, Offering.objects.all())
    years = sorted(set(offerings.values_list("fiscal_year", flat=True)), reverse=True)
    this_year = fiscal_year_of(timezone.localdate())
    year = whole_number(request.GET.get("year"), low=2000, high=2100) or this_year
    return render(
        request,
        "family_support/catalogue.html",
        {
            "year": year,
            "years": years,
            "offerings": offerings.filter(fiscal_year=year).prefetch_related("menu", "fees"),
            "providers": policy.scope(request.user, Provider.objects.all()).prefetch_related(
                "contracts__offering"
            ),
            "may_edit": policy.allowed(request.user, "family_support.catalogue_edit"),
        },
    )


def fee_rows(offering: Offering) -> tuple[list[tuple[str, list[int | None]]], list[str]]:
    """The fee table as (rows per tier, the age bands' labels as columns): the age-free
    column alone when the table does not split by age."""
    rates = {(r.tier, r.age_band): r.amount for r in offering.fees.all()}
    bands = [b for b in (AgeBand.UNDER_2, AgeBand.FROM_2) if any(k[1] == b for k in rates)]
    bands = bands or [AgeBand.ALL]
    return [(label, [rates.get((tier, b)) for b in bands]) for tier, label in Tier.choices], [
        AgeBand(b).label for b in bands
    ]


@requires("family_support.catalogue")
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offering = get_object_or_404(policy.scope(request.user, Offering.objects.all()), pk=pk)
    rows, bands = fee_rows(offering)
    return render(
        request,
        "family_support/offering_detail.html",
        {
            "offering": offering,
            "fee_rows": rows,
            "bands": bands,
            "contracts": offering.contracts.select_related("provider"),
            "may_edit": policy.may(request.user, "family_support.catalogue_edit", offering),
        },
    )


@requires("family_support.catalogue")
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(policy.scope(request.user, Provider.objects.all()), pk=pk)
    return render(
        request,
        "family_support/provider_detail.html",
        {
            "provider": provider,
            "staff": provider.staff.all(),
            "contracts": provider.contracts.select_related("offering"),
            "may_edit": policy.may(request.user, "family_support.catalogue_edit", provider),
            "contract_form": catalogue_forms.ContractForm(municipality_id=provider.municipality_id),
        },
    )


# --- keeping the catalogue (the supervisor and the administrator) ------------------------


def _city(request: HttpRequest) -> int:
    return request.user.municipality_id


@require_POST
@requires("family_support.catalogue_edit")
def catalogue_copy(request: HttpRequest) -> HttpResponse:
    """Make next fiscal year's catalogue as a copy of the year shown."""
    year = whole_number(request.POST.get("year"), low=2000, high=2100)
    municipality = get_object_or_404(Municipality, pk=_city(request))
    try:
        made = services.copy_year(municipality, year or 0, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect(f"{reverse('family_support:catalogue')}?year={year}")
    messages.success(
        request, f"{year + 1}年度の事業を{len(made)}件作りました。料金や単価を確認してください。"
    )
    return redirect(f"{reverse('family_support:catalogue')}?year={year + 1}")


@requires("family_support.catalogue_edit")
def offering_create(request: HttpRequest) -> HttpResponse:
    """Add a service to a year's catalogue (a city's own service, 独自事業, among them)."""
    offering = Offering(municipality_id=_city(request))
    form = catalogue_forms.OfferingForm(
        request.POST or None,
        instance=offering,
        initial={"fiscal_year": fiscal_year_of(timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_offering(form.save(commit=False), actor=request.user)
        messages.success(request, "事業を追加しました。料金表を入れてください。")
        return redirect("family_support:offering_edit", saved.pk)
    return render(request, "family_support/offering_form.html", {"form": form})


@requires("family_support.catalogue_edit")
def offering_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A service and its fee table in one form. Decisions made keep their fee."""
    offering = get_object_or_404(policy.scope(request.user, Offering.objects.all()), pk=pk)
    policy.require(request.user, "family_support.catalogue_edit", offering)
    form = catalogue_forms.OfferingForm(request.POST or None, instance=offering)
    fees = catalogue_forms.FeeTableForm(request.POST or None, offering=offering)
    if request.method == "POST" and form.is_valid() and fees.is_valid():
        with transaction.atomic():
            services.save_offering(form.save(commit=False), actor=request.user)
            services.set_fees(offering, fees.amounts(), actor=request.user)
        messages.success(request, "事業と料金表を保存しました。")
        return redirect("family_support:offering_detail", pk)
    return render(
        request,
        "family_support/offering_form.html",
        {"form": form, "fees": fees, "offering": offering},
    )


def _provider_form(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = catalogue_forms.ProviderForm(
        request.POST or None, instance=provider, municipality_id=_city(request)
    )
    if request.method == "POST" and form.is_valid():
        saved = services.save_provider(form.save(commit=False), actor=request.user)
        messages.success(request, "事業者を保存しました。")
        return redirect("family_support:provider_detail", saved.pk)
    return render(
        request, "family_support/provider_form.html", {"form": form, "provider": provider}
    )


@requires("family_support.catalogue_edit")
def provider_create(request: HttpRequest) -> HttpResponse:
    return _provider_form(request, Provider(municipality_id=_city(request)))


@requires("family_support.catalogue_edit")
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(policy.scope(request.user, Provider.objects.all()), pk=pk)
    policy.require(request.user, "family_support.catalogue_edit", provider)
    return _provider_form(request, provider)


@require_POST
@requires("family_support.catalogue_edit")
def contract_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The provider's contract for a service of a year: unit price and management fee."""
    provider = get_object_or_404(policy.scope(request.user, Provider.objects.all()), pk=pk)
    form = catalogue_forms.ContractForm(request.POST, municipality_id=_city(request))
    return apply_posted(
        request,
        form,
        lambda data: services.save_contract(
            Contract(provider=provider, **data), actor=request.user
        ),
        done="契約を保存しました。",
        back="family_support:provider_detail",
        pk=pk,
    )

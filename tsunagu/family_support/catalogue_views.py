"""The city's catalogue of family support services by fiscal year, its providers and their
contracts: the city's own data, read by its center staff and administrator."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.core.fiscal import fiscal_year_of
from tsunagu.core.params import whole_number

from .models import AgeBand, Offering, Provider, Tier


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
        },
    )

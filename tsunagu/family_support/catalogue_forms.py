"""The forms that keep the city's catalogue: a service, its fee table, a provider, a contract."""

from django import forms

from tsunagu.cases.forms import Plain
from tsunagu.core.models import Area, Organisation

from .models import AgeBand, Contract, Offering, Provider, Tier


class OfferingForm(Plain, forms.ModelForm):
    class Meta:
        model = Offering
        fields = [
            "fiscal_year",
            "kind",
            "legal_category",
            "delivery",
            "public_name",
            "internal_name",
            "unit",
            "min_age",
            "max_age",
            "needs_registration",
            "residents_only",
            "per_use_limit",
            "uses_limit",
            "extendable",
            "over_limit_rate",
        ]


def _fee_field(tier: str, band: str) -> str:
    return f"fee_{tier}_{band}"


class FeeTableForm(Plain, forms.Form):
    """Yen per unit for each household tier (rows) and age band (columns); an empty cell: no
    rate for it (a tier with no rate at all cannot be decided)."""

    BANDS = (AgeBand.ALL, AgeBand.UNDER_2, AgeBand.FROM_2)

    def __init__(self, *args, offering: Offering, **kwargs):
        super().__init__(*args, **kwargs)
        current = {(r.tier, r.age_band): r.amount for r in offering.fees.all()}
        for tier, tier_label in Tier.choices:
            for band in self.BANDS:
                name = _fee_field(tier, band)
                self.fields[name] = forms.IntegerField(
                    label=f"{tier_label} {AgeBand(band).label}",
                    min_value=0,
                    max_value=1_000_000,
                    required=False,
                )
                self.initial.setdefault(name, current.get((tier, band)))

    def rows(self) -> list[tuple[str, list]]:
        return [
            (label, [self[_fee_field(tier, band)] for band in self.BANDS])
            for tier, label in Tier.choices
        ]

    def band_labels(self) -> list[str]:
        return [AgeBand(band).label for band in self.BANDS]

    def amounts(self) -> dict[tuple[str, str], int]:
        return {
            (tier, band): self.cleaned_data[_fee_field(tier, band)]
            for tier in Tier.values
            for band in self.BANDS
            if self.cleaned_data.get(_fee_field(tier, band)) is not None
        }


class ProviderForm(Plain, forms.ModelForm):
    class Meta:
        model = Provider
        fields = [
            "name",
            "kind",
            "organisation",
            "district",
            "min_age",
            "max_age",
            "accepts_sex",
            "medical_care",
            "development_support",
            "weekends_only",
            "capacity",
            "current_placements",
            "years_experience",
            "phone",
            "is_active",
        ]

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            municipality=municipality_id, kind=Organisation.Kind.PROVIDER
        )
        self.fields["district"].queryset = Area.objects.filter(
            municipality=municipality_id, kind=Area.Kind.ELEMENTARY_DISTRICT
        )


class ContractForm(Plain, forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["offering", "unit_price", "management_fee_percent"]

    def __init__(self, *args, municipality_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.filter(
            municipality=municipality_id
        ).order_by("-fiscal_year", "legal_category")
        self.fields["offering"].label_from_instance = lambda o: (
            f"{o.public_name}({o.fiscal_year}年度)"
        )

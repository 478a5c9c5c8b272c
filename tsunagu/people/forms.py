import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .matching import normalise
from .matching.prepare import INPUT_COLUMNS, birth_date_text
from .models import BirthDatePrecision, OtherName, Person

STALE_SCREEN = "画面の情報が不足しています。画面を開き直してから、もう一度入力してください。"
BIRTH_HELP = "例: 2019-04-01。日が分からないときは 2019-04、年しか分からないときは 2019(推定)。"


# The person finder on other forms (an intake) names its fields find-family_name, ….
PICK_PREFIX = "find"


class KanaFields:
    """Readings are stored as full-width katakana, however typed (ﾀｶﾊｼ, たかはし → タカハシ)."""

    def clean_family_kana(self) -> str:
        return normalise.katakana(self.cleaned_data["family_kana"]).strip()

    def clean_given_kana(self) -> str:
        return normalise.katakana(self.cleaned_data["given_kana"]).strip()


YEAR_ONLY = re.compile(r"^\d{4}$")


class PersonForm(KanaFields, forms.ModelForm):
    birth = forms.CharField(label=_("生年月日"), required=False, help_text=BIRTH_HELP)
    birth_estimated = forms.BooleanField(label=_("生年月日は推定"), required=False)
    # Required when editing (the view's stale check); a new person has no version yet.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [
            "family_name",
            "given_name",
            "family_kana",
            "given_kana",
            "sex",
            "postal_code",
            "address",
            "phone",
            "language",
            "needs_interpreter",
            "resident_id",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    field_order = ["family_name", "given_name", "family_kana", "given_kana", "birth"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        person = self.instance
        if person.pk and person.birth_date and not self.is_bound:
            month_only = person.birth_date_precision == BirthDatePrecision.MONTH
            self.initial["birth"] = person.birth_date.strftime(
                "%Y-%m" if month_only else "%Y-%m-%d"
            )
            self.initial["birth_estimated"] = (
                person.birth_date_precision == BirthDatePrecision.ESTIMATED
            )
        for name in ("family_kana", "given_kana"):
            self.fields[name].widget.attrs["placeholder"] = "カタカナ・ひらがな・半角カナ"
        self.fields["version"].required = bool(person.pk)
        self.fields["version"].error_messages["required"] = STALE_SCREEN

    def clean_birth(self):
        text = normalise.nfkc(self.cleaned_data["birth"]).strip()
        if not text:
            return None
        if YEAR_ONLY.match(text):
            # Only the year is known: the middle of it, marked as estimated.
            born = date(int(text), 7, 1)
            if born.year > date.today().year:
                raise forms.ValidationError("生年月日が未来の日付になっています。")
            return born, "year"
        parsed = birth_date_text(text)
        if not parsed:
            raise forms.ValidationError(
                "生年月日は 2019-04-01 または 2019-04 の形で入力してください。"
            )
        year, month, *day = (int(part) for part in parsed.split("-"))
        try:
            born = date(year, month, day[0] if day else 1)
        except ValueError as error:
            raise forms.ValidationError("存在しない日付です。") from error
        if born > date.today():
            raise forms.ValidationError("生年月日が未来の日付になっています。")
        return born, bool(day)

    def clean(self):
        cleaned = super().clean()
        birth = cleaned.get("birth")
        person = self.instance
        if birth is None:
            person.birth_date, person.birth_date_precision = None, BirthDatePrecision.DAY
        else:
            born, has_day = birth
            person.birth_date = born
            if has_day == "year":
                person.birth_date_precision = BirthDatePrecision.ESTIMATED
            elif not has_day:
                person.birth_date_precision = BirthDatePrecision.MONTH
            elif cleaned.get("birth_estimated"):
                person.birth_date_precision = BirthDatePrecision.ESTIMATED
            else:
                person.birth_date_precision = BirthDatePrecision.DAY
        return cleaned

    def as_record(self) -> dict:
        """What has been typed so far, as a matcher record (for find-while-typing)."""

        def typed(key: str) -> str:
            return self.data.get(self.add_prefix(key), "")

        record = {key: typed(key) for key in INPUT_COLUMNS if key != "id"}
        return record | {"birth_date": typed("birth"), "sex": _sex(typed("sex"))}


def _sex(value: str) -> str:
    return value if value in ("female", "male") else ""


class OtherNameForm(KanaFields, forms.ModelForm):
    class Meta:
        model = OtherName
        fields = ["kind", "family_name", "given_name", "family_kana", "given_kana"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

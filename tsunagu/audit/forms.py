from django import forms
from django.utils.translation import gettext_lazy as _

from .history import municipality_paths
from .models import AccessLog


def _history_model_choices():
    return [("", "すべて")] + [
        (m._meta.label_lower, m._meta.verbose_name) for m in municipality_paths()
    ]


# Logs start with the system; a date outside these years is a typing slip (and year 1 or 9999
# would overflow the conversion between time zones).
FIRST_YEAR, LAST_YEAR = 2000, 2199


class _DateRangeForm(forms.Form):
    username = forms.CharField(label=_("利用者ID"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    object_id = forms.CharField(label=_("対象ID"), required=False, max_length=64)

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, f"{FIRST_YEAR}年から{LAST_YEAR}年までの日付にしてください。")
                data.pop(name, None)
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("開始日は終了日より前の日付にしてください。")
        return data


class AccessLogSearchForm(_DateRangeForm):
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", "すべて"), *AccessLog.Action.choices]
    )
    object_type = forms.CharField(label=_("対象の種類"), required=False)


class ChangeHistorySearchForm(_DateRangeForm):
    model = forms.ChoiceField(label=_("対象の種類"), required=False, choices=())
    # Every model with history is numbered by the database.
    object_id = forms.IntegerField(
        label=_("対象ID"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": "対象IDは数字で入力してください。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = _history_model_choices()

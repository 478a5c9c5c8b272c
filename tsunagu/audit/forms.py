from django import forms

from .history import history_models
from .models import AccessLog


def _history_model_choices():
    return [("", "すべて")] + [
        (m._meta.label_lower, m._meta.verbose_name) for m in history_models()
    ]


class _DateRangeForm(forms.Form):
    username = forms.CharField(label="利用者ID", required=False)
    date_from = forms.DateField(
        label="開始日", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="終了日", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    object_id = forms.CharField(label="対象ID", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("開始日は終了日より前の日付にしてください。")
        return data


class AccessLogSearchForm(_DateRangeForm):
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "すべて"), *AccessLog.Action.choices]
    )
    object_type = forms.CharField(label="対象の種類", required=False)


class ChangeHistorySearchForm(_DateRangeForm):
    model = forms.ChoiceField(label="対象の種類", required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = _history_model_choices()

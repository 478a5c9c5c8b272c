"""The upload of a births file or a check-up list (the same import as ``tsunagu
maternal_import``): all or nothing, the outcome or every row's error shown."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.cases.forms import Plain
from tsunagu.core.errors import message_of
from tsunagu.core.models import Municipality

from . import importing

LARGEST_FILE = 10 * 1024 * 1024


class ImportForm(Plain, forms.Form):
    kind = forms.ChoiceField(
        label=_("ファイルの種類"),
        choices=[
            ("births", _("出生(住民基本台帳)")),
            ("checkups", _("乳幼児健診の結果(健康管理システム)")),
        ],
    )
    file = forms.FileField(label=_("CSV ファイル(UTF-8 または Shift_JIS)"))

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_FILE:
            raise ValidationError("ファイルが大きすぎます(10MB まで)。分けて取り込んでください。")
        return upload


@requires("maternal.checkups")
def import_file(request: HttpRequest) -> HttpResponse:
    """Upload and import one file; the counts, or the rows in error (nothing saved)."""
    city = Municipality.objects.get(pk=request.user.municipality_id)
    policy.require(request.user, "maternal.checkups", city)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "kinds": importing.KINDS}
    if request.method == "POST" and form.is_valid():
        columns, run, label = importing.KINDS[form.cleaned_data["kind"]]
        try:
            rows = importing.read_rows(form.cleaned_data["file"].read(), columns)
            context["result"] = run(city, rows, actor=request.user)
        except ValidationError as error:
            form.add_error("file", message_of(error))
        context["label"] = label
    return render(request, "maternal/import.html", context)

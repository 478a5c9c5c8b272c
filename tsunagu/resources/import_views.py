"""The staff import page: upload an open-data file, see what it would do (row errors in
Japanese, nothing applied), then apply it, skipping the bad rows only when the editor says so."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access.policy import requires
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.errors import message_of
from tsunagu.core.xlsx import xlsx_response

from . import selectors, services
from .models import Category, DirectoryImport, Location, Service

RECENT = 20
ERROR_HEADERS = ["行", "項目", "値", "正しい形"]
EMPTY_REPORT = dict.fromkeys(
    ("rows", "created", "updated", "unchanged", "bad_rows", "error_count"), 0
) | {"errors": [], "warnings": [], "replaced": [], "uncategorised": []}
PART_LABELS = {"organisation": "運営主体", "categories": "分類", "schedules": "開催日程"}


@requires("resources.import")
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "ファイルを選んでください。")
        else:
            try:
                # One byte over the limit is enough for the service to refuse it.
                data = upload.read(services.MAX_IMPORT_BYTES + 1)
                staged = services.stage_import(
                    upload.name, data, dataset=request.POST.get("dataset", ""), actor=request.user
                )
            except ValidationError as error:
                messages.error(request, f"{upload.name}: {message_of(error)}")
            else:
                return redirect("resources:import_detail", pk=staged.pk)
    imports = selectors.imports_for(request.user)
    datasets = sorted(set(imports.exclude(dataset="").values_list("dataset", flat=True)))
    return render(
        request,
        "resources/import_upload.html",
        {"recent": imports[:RECENT], "datasets": datasets},
    )


def _staged(request: HttpRequest, pk: int, purpose: str) -> DirectoryImport:
    return get_object_for_viewer(
        request, selectors.imports_for(request.user), pk=pk, purpose=purpose
    )


@requires("resources.import")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk, "取込み結果の確認")
    report = EMPTY_REPORT | staged.report
    return render(
        request,
        "resources/import_detail.html",
        {
            "staged": staged,
            "report": report,
            "more_errors": report["error_count"] - len(report["errors"]),
            "replaced": [
                {**r, "parts": [_part_label(p) for p in r["parts"]]} for r in report["replaced"]
            ],
            "uncategorised": [(k, staged.category_map.get(k, "")) for k in report["uncategorised"]],
            "categories": Category.objects.all(),
        },
    )


def _part_label(part: str) -> str:
    """「名称」「開催日程」 for service.name, schedules …"""
    model, _, name = part.partition(".")
    if not name:
        return PART_LABELS.get(model, model)
    found = {"service": Service, "location": Location}[model]
    return str(found._meta.get_field(name).verbose_name)


@require_POST
@requires("resources.import")
def import_categories(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk, "取込みの分類の選択")
    mapping = {k.removeprefix("kind:"): v for k, v in request.POST.items() if k.startswith("kind:")}
    try:
        services.map_categories(staged, mapping, actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "選んだ分類で確認し直しています。")
    return redirect("resources:import_detail", pk=pk)


@require_POST
@requires("resources.import")
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk, "取込みの反映")
    try:
        staged = services.apply_import(
            staged, skip_bad=request.POST.get("skip_bad") == "1", actor=request.user
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"{staged.filename} の反映を始めました。")
    return redirect("resources:import_detail", pk=pk)


@requires("resources.import")
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    staged = _staged(request, pk, "取込みエラーの出力")
    return xlsx_response(
        "エラー",
        ERROR_HEADERS,
        (
            [e["row"], e["column"], e["value"], e["expected"]]
            for e in staged.report.get("errors", [])
        ),
        (8, 20, 40, 60),
        f"import-{staged.pk}-errors.xlsx",
    )

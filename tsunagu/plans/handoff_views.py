"""Hand-off pages: the list, a new one from a case, one hand-off with its answer, completion
and documents (one URL each), the 移管 summary as PDF and as a structured file, and a family
moving in."""

import json
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.cases.models import Case
from tsunagu.core.errors import message_of
from tsunagu.core.views_common import apply_posted, pdf_response

from . import forms, printing, selectors, services, summary
from .models import HandOff, HandOffDocument

HANDOFFS = HandOff.objects.select_related("case", "intake", "counterpart", "requested_by")


@requires("plans.handoff_view")
def handoff_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in HandOff.Status.values else ""
    page = Paginator(selectors.handoffs_for(request.user, status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "plans/handoff_list.html",
        {
            "page": page,
            "statuses": HandOff.Status.choices,
            "status": status,
            "may_receive": policy.allowed(request.user, "plans.transfer_in"),
        },
    )


@requires("plans.handoff_request")
def handoff_request(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_for_viewer(request, Case.objects.all(), pk=case_pk, purpose="引継ぎの依頼")
    form = forms.HandOffForm(request.POST or None, municipality_id=request.user.municipality_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handoff = services.request_handoff(
                case,
                data["kind"],
                counterpart=data["counterpart"],
                counterpart_municipality=data["counterpart_municipality"],
                reason=data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{handoff.get_kind_display()}を依頼しました。")
            return redirect("plans:handoff_detail", pk=handoff.pk)
    return render(request, "plans/handoff_form.html", {"form": form, "case": case})


def _handoff(request: HttpRequest, pk: int, purpose: str) -> HandOff:
    return get_object_for_viewer(request, HANDOFFS, pk=pk, purpose=purpose)


@requires("plans.handoff_view")
def handoff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = _handoff(request, pk, "引継ぎの閲覧")
    user = request.user
    return render(
        request,
        "plans/handoff_detail.html",
        {
            "handoff": handoff,
            "documents": handoff.documents.defer("content"),
            "case_visible": handoff.case_id and policy.can_view(user, handoff.case),
            "may_answer": policy.may(user, "plans.handoff_answer", handoff),
            "may_complete": policy.may(user, "plans.handoff_complete", handoff),
            "may_document": policy.may(user, "plans.handoff_document", handoff),
            "is_transfer_out": handoff.kind == HandOff.Kind.TRANSFER_OUT,
            "answer_form": forms.AnswerForm(),
            "document_form": forms.DocumentForm(initial={"dated": timezone.localdate()}),
        },
    )


@require_POST
@requires("plans.handoff_answer")
def handoff_answer(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = _handoff(request, pk, "引継ぎへの回答")
    return apply_posted(
        request,
        forms.AnswerForm(request.POST),
        lambda data: services.answer_handoff(
            handoff, accept=data["accept"], answer=data["answer"], actor=request.user
        ),
        done="回答を記録しました。",
        back="plans:handoff_detail",
        pk=handoff.pk,
    )


@require_POST
@requires("plans.handoff_complete")
def handoff_complete(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = _handoff(request, pk, "引継ぎの完了")
    try:
        services.complete_handoff(handoff, note=request.POST.get("note", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "引継ぎを完了にしました。")
    return redirect("plans:handoff_detail", pk=handoff.pk)


@require_POST
@requires("plans.handoff_view")
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    handoff = _handoff(request, pk, "引継ぎの文書")
    form = forms.DocumentForm(request.POST, request.FILES)

    def add(data: dict) -> None:
        upload = data["file"]
        document = services.Document(
            title=data["title"],
            dated=data["dated"],
            content=upload.read() if upload else None,
            filename=upload.name if upload else "",
            content_type=(upload.content_type or "") if upload else "",
        )
        services.add_handoff_document(handoff, document, actor=request.user)

    return apply_posted(
        request, form, add, done="文書を追加しました。", back="plans:handoff_detail", pk=pk
    )


@requires("plans.handoff_view")
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_for_viewer(
        request, HandOffDocument.objects.select_related("handoff"), pk=pk, purpose="引継ぎの文書"
    )
    response = HttpResponse(
        bytes(document.content or b""),
        content_type=document.content_type or "application/octet-stream",
    )
    name = document.filename or f"document-{document.pk}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _summary_of(request: HttpRequest, pk: int, how: str) -> tuple[HandOff, dict]:
    handoff = _handoff(request, pk, f"移管のケース概要({how})")
    if handoff.kind != HandOff.Kind.TRANSFER_OUT or not policy.can_view(request.user, handoff.case):
        raise Http404
    log_access(request, handoff.case, action=AccessLog.Action.EXPORT, purpose=f"移管概要({how})")
    data = summary.case_summary(handoff.case, reason=handoff.reason, on=timezone.localdate())
    return handoff, data


@requires("plans.handoff_export")
def transfer_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    handoff, data = _summary_of(request, pk, "PDF")
    return pdf_response(printing.case_summary(data), f"transfer-{handoff.case.number}.pdf")


@requires("plans.handoff_export")
def transfer_summary_json(request: HttpRequest, pk: int) -> HttpResponse:
    handoff, data = _summary_of(request, pk, "JSON")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="transfer-{handoff.case.number}.json"'
    return response


@requires("plans.transfer_in")
def transfer_in(request: HttpRequest) -> HttpResponse:
    """A family moving in: the other city's summary file becomes an intake of the worker's
    unit, with the summary attached."""
    form = forms.TransferInForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw = form.cleaned_data["summary"].read()
            try:
                data = summary.check_summary(json.loads(raw.decode("utf-8-sig")))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ValidationError("JSON として読めないファイルです。") from None
            handoff = services.receive_transfer(
                data, category=form.cleaned_data["category"], raw=raw, actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "転入の移管を受け付けました。受付からケースを開始してください。"
            )
            return redirect("cases:intake_detail", pk=handoff.intake_id)
    return render(request, "plans/transfer_in.html", {"form": form})

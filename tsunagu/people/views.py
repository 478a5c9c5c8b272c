from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access.policy import requires
from tsunagu.audit.models import AccessLog
from tsunagu.audit.services import log_bulk_access
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.audit.views import query_without_page
from tsunagu.core import panels
from tsunagu.core.errors import message_of

from . import selectors, services
from .forms import PICK_PREFIX, OtherNameForm, PersonForm
from .models import Person, PersonMerge

PAGE_SIZE = 50


@requires("people.view")
def person_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    page = Paginator(selectors.search_persons(request.user, text), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_bulk_access(request, Person, page.object_list, action=AccessLog.Action.SEARCH)
    return render(
        request,
        "people/person_list.html",
        {"page": page, "q": text, "query": query_without_page(request)},
    )


@requires("people.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_viewer(request, Person.objects.select_related("town"), pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "members": selectors.household_members_for(request.user, person),
            "hidden_members": selectors.hidden_member_count(request.user, person),
            "panels": panels.gather("person", request, person),
            "other_names": person.other_names.all(),
            "known_to": person.known_to.select_related("organisation"),
            "merged_records": selectors.merged_records_for(request.user, person),
            "merges": selectors.merges_for(request.user, person),
            "other_name_form": OtherNameForm(),
        },
    )


@requires("people.add")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{person} さんを登録しました。")
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "creating": True})


@requires("people.change")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_viewer(request, Person.objects.all(), pk=pk, purpose="編集")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                form.save(commit=False),
                seen_version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "保存しました。")
            return redirect("people:person_detail", pk=person.pk)
    if not form.is_bound:
        form.initial["version"] = services.person_version(person)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@requires("people.match")
def match_lookup(request: HttpRequest) -> HttpResponse:
    """The find-while-typing panel (htmx partial) for the person form, and, with ``pick``, for
    choosing the persons of an intake (its finder fields carry the ``find`` prefix)."""
    picking = bool(request.GET.get("pick"))
    form = PersonForm(request.GET, prefix=PICK_PREFIX if picking else None)
    record = form.as_record()
    typed = any(record[key] for key in ("family_name", "given_name", "family_kana", "given_kana"))
    matches = selectors.find_matches(request.user, record) if typed else []
    if matches:
        # Hidden matches are logged too: asking whether someone is known is itself a read.
        shown = [m for m in matches if not m.hidden]
        hidden = [m for m in matches if m.hidden]
        purpose = f"入力中の照合(他の担当で把握 {len(hidden)}件)" if hidden else "入力中の照合"
        log_bulk_access(
            request,
            Person,
            [m.person for m in shown] + [Person(pk=m.match.person_id) for m in hidden],
            action=AccessLog.Action.SEARCH,
            purpose=purpose,
        )
    return render(
        request, "people/_matches.html", {"matches": matches, "typed": typed, "picking": picking}
    )


@require_POST
@requires("people.match")
def use_match(request: HttpRequest, pk: int) -> HttpResponse:
    """The person being entered is this known person: link the worker's unit and open her."""
    person = get_object_for_viewer(request, Person.objects.all(), pk=pk, purpose="名寄せで選択")
    services.link_to_unit(person, actor=request.user)
    messages.success(request, f"既存の記録({person} さん)につなげました。")
    return redirect("people:person_detail", pk=person.pk)


@require_POST
@requires("people.change")
def other_name_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_for_viewer(request, Person.objects.all(), pk=pk, purpose="別の氏名の追加")
    form = OtherNameForm(request.POST)
    if form.is_valid():
        services.add_other_name(person, form.save(commit=False), actor=request.user)
        messages.success(request, "別の氏名を追加しました。")
    else:
        messages.error(request, "別の氏名を追加できませんでした。姓を入力してください。")
    return redirect("people:person_detail", pk=person.pk)


@requires("people.review")
def review(request: HttpRequest) -> HttpResponse:
    proposals = selectors.open_proposals_for(request.user)
    page = Paginator(proposals, 20).get_page(request.GET.get("page"))
    persons = [p for proposal in page for p in (proposal.person_low, proposal.person_high)]
    log_bulk_access(request, Person, persons, action=AccessLog.Action.LIST, purpose="名寄せ確認")
    return render(request, "people/review.html", {"page": page, "query": ""})


@require_POST
@requires("people.review")
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_for_viewer(
        request, selectors.open_proposals_for(request.user), pk=pk, purpose="名寄せの判断"
    )
    try:
        if request.POST.get("decision") == "same":
            services.merge_persons(
                proposal.person_low,
                proposal.person_high,
                score=proposal.score,
                reasons=proposal.reasons,
                actor=request.user,
            )
            messages.success(request, "同一人物として統合しました。統合は取り消せます。")
        else:
            services.mark_different(proposal.person_low, proposal.person_high, actor=request.user)
            messages.success(request, "別人として記録しました。この組は今後提案されません。")
    except ValidationError as error:
        messages.error(request, message_of(error))
    return redirect("people:review")


@require_POST
@requires("people.review")
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_for_viewer(request, PersonMerge.objects.all(), pk=pk, purpose="統合の取消")
    try:
        services.undo_merge(merge, actor=request.user)
        messages.success(request, "統合を取り消しました。2つの記録は別々に戻りました。")
    except ValidationError as error:
        messages.error(request, message_of(error))
    return redirect("people:person_detail", pk=merge.kept_id)

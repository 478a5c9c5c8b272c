"""The administrator's pages: users, organisations and the settings of its own municipality.

Every object is read through the policy (another municipality's is a 404), every change goes
through a service that names the administrator in the history."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.access import policy
from tsunagu.access.policy import requires
from tsunagu.accounts import services
from tsunagu.accounts.models import User
from tsunagu.audit.shortcuts import get_object_for_viewer
from tsunagu.core.history import version_of
from tsunagu.core.models import Municipality, Organisation

from .forms import (
    MunicipalityForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    PasswordForm,
    UserCreateForm,
    UserEditForm,
)

PAGE_SIZE = 50
MANAGE = "accounts.manage"


def _page(request: HttpRequest, queryset: QuerySet) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _save(request: HttpRequest, form: BaseForm, save: Callable[[], object]) -> bool:
    """Run a service on a valid form; a refusal becomes the form's error."""
    if not (request.method == "POST" and form.is_valid()):
        return False
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _edit(
    request: HttpRequest,
    form: BaseForm,
    obj: Model,
    update: Callable[[Model, int], Model],
    *,
    template: str,
    done: str,
    context: dict | None = None,
) -> HttpResponse:
    """An edit page: ``update(changed, seen_version)`` on a valid POST, then ``done``."""

    def save() -> Model:
        return update(form.save(commit=False), form.cleaned_data["version"])

    if _save(request, form, save):
        messages.success(request, "保存しました。")
        return redirect(done)
    if not form.is_bound:
        form.initial["version"] = version_of(obj)
    return render(request, template, {"form": form, "object": obj, **(context or {})})


def _create(
    request: HttpRequest,
    form: BaseForm,
    register: Callable[[], Model],
    *,
    template: str,
    done: str,
    message: str,
) -> HttpResponse:
    """A registration page: ``register()`` on a valid POST, then ``done``."""
    if _save(request, form, register):
        messages.success(request, message)
        return redirect(done)
    return render(request, template, {"form": form})


@requires(MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    users = policy.scope(request.user, User.objects.select_related("organisation"))
    text = request.GET.get("q", "").strip()
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(display_name__icontains=text)
            | Q(display_name_kana__icontains=text)
        )
    users = users.order_by("organisation__name", "username")
    context = {"page": _page(request, users), "q": text, "query": _query_without_page(request)}
    return render(request, "administration/user_list.html", context)


@requires(MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, viewer=request.user)
    return _create(
        request,
        form,
        lambda: services.register_user(
            actor=request.user,
            user=form.save(commit=False),
            password=form.cleaned_data["password1"],
        ),
        template="administration/user_form.html",
        done="administration:user_list",
        message="利用者を登録しました。",
    )


def _managed_user(request: HttpRequest, pk: int, purpose: str) -> User:
    return get_object_for_viewer(request, User.objects.all(), pk=pk, purpose=purpose)


@requires(MANAGE)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk, "利用者の編集")
    form = UserEditForm(request.POST or None, instance=user, viewer=request.user)
    return _edit(
        request,
        form,
        user,
        lambda changed, seen: services.update_user(
            actor=request.user, user=changed, seen_version=seen
        ),
        template="administration/user_form.html",
        done="administration:user_list",
        context={"has_device": services.has_second_factor(user)},
    )


@requires(MANAGE)
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk, "パスワードの再設定")
    form = PasswordForm(request.POST or None, user=user)
    if _save(
        request,
        form,
        lambda: services.set_password(
            actor=request.user, user=user, password=form.cleaned_data["password1"]
        ),
    ):
        messages.success(request, f"{user} のパスワードを再設定しました。")
        return redirect("administration:user_edit", pk=user.pk)
    return render(request, "administration/user_password.html", {"form": form, "object": user})


@require_POST
@requires(MANAGE)
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk, "2段階認証のリセット")
    services.reset_second_factor(actor=request.user, user=user)
    messages.success(
        request, f"{user} の2段階認証をリセットしました。次のログインで設定し直します。"
    )
    return redirect("administration:user_edit", pk=user.pk)


@requires(MANAGE)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = policy.scope(request.user, Organisation.objects.select_related("parent"))
    organisations = organisations.order_by("kind", "name")
    context = {"page": _page(request, organisations), "query": _query_without_page(request)}
    return render(request, "administration/organisation_list.html", context)


@requires(MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None, viewer=request.user)
    return _create(
        request,
        form,
        lambda: services.register_organisation(
            actor=request.user, organisation=form.save(commit=False)
        ),
        template="administration/organisation_form.html",
        done="administration:organisation_list",
        message="組織を登録しました。",
    )


@requires(MANAGE)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_for_viewer(request, Organisation.objects.all(), pk=pk)
    form = OrganisationEditForm(request.POST or None, instance=organisation, viewer=request.user)
    return _edit(
        request,
        form,
        organisation,
        lambda changed, seen: services.update_organisation(
            actor=request.user, organisation=changed, seen_version=seen
        ),
        template="administration/organisation_form.html",
        done="administration:organisation_list",
    )


@requires(MANAGE)
def municipality_settings(request: HttpRequest) -> HttpResponse:
    municipality = get_object_for_viewer(
        request, Municipality.objects.all(), pk=request.user.municipality_id
    )
    form = MunicipalityForm(request.POST or None, instance=municipality)
    return _edit(
        request,
        form,
        municipality,
        lambda changed, seen: services.update_municipality(
            actor=request.user, municipality=changed, seen_version=seen
        ),
        template="administration/municipality_form.html",
        done="administration:municipality_settings",
    )

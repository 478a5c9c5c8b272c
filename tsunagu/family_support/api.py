"""Placeholder (written next)."""

from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.access.policy import requires


@requires("family_support.portal")
def decision_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires("family_support.portal")
def use_create(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires("family_support.portal")
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

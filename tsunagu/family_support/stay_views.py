"""Placeholder: short-stay matching (written next)."""

from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.access.policy import requires


@requires("family_support.decide")
def stay_search(request: HttpRequest, case_pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.decide")
def stay_request(request: HttpRequest, case_pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def stay_answer(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

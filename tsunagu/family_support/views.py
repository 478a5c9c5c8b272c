"""Placeholder (written next)."""

from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.access.policy import requires


@requires("family_support.decide")
def application_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.decide")
def decision_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def decision_notice(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def decision_consent(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def decision_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def decision_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def usage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.manage")
def usage_approve(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

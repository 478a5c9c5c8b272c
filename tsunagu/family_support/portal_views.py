"""Placeholder (written next)."""

from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.access.policy import requires


@requires("family_support.portal")
def portal(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires("family_support.portal")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.portal")
def usage_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

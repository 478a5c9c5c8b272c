"""Placeholder (written next)."""

from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.access.policy import requires


@requires("family_support.catalogue")
def catalogue(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires("family_support.catalogue")
def offering_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


@requires("family_support.catalogue")
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404

"""Placeholder: the figures pages (written next)."""

from django.http import Http404, HttpRequest, HttpResponse

from tsunagu.access.policy import requires


@requires("family_support.figures")
def figure_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires("family_support.figures")
def figure_export(request: HttpRequest) -> HttpResponse:
    raise Http404

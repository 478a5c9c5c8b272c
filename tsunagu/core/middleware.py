"""Input refused before any view: control characters in a query or a form.

NUL cannot be stored by PostgreSQL (DataError) and the other C0/C1 controls are never typed by
a person, so a request carrying them is answered 400 with a Japanese page (JSON on the API)
instead of reaching a query. Tab, line feed and carriage return are allowed in posted text
(a textarea sends them), nowhere in a query string.
"""

import re

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
CONTROL_EXCEPT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MESSAGE = "入力に使えない制御文字が含まれています。入力し直してください。"


def _holds(pattern, data) -> bool:
    return any(
        pattern.search(key) or any(pattern.search(value) for value in data.getlist(key))
        for key in data
    )


def has_control_characters(request) -> bool:
    if _holds(CONTROL, request.GET):
        return True
    return request.method == "POST" and _holds(CONTROL_EXCEPT_LINES, request.POST)


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return render(request, "400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages, exports and API answers seen by a signed-in user hold what only they may see:
    no browser or proxy keeps a copy (Cache-Control: no-store). Public pages stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

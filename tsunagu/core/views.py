from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from tsunagu.access.policy import PUBLIC, requires


@requires(PUBLIC)
def top(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "core/top.html")


@requires(PUBLIC)
def healthz(request):
    """For the reverse proxy and monitoring: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

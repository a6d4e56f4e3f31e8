from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def home(request):
    """The front door: a customer goes to their start page, everyone else sees how to get in."""
    if request.user.is_authenticated and getattr(request.user, "customer_id", None):
        try:
            return redirect(reverse("billing:start"))
        except NoReverseMatch:
            pass
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    """The process is alive. Touches no database: a load balancer's cheapest probe."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    """The process can serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return JsonResponse({"database": "unavailable", "error": type(exc).__name__}, status=503)
    return JsonResponse({"database": "ok"})

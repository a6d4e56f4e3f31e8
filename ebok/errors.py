"""Error pages that never show internals, whatever DEBUG says about the 500 path."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the database may be why we are here.
    from django.template import loader

    return _plain(loader.get_template("errors/500.html").render({}), 500)


def _plain(body, status):
    from django.http import HttpResponse

    return HttpResponse(body, status=status)

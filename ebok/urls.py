from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

admin.site.site_header = _("eBOK: obsługa klienta")
admin.site.site_title = "eBOK"

urlpatterns = [
    path("", include("portal.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("", include("billing.urls")),
    path("liczniki/", include("meters.urls")),
    path("sprawy/", include("cases.urls")),
    path("przerwy/", include("outages.urls")),
    path("platnosci-online/", include("onlinepay.urls")),
    # django-payments' callback (PayU's notifications): /platnosci-online/bramka/process/<token>/
    path("platnosci-online/bramka/", include("payments.urls")),
    path("dyspozycje/", include("heat.urls")),
]

handler400 = "ebok.errors.bad_request"
handler403 = "ebok.errors.permission_denied"
handler404 = "ebok.errors.not_found"
handler500 = "ebok.errors.server_error"

"""The admin in correct Polish: model names in the case a title needs, and third-party names.

Django's admin puts a model's verbose name, in the nominative, into "Wybierz %s do zmiany" and
"Dodaj %s" ("Wybierz sprawa do zmiany"). Here each registered model has its accusative form, and
EbokAdminSite (ebok.admin_site) builds the titles and the add button from it. Keys are
"app_label.model_name" strings, so ebok imports no app. Some packages name their apps and models
in plain, untranslatable English (django-otp, django-tasks-db): their Polish names are here too.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

ACCUSATIVE = {
    "accounts.accountattempt": _("próbę rejestracji lub resetu hasła"),
    "accounts.accounttoken": _("link jednorazowy"),
    "accounts.consentevent": _("wpis historii zgód"),
    "accounts.loginevent": _("logowanie"),
    "accounts.user": _("użytkownika"),
    "auth.group": _("grupę"),
    "axes.accessattempt": _("próbę dostępu"),
    "axes.accessfailurelog": _("nieudane logowanie"),
    "axes.accesslog": _("wpis dziennika logowania"),
    "billing.contract": _("umowę"),
    "billing.customer": _("odbiorcę"),
    "billing.deliverypoint": _("punkt odbioru"),
    "billing.document": _("dokument rozliczeniowy"),
    "billing.otherdocument": _("dokument"),
    "billing.payment": _("wpłatę"),
    "cases.case": _("sprawę"),
    "cases.casetype": _("typ sprawy"),
    "django_tasks_database.dbtaskresult": _("wynik zadania"),
    "ebok.auditevent": _("zdarzenie audytowe"),
    "ebok.outboundemail": _("wiadomość e-mail"),
    "meters.meter": _("licznik"),
    "meters.reading": _("odczyt"),
    "meters.selfreading": _("odczyt klienta"),
    "notices.documentnotice": _("powiadomienie o dokumencie"),
    "notices.paymentreminder": _("przypomnienie o płatności"),
    "otp_static.staticdevice": _("zestaw kodów zapasowych"),
    "otp_totp.totpdevice": _("urządzenie TOTP"),
}

# Apps and models whose packages give them no translatable name.
APP_NAMES = {
    "django_tasks_database": _("Zadania w tle"),
    "otp_static": _("Kody zapasowe (weryfikacja dwuetapowa)"),
    "otp_totp": _("Aplikacje uwierzytelniające (weryfikacja dwuetapowa)"),
    "axes": _("Blokady logowania"),
}
MODEL_NAMES = {
    "otp_static.staticdevice": _("Zestawy kodów zapasowych"),
    "otp_totp.totpdevice": _("Urządzenia TOTP"),
}
# django-otp's device admins name fields and sections in plain English: their Polish, per field.
DEVICE_FIELDS = {
    "user": (_("użytkownik"), _("Pracownik, do którego należy urządzenie.")),
    "name": (_("nazwa"), _("Nazwa urządzenia, po której pracownik je rozpozna, np. „telefon”.")),
    "confirmed": (_("potwierdzone"), _("Czy urządzenie jest gotowe do użycia?")),
    "created_at": (_("dodane"), ""),
    "last_used_at": (_("ostatnio użyte"), ""),
    "key": (_("klucz"), _("Tajny klucz w zapisie szesnastkowym, najwyżej 40 bajtów.")),
    "step": (_("krok"), _("Długość kroku czasu w sekundach.")),
    "t0": (_("początek liczenia"), _("Czas uniksowy, od którego liczy się kroki.")),
    "digits": (_("liczba cyfr"), _("Ile cyfr ma kod.")),
    "tolerance": (_("tolerancja"), _("O ile kroków w przód lub wstecz kod może się różnić.")),
    "drift": (_("przesunięcie zegara"), _("O ile kroków zegar urządzenia odbiega od naszego.")),
    "throttling_failure_timestamp": (_("ostatnia nieudana próba"), ""),
    "throttling_failure_count": (_("nieudane próby z rzędu"), ""),
}
DEVICE_SECTIONS = {
    "Identity": _("Urządzenie"),
    "Timestamps": _("Daty"),
    "Configuration": _("Ustawienia"),
    "State": _("Stan"),
    "Throttling": _("Ograniczanie prób"),
}
DEVICE_MODELS = {"otp_totp.totpdevice", "otp_static.staticdevice"}
# The admin index for customer service starts with what they handle most.
APP_ORDER = ["cases", "billing", "meters", "accounts", "notices"]

# Messages of django-otp, django-axes and django-tasks-db that those packages leave untranslated
# in Polish: listed so makemessages keeps them in our catalogues, whose translations win
# (LOCALE_PATHS). Their Polish text is written by hand in locale/pl.
THIRD_PARTY_MESSAGES = (
    gettext_noop("Invalid token. Please make sure you have entered it correctly."),
    gettext_noop("Incorrect authentication code. Please try again."),
    gettext_noop("Please enter your OTP token."),
    gettext_noop("Please enter your authentication code."),
    gettext_noop("Please select a device."),
    gettext_noop("Verification of the token is currently disabled"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Access lock out"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
)

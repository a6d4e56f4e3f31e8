"""Weryfikacja dwuetapowa: switching it on and off in "Moje konto", and the code step of the login.

Every device lookup is by ``request.user`` (or the user of the signed pending login); no URL names
a device, so one customer can never reach another's.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.forms import AppCodeForm, LoginCodeForm, PasswordConfirmForm
from accounts.models import User
from ebok.access import customer_required
from ebok.audit import audit

SETUP_KEY = "ebok_2fa_setup"
BACKUP_CODES_KEY = "ebok_2fa_backup_codes"
PENDING_KEY = "ebok_2fa_pending"
FAILURES_KEY = "ebok_2fa_failures"
PENDING_SALT = "accounts.2fa.pending"
SETUP_SECONDS = 15 * 60  # time to install an app and scan the code
TOO_FAST = gettext_lazy("Zbyt wiele błędnych kodów w krótkim czasie. Odczekaj chwilę i spróbuj ponownie.")


# --- Moje konto ---------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
@customer_required
def enable(request):
    if two_factor.is_enabled(request.user):
        return redirect("accounts:my_account")
    if request.method == "POST":
        form = PasswordConfirmForm(request.user, request.POST, request=request)
        if form.is_valid():
            device = two_factor.setup_start(request.user)
            request.session[SETUP_KEY] = {"device": device.pk, "at": int(timezone.now().timestamp())}
            return redirect("accounts:two_factor_confirm")
    else:
        form = PasswordConfirmForm(request.user)
    return render(request, "accounts/2fa_enable.html", {"form": form})


def _setup_device(request) -> TOTPDevice | None:
    """The unconfirmed device this session started setting up, while the setup is fresh."""
    state = request.session.get(SETUP_KEY)
    if not state or timezone.now().timestamp() - state["at"] > SETUP_SECONDS:
        return None
    return TOTPDevice.objects.filter(pk=state["device"], user=request.user, confirmed=False).first()


@never_cache
@sensitive_post_parameters("code")
@customer_required
def confirm(request):
    device = _setup_device(request)
    if device is None:
        messages.info(request, _("Włączanie weryfikacji dwuetapowej trzeba zacząć od nowa."))
        return redirect("accounts:two_factor_enable")
    if request.method == "POST":
        form = AppCodeForm(request.POST)
        if form.is_valid():
            try:
                codes = two_factor.setup_confirm(device, form.cleaned_data["code"])
            except two_factor.Throttled:
                form.add_error("code", TOO_FAST)
            else:
                if codes is not None:
                    del request.session[SETUP_KEY]
                    request.user.end_other_sessions(request)  # a session without the code would stay
                    otp_login(request, device)  # this session has just shown a code
                    request.session[BACKUP_CODES_KEY] = codes
                    audit("two_factor_enabled", request=request, customer_number=request.user.username)
                    return redirect("accounts:two_factor_backup_codes")
                form.add_error("code", _("Kod jest nieprawidłowy. Wpisz kod, który aplikacja pokazuje teraz."))
    else:
        form = AppCodeForm()
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device, _("Kod QR do zeskanowania aplikacją uwierzytelniającą")),
        "secret": two_factor.secret_text(device),
        "config_url": device.config_url,
    }
    return render(request, "accounts/2fa_confirm.html", context)


@never_cache
@customer_required
def backup_codes(request):
    # Shown once: the codes leave the session as this page is rendered.
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    if not codes:
        return redirect("accounts:my_account")
    shown = [f"{code[:5]}-{code[5:]}" for code in codes]
    return render(request, "accounts/2fa_backup_codes.html", {"codes": shown})


@never_cache
@sensitive_post_parameters("password")
@customer_required
def disable(request):
    if not two_factor.is_enabled(request.user):
        return redirect("accounts:my_account")
    if request.method == "POST":
        form = PasswordConfirmForm(request.user, request.POST, request=request)
        if form.is_valid():
            two_factor.disable(request.user)
            request.user.end_other_sessions(request)
            audit("two_factor_disabled", request=request, customer_number=request.user.username)
            messages.success(request, _("Weryfikacja dwuetapowa została wyłączona."))
            return redirect("accounts:my_account")
    else:
        form = PasswordConfirmForm(request.user)
    return render(request, "accounts/2fa_disable.html", {"form": form})


# --- the code step of the login -----------------------------------------------------------


def start_code_step(request, user, redirect_to: str) -> HttpResponse:
    """After a correct password for an account with 2FA: remember who, briefly, and ask for the code."""
    pending = {"user": user.pk, "backend": user.backend, "next": redirect_to}
    request.session[PENDING_KEY] = signing.dumps(pending, salt=PENDING_SALT)
    request.session[FAILURES_KEY] = 0
    return redirect("accounts:login_code")


def _pending(request) -> tuple[object, dict] | tuple[None, None]:
    try:
        pending = signing.loads(
            request.session.get(PENDING_KEY, ""), salt=PENDING_SALT, max_age=settings.EBOK_2FA_PENDING_SECONDS
        )
    except signing.BadSignature:  # also SignatureExpired
        return None, None
    user = User.objects.filter(
        pk=pending["user"], is_active=True, status=User.Status.ACTIVE, customer__isnull=False
    ).first()
    return (user, pending) if user is not None else (None, None)


def _end_code_step(request) -> None:
    request.session.pop(PENDING_KEY, None)
    request.session.pop(FAILURES_KEY, None)


@never_cache
@csrf_protect
@sensitive_post_parameters("code")
def login_code(request):
    user, pending = _pending(request)
    if user is None:
        _end_code_step(request)
        messages.info(request, _("Czas na podanie kodu minął. Zaloguj się ponownie."))
        return redirect("accounts:login")
    if request.method == "POST":
        form = LoginCodeForm(request.POST)
        if form.is_valid():
            try:
                device = two_factor.verify_login_code(user, form.cleaned_data["code"])
            except two_factor.Throttled:
                form.add_error("code", TOO_FAST)
            else:
                if device is not None:
                    return _log_in(request, user, device, pending)
                return _wrong_code(request, user, form)
    else:
        form = LoginCodeForm()
    return render(request, "accounts/2fa_login_code.html", {"form": form})


def _log_in(request, user, device, pending: dict) -> HttpResponse:
    _end_code_step(request)
    auth_login(request, user, backend=pending["backend"])  # a new session key, as for any login
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        audit("two_factor_backup_code_used", request=request, customer_number=user.username, left=left)
        messages.warning(
            request,
            _("Zalogowano kodem zapasowym. Zostało kodów zapasowych: %(left)d.") % {"left": left},
        )
    return redirect(pending["next"] or settings.LOGIN_REDIRECT_URL)


def _wrong_code(request, user, form) -> HttpResponse:
    # A wrong code is a failed login: axes counts it toward the lockout of this number and IP,
    # and accounts.signals audits it.
    user_login_failed.send(sender=__name__, credentials={"username": user.username, "stage": "code"}, request=request)
    failures = request.session.get(FAILURES_KEY, 0) + 1
    if failures >= settings.EBOK_2FA_MAX_CODE_FAILURES or getattr(request, "axes_locked_out", False):
        _end_code_step(request)
        audit("two_factor_code_step_ended", request=request, customer_number=user.username, failures=failures)
        messages.error(request, _("Zbyt wiele błędnych kodów. Zaloguj się ponownie."))
        return redirect("accounts:login")
    request.session[FAILURES_KEY] = failures
    form.add_error("code", _("Nieprawidłowy kod weryfikacyjny."))
    return render(request, "accounts/2fa_login_code.html", {"form": form})

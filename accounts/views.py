from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import services, two_factor, views_2fa, views_access
from accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EInvoiceConsentForm,
    LoginForm,
    NewPasswordForm,
    NoticePreferencesForm,
    PasswordResetRequestForm,
    RegistrationForm,
    password_requirements,
)
from accounts.models import AccountToken, ConsentEvent
from ebok.access import ACT, customer_required
from ebok.audit import audit, client_ip
from ebok.security import csp_recaptcha

HISTORY_SHOWN = 50  # consent events in Moje konto
REGISTERED_EMAIL = "accounts.registered_email"  # session key: the address "Sprawdź skrzynkę" repeats


def _throttled(request, template: str, form) -> object:
    message = _("Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za %(minutes)d min.") % {
        "minutes": settings.EBOK_ATTEMPT_WINDOW_MINUTES
    }
    return render(request, template, {"form": form, "throttled": message}, status=429)


@never_cache
@csp_recaptcha
@sensitive_post_parameters("email")
def register(request):
    if request.method == "POST":
        form = RegistrationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registration_start(
                    customer_number=data["customer_number"],
                    invoice_number=data["invoice_number"],
                    amount=data["settlement_amount"],
                    email=data["email"],
                    e_invoices=data["e_invoices"],
                    ip=client_ip(request),
                )
            except services.Throttled:
                return _throttled(request, "accounts/register.html", form)
            # "Sprawdź skrzynkę" repeats the address typed, so a typo is seen at once.
            request.session[REGISTERED_EMAIL] = data["email"]
            return redirect("accounts:register_sent")
    else:
        form = RegistrationForm()
    return render(request, "accounts/register.html", {"form": form})


def register_sent(request):
    context = {"email": request.session.get(REGISTERED_EMAIL), "link_hours": settings.EBOK_SET_PASSWORD_LINK_HOURS}
    return render(request, "accounts/register_sent.html", context)


def _password_page(request, raw: str, purpose: str, complete, template: str):
    token = services.find_token(raw=raw, purpose=purpose)
    if token is None:
        return render(request, "accounts/link_invalid.html", status=410)
    if request.method == "POST":
        form = NewPasswordForm(token.user, request.POST)
        if form.is_valid():
            user = complete(raw=raw, password=form.cleaned_data["new_password1"], ip=client_ip(request))
            if user is None:  # used by a concurrent request meanwhile
                return render(request, "accounts/link_invalid.html", status=410)
            return redirect("accounts:password_saved")
    else:
        form = NewPasswordForm(token.user)
    return render(request, template, {"form": form, "requirements": password_requirements()})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def set_password(request, token: str):
    return _password_page(
        request, token, AccountToken.Purpose.SET_PASSWORD, services.set_initial_password, "accounts/set_password.html"
    )


def password_saved(request):
    return render(request, "accounts/password_saved.html")


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes' lockout response: the login page with the cool-off explained, HTTP 429."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    if request.path.startswith("/admin/"):
        return render(request, "errors/429.html", status=429)
    if request.user.is_authenticated:
        # A password asked again in Moje konto (accounts.forms.password_checks_out), wrong too often.
        message = _(
            "Zbyt wiele błędnych haseł. Sprawdzanie hasła dla tego konta z tego adresu jest zablokowane na "
            "%(minutes)d minut."
        ) % {"minutes": minutes}
        return render(request, "errors/429.html", {"message": message}, status=429)
    # Unbound, with the login typed kept: the lockout is the one message, not a second error.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    message = _(
        "Zbyt wiele nieudanych prób logowania. Logowanie z tego adresu na ten login jest zablokowane na "
        "%(minutes)d minut. Jeśli nie pamiętasz hasła, skorzystaj z „Zapomniałeś hasła?”."
    ) % {"minutes": minutes}
    return render(request, "accounts/login.html", {"form": form, "locked_out": message}, status=429)


@never_cache
@csrf_protect
@sensitive_post_parameters("password")
def login(request):
    redirect_to = request.POST.get("next", request.GET.get("next", ""))
    if not url_has_allowed_host_and_scheme(redirect_to, {request.get_host()}, request.is_secure()):
        redirect_to = ""
    last_attempt = False
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if services.login_throttled(ip=client_ip(request)):
            message = _(
                "Zbyt wiele nieudanych prób logowania z Twojego adresu. Logowanie z tego adresu jest "
                "wstrzymane na %(minutes)d min. Jeśli nie pamiętasz hasła, skorzystaj z „Zapomniałeś hasła?”."
            ) % {"minutes": settings.EBOK_ATTEMPT_WINDOW_MINUTES}
            audit("login_throttled", request=request, customer_number=request.POST.get("username", "")[:40])
            # An unbound form: a bound one would check the password while rendering its errors.
            form = LoginForm(request, initial={"username": request.POST.get("username", "")})
            return render(request, "accounts/login.html", {"form": form, "locked_out": message}, status=429)
        if form.is_valid():
            user = form.get_user()
            if two_factor.is_enabled(user):  # not logged in yet: "Kod weryfikacyjny" first
                return views_2fa.start_code_step(request, user, redirect_to)
            auth_login(request, user)  # a new session key: no session fixation
            return redirect(redirect_to or settings.LOGIN_REDIRECT_URL)
        last_attempt = _one_attempt_left(request, form)
    else:
        form = LoginForm(request)
    context = {
        "form": form,
        "next": redirect_to,
        # A protected page sent the visitor here: say why, once, before the form.
        "login_needed": request.method == "GET" and bool(redirect_to),
        "last_attempt": last_attempt,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
    }
    return render(request, "accounts/login.html", context)


def _one_attempt_left(request, form) -> bool:
    """Whether one more failure would lock this login out from this address (the lockout's own count)."""
    username = form.data.get("username", "")
    if not username or "password" not in form.data:
        return False
    failures = AxesProxyHandler.get_failures(request, {"username": username})
    return failures == settings.AXES_FAILURE_LIMIT - 1


@require_POST
def logout(request):
    auth_logout(request)  # deletes the session on the server
    messages.info(request, _("Wylogowano."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
def password_reset(request):
    if request.method == "POST":
        form = PasswordResetRequestForm(request.POST)
        if form.is_valid():
            try:
                services.password_reset_request(
                    customer_number=form.cleaned_data["customer_number"], ip=client_ip(request)
                )
            except services.Throttled:
                return _throttled(request, "accounts/password_reset.html", form)
            return redirect("accounts:password_reset_sent")
    else:
        form = PasswordResetRequestForm()
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def password_reset_confirm(request, token: str):
    return _password_page(
        request,
        token,
        AccountToken.Purpose.RESET_PASSWORD,
        services.password_reset_complete,
        "accounts/password_reset_confirm.html",
    )


@never_cache
@customer_required
def my_account(request):
    return my_account_page(request)


def my_account_page(request, *, invite_form=None, status: int = 200):
    """Moje konto; after an invitation that did not validate, with that form's errors and values."""
    user = request.user
    history = list(ConsentEvent.objects.filter(customer=request.customer).order_by("-at", "-pk")[:HISTORY_SHOWN])
    # The current e-invoice consent is the newest such event: in the history shown, unless it is full.
    latest = next((event for event in history if event.kind == ConsentEvent.Kind.E_INVOICE), None)
    if latest is None and len(history) == HISTORY_SHOWN:
        e_invoices = ConsentEvent.current(request.customer, ConsentEvent.Kind.E_INVOICE)
    else:
        e_invoices = bool(latest and latest.given)
    two_factor_on = two_factor.is_enabled(user)
    context = {
        "two_factor": two_factor_on,
        "backup_codes_left": two_factor.backup_codes_left(user) if two_factor_on else None,
        "consents": history,
        "e_invoice_form": EInvoiceConsentForm(initial={"e_invoices": e_invoices}),
        "e_invoices": e_invoices,
        "notices_form": NoticePreferencesForm(instance=user),
        "logins": user.logins.all()[:10],
        "pending_email": user.tokens.usable().filter(purpose=AccountToken.Purpose.CHANGE_EMAIL).first(),
        **views_access.access_context(request),
    }
    if invite_form is not None:
        context["invite_form"] = invite_form
    return render(request, "accounts/my_account.html", context, status=status)


@require_POST
@customer_required(action=ACT)
def e_invoice_consent(request):
    form = EInvoiceConsentForm(request.POST)
    if form.is_valid():
        given = form.cleaned_data["e_invoices"]
        if services.record_consent(
            customer=request.customer,
            kind=ConsentEvent.Kind.E_INVOICE,
            given=given,
            source=ConsentEvent.Source.MY_ACCOUNT,
        ):
            messages.success(
                request,
                _("Zapisano zgodę na e-faktury.") if given else _("Wycofano zgodę na e-faktury."),
            )
    return redirect("accounts:my_account")


@require_POST
@customer_required
def notice_preferences(request):
    form = NoticePreferencesForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Zapisano ustawienia powiadomień."))
    else:  # only a tampered language value gets here: the page offers the valid ones
        messages.error(request, _("Nie zapisano ustawień powiadomień: wybierz język z listy."))
    return redirect("accounts:my_account")


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@customer_required
def change_password(request):
    if request.method == "POST":
        form = ChangePasswordForm(request.user, request.POST, request=request)
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)  # this session stays; the others end
            services.notify_password_changed(user)
            audit("password_changed", request=request, customer_number=user.username)
            messages.success(request, _("Hasło zostało zmienione."))
            return redirect("accounts:my_account")
    else:
        form = ChangePasswordForm(request.user)
    return render(request, "accounts/change_password.html", {"form": form, "requirements": password_requirements()})


@never_cache
@sensitive_post_parameters("password")
@customer_required
def change_email(request):
    if request.method == "POST":
        form = ChangeEmailForm(request.user, request.POST, request=request)
        if form.is_valid():
            services.email_change_start(user=request.user, new_email=form.cleaned_data["email"], ip=client_ip(request))
            messages.success(
                request,
                _("Wysłaliśmy link na adres %(email)s. Adres zmieni się po jego kliknięciu.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:my_account")
    else:
        form = ChangeEmailForm(request.user)
    return render(request, "accounts/change_email.html", {"form": form})


@never_cache
def email_confirm(request, token: str):
    if services.find_token(raw=token, purpose=AccountToken.Purpose.CHANGE_EMAIL) is None:
        return render(request, "accounts/link_invalid.html", status=410)
    if request.method == "POST":
        user = services.email_change_confirm(raw=token, ip=client_ip(request))
        if user is None:
            return render(request, "accounts/link_invalid.html", status=410)
        messages.success(request, _("Adres e-mail został zmieniony."))
        return redirect("accounts:my_account" if request.user.is_authenticated else "accounts:login")
    # A GET only shows a button: mail scanners that follow links must not use up the link.
    return render(request, "accounts/email_confirm.html")


@never_cache
def not_me(request, token: str):
    """The "to nie ja" link from the notice to billing's e-mail on file."""
    user = services.not_me_user(raw=token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=410)
    if request.method == "POST":
        user = services.not_me(raw=token, ip=client_ip(request))
        if user is None:
            return render(request, "accounts/link_invalid.html", status=410)
        return render(request, "accounts/not_me_done.html", {"pending": user.status == user.Status.PENDING})
    # A GET only shows a button: mail scanners that follow links must not block accounts.
    return render(
        request,
        "accounts/not_me.html",
        {"pending": user.status == user.Status.PENDING, "customer_number": user.username},
    )


def _legal(request, kind: str, current: str, version: str | None):
    version = version or current
    try:
        template = select_template([f"accounts/legal/{kind}-{version}.html"])
    except TemplateDoesNotExist:
        raise Http404 from None
    return render(request, template.template.name, {"version": version, "current": version == current})


def terms(request, version: str | None = None):
    return _legal(request, "regulamin", settings.EBOK_TERMS_VERSION, version)


def privacy(request, version: str | None = None):
    return _legal(request, "prywatnosc", settings.EBOK_PRIVACY_VERSION, version)

"""Who else reaches the customer: the właściciel's invitations, changes of role and revocations in
Moje konto, and the invitee's page that accepts the link (issue #12)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import representation, services
from accounts.forms import CustomerProofForm, InviteForm, NewLoginForm, RoleForm, password_requirements
from accounts.models import CustomerAccess, Invitation, User
from ebok.access import (
    MANAGE,
    customer_required,
    get_for_customer_or_404,
    reverse_for_customer,
    reverse_without_customer,
)
from ebok.audit import client_ip
from ebok.security import csp_recaptcha


def _get_access_for_customer(request, pk: int) -> CustomerAccess:
    return get_for_customer_or_404(
        request, CustomerAccess.objects.active().select_related("user", "customer").exclude(role="owner"), pk=pk
    )


def access_context(request) -> dict:
    """Moje konto's "Dostęp do konta" section, for a właściciel only (two queries)."""
    if not request.access.manage:
        return {}
    return {
        "accesses": list(
            CustomerAccess.objects.active()
            .filter(customer=request.customer)
            .exclude(user=request.user)
            .select_related("user", "granted_by")
            .order_by("granted_at")
        ),
        "invitations": list(Invitation.objects.pending().filter(customer=request.customer).order_by("-created_at")),
        "invite_form": InviteForm(),
        "role_form": RoleForm(),
    }


@require_POST
@customer_required(action=MANAGE)
def invite(request):
    form = InviteForm(request.POST)
    if not form.is_valid():
        from accounts.views import my_account_page

        return my_account_page(request, invite_form=form, status=400)
    representation.invite(
        customer=request.customer,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        invited_by=request.user,
        ip=client_ip(request),
    )
    messages.success(request, _("Wysłaliśmy zaproszenie na adres %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("accounts:my_account")


@require_POST
@customer_required(action=MANAGE)
def change_role(request, pk: int):
    access = _get_access_for_customer(request, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        representation.change_role(
            access=access, role=form.cleaned_data["role"], by=request.user, ip=client_ip(request)
        )
        messages.success(request, _("Zmieniono rolę: %(login)s.") % {"login": access.user.get_username()})
    return redirect("accounts:my_account")


@require_POST
@customer_required(action=MANAGE)
def revoke(request, pk: int):
    access = _get_access_for_customer(request, pk)
    representation.revoke(access=access, by=request.user, ip=client_ip(request))
    messages.success(request, _("Cofnięto dostęp: %(login)s.") % {"login": access.user.get_username()})
    return redirect("accounts:my_account")


@require_POST
@customer_required(action=MANAGE)
def cancel_invitation(request, pk: int):
    invitation = get_for_customer_or_404(request, Invitation.objects.pending(), pk=pk)
    representation.cancel_invitation(invitation=invitation, by=request.user, ip=client_ip(request))
    messages.success(request, _("Anulowano zaproszenie dla %(email)s.") % {"email": invitation.email})
    return redirect("accounts:my_account")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation(request, token: str):
    """The invitee's page: accept with the login they are signed in with, or create one."""
    found = representation.find_invitation(token)
    if found is None:
        return render(request, "accounts/invitation.html", {"invalid": True}, status=404)
    user = request.user
    signed_in = user.is_authenticated and not user.is_staff
    existing = User.objects.filter(username=found.email.casefold()).exists() if not signed_in else False
    form = None
    if not signed_in and not existing:
        form = NewLoginForm(User(username=found.email.casefold(), email=found.email), request.POST or None)
    if request.method == "POST":
        if signed_in:
            return _accepted(request, token, user)
        if form is not None and form.is_valid():
            new = representation.create_login(email=found.email, password=form.cleaned_data["new_password1"])
            auth_login(request, new, backend="accounts.backends.UserWithCustomerBackend")
            return _accepted(request, token, new)
    context = {
        "invitation": found,
        "signed_in": signed_in,
        "existing": existing,
        "form": form,
        "requirements": password_requirements(),
        "login_url": reverse_without_customer("accounts:login") + "?next=" + request.path,
    }
    return render(request, "accounts/invitation.html", context, status=400 if form is not None and form.errors else 200)


def _accepted(request, token: str, user: User):
    try:
        access = representation.accept(raw=token, user=user, ip=client_ip(request))
    except representation.InvitationUnusable:
        raise Http404 from None
    messages.success(
        request,
        _("Masz dostęp do odbiorcy %(number)s jako: %(role)s.")
        % {"number": access.customer_id, "role": access.get_role_display()},
    )
    return redirect(reverse_for_customer("start", access.customer_id))


@never_cache
@csp_recaptcha
@login_required
def add_customer(request):
    """ "Dodaj numer odbiorcy": registration's proof, for a login that already exists."""
    if request.user.is_staff:
        raise Http404
    form = CustomerProofForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            representation.add_customer(
                user=request.user,
                customer_number=data["customer_number"],
                invoice_number=data["invoice_number"],
                amount=data["settlement_amount"],
                ip=client_ip(request),
            )
        except services.Throttled:
            message = _("Zbyt wiele prób w krótkim czasie. Spróbuj ponownie za %(minutes)d min.") % {
                "minutes": settings.EBOK_ATTEMPT_WINDOW_MINUTES
            }
            return render(request, "accounts/add_customer.html", {"form": form, "throttled": message}, status=429)
        # The same answer whatever happened: it must not tell whether the number has a właściciel.
        messages.info(
            request,
            _(
                "Jeśli dane się zgadzają, numer odbiorcy jest już na liście Moi odbiorcy. Jeśli ma on w eBOK "
                "właściciela konta, wysłaliśmy mu wiadomość: może Cię zaprosić w Moje konto."
            ),
        )
        return redirect(reverse_without_customer("customers"))
    status = 400 if form.errors else 200
    return render(request, "accounts/add_customer.html", {"form": form}, status=status)

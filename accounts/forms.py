from __future__ import annotations

from urllib.error import URLError

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox

from accounts.models import CustomerAccess, User
from accounts.services import parse_amount, strong_proof

CAPTCHA_FAILED = _("Weryfikacja nie powiodła się, spróbuj ponownie")


class CaptchaField(ReCaptchaField):
    """reCAPTCHA v2 that turns Google being unreachable or slow into a form error, not a 500."""

    # The widget template is overridden in templates/django_recaptcha/ (CSP nonce, no inline script).
    widget = ReCaptchaV2Checkbox
    default_error_messages = {"captcha_invalid": CAPTCHA_FAILED, "captcha_error": CAPTCHA_FAILED}

    def validate(self, value):
        try:
            super().validate(value)
        except (URLError, TimeoutError, OSError, ValueError, KeyError) as exc:
            raise ValidationError(CAPTCHA_FAILED, code="captcha_error") from exc


def customer_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("Numer odbiorcy"),
        max_length=12,
        help_text=_("Numer widniejący na fakturze przy „Nr Nabywcy”."),
        error_messages={
            "required": _("Podaj numer odbiorcy: przepisz go z faktury, z pola „Nr Nabywcy”."),
            "max_length": _("Numer odbiorcy ma najwyżej 12 cyfr: przepisz go z faktury, z pola „Nr Nabywcy”."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric", "autocapitalize": "none"}),
    )


PROOF_HINT = _(
    "Wypełnij jedno z dwóch pól. Odbiorca, który dostaje faktury, podaje numer ostatniej faktury. Lokator "
    "wspólnoty lub spółdzielni mieszkaniowej, który dostaje rozliczenia zamiast faktur, podaje kwotę "
    "ostatniego rozliczenia."
)


class CustomerProofForm(forms.Form):
    """The proof that one holds a customer number: the number and one of its latest invoice numbers
    (tenants: the latest settlement's amount). Registration and "Dodaj numer odbiorcy" share it."""

    customer_number = customer_number_field()
    invoice_number = forms.CharField(
        label=_("Numer ostatniej faktury"),
        max_length=60,
        required=False,
        help_text=_("Np. FV/2026/10/000123, z prawego górnego rogu faktury."),
        error_messages={
            "max_length": _("Numer faktury ma najwyżej 60 znaków: przepisz go z faktury, np. FV/2026/10/000123.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    settlement_amount = forms.CharField(
        label=_("Kwota ostatniego rozliczenia (tylko lokator wspólnoty mieszkaniowej)"),
        max_length=30,
        required=False,
        help_text=_("Kwota brutto z ostatniego rozliczenia, np. 1 234,56 zł."),
        error_messages={"max_length": _("Podaj kwotę w złotych, np. 1234,56 lub 1 234,56 zł.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "decimal"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if strong_proof():
            # EBOK_REGISTRATION_PROOF=invoice+amount: the document's number and its gross amount.
            self.fields["invoice_number"].required = True
            self.fields["invoice_number"].label = _("Numer ostatniej faktury (lokator: ostatniego rozliczenia)")
            self.fields["invoice_number"].help_text = _("Np. FV/2026/10/000123.")
            self.fields["settlement_amount"].required = True
            self.fields["settlement_amount"].label = _("Kwota brutto tej faktury lub rozliczenia")
            self.fields["settlement_amount"].help_text = _(
                "Kwota „do zapłaty” (brutto) z tego dokumentu, np. 1 234,56 zł."
            )
        if not settings.RECAPTCHA_DISABLED:
            self.fields["captcha"] = CaptchaField(
                label=_("Nie jestem robotem"), error_messages={"required": _("Zaznacz „Nie jestem robotem”.")}
            )
        # The invoice number and the settlement amount answer one question: only one applies.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "customer_number",
            Fieldset(
                format_html(
                    '{}<span class="asteriskField">*</span>',
                    _("Numer ostatniej faktury albo kwota ostatniego rozliczenia"),
                ),
                HTML(format_html('<p class="form-text mt-0">{}</p>', PROOF_HINT)),
                "invoice_number",
                "settlement_amount",
                css_class="proof mb-3",
            ),
            *[name for name in self.fields if name not in ("customer_number", "invoice_number", "settlement_amount")],
        )

    def clean_customer_number(self) -> str:
        value = self.cleaned_data["customer_number"].strip()
        if not value.isdigit():
            raise ValidationError(_("Numer odbiorcy składa się z samych cyfr."), code="invalid")
        return value

    def clean_settlement_amount(self):
        text = self.cleaned_data["settlement_amount"].strip()
        if not text:
            return None
        amount = parse_amount(text)
        if amount is None:
            raise ValidationError(_("Podaj kwotę w złotych, np. 1234,56 lub 1 234,56 zł."), code="invalid")
        return amount

    def clean(self):
        data = super().clean()
        invoice = (data.get("invoice_number") or "").strip()
        data["invoice_number"] = invoice
        if "settlement_amount" not in data:  # already reported as malformed
            return data
        amount = data.get("settlement_amount")
        if strong_proof():
            return data  # both fields are required
        if invoice and amount is not None:
            self.add_error(
                "invoice_number",
                ValidationError(
                    _("Podaj numer faktury albo kwotę rozliczenia, nie oba."),
                    code="both_proofs",
                ),
            )
        if not invoice and amount is None:
            self.add_error(
                "invoice_number",
                ValidationError(
                    _("Podaj numer ostatniej faktury albo, jeśli jesteś lokatorem, kwotę ostatniego rozliczenia."),
                    code="no_proof",
                ),
            )
        return data


class RegistrationForm(CustomerProofForm):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Na ten adres wyślemy link do ustawienia hasła."),
        error_messages={
            "required": _("Podaj adres e-mail: wyślemy na niego link do ustawienia hasła."),
            "invalid": _("Wpisz adres e-mail w postaci nazwa@domena.pl, np. jan.kowalski@poczta.pl."),
            "max_length": _("Adres e-mail ma najwyżej 254 znaki: sprawdź, czy wpisano go dobrze."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_terms = forms.BooleanField(
        label=_("Akceptuję regulamin portalu i zgadzam się z jego postanowieniami"),
        error_messages={"required": _("Zaakceptuj regulamin portalu, aby się zarejestrować.")},
    )
    accept_data = forms.BooleanField(
        label=_("Zgadzam się na przetwarzanie danych"),
        error_messages={"required": _("Zgoda na przetwarzanie danych jest potrzebna do rejestracji.")},
    )
    e_invoices = forms.BooleanField(label=_("Zgadzam się na otrzymywanie e-faktur"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}">{}</a>', reverse_lazy("accounts:terms"), _("Przeczytaj regulamin portalu")
        )
        self.fields["accept_data"].help_text = format_html(
            '<a href="{}">{}</a>', reverse_lazy("accounts:privacy"), _("Przeczytaj informację o przetwarzaniu danych")
        )


class NewPasswordFields:
    """ "Nowe hasło" and "Powtórz hasło" of Django's password forms, as the seed names them.

    The rules under the form describe "Nowe hasło" for screen readers and the page's script ticks
    them off there; their errors sit on "Nowe hasło" too, where the password is typed (Django puts
    them on the confirmation); a mismatch stays on "Powtórz hasło".
    """

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Nowe hasło")
        self.fields["new_password1"].help_text = ""
        self.fields["new_password2"].label = _("Powtórz hasło")
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = _("Hasła nie są takie same.")
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs.update({"autocomplete": "new-password", "maxlength": 128})
        self.fields["new_password1"].widget.attrs.update(
            {"aria-describedby": "password-requirements", "data-password-rules": "password-requirements"}
        )
        self.fields["new_password1"].error_messages["required"] = _("Wpisz nowe hasło.")
        self.fields["new_password2"].error_messages["required"] = _("Wpisz nowe hasło jeszcze raz, tak samo.")

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class NewPasswordForm(NewPasswordFields, auth_forms.SetPasswordForm):
    """ "Ustaw hasło do portalu": Nowe hasło, Powtórz hasło."""


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        # One message for a wrong password, an unknown number and an unfinished account.
        "invalid_login": _("Nieprawidłowy login lub hasło."),
        "inactive": _("Nieprawidłowy login lub hasło."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Login")
        self.fields["username"].help_text = _("numer odbiorcy lub adres e-mail")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["username"].error_messages["required"] = _("Podaj login: numer odbiorcy lub adres e-mail.")
        self.fields["password"].label = _("Hasło")
        self.fields["password"].error_messages["required"] = _("Podaj hasło.")

    def confirm_login_allowed(self, user: User) -> None:
        # Staff log in through the admin; here only a finished account of a customer or of a
        # representative (a login of its own, reaching customers through their access rows) gets in.
        if not user.is_active or user.status != User.Status.ACTIVE or user.is_staff or user.is_superuser:
            raise self.get_invalid_login_error()


class PasswordResetRequestForm(forms.Form):
    """The login whose password is forgotten: a customer number or, for a representative whose
    login has no number of its own, the e-mail address (as on the login page)."""

    customer_number = forms.CharField(
        label=_("Login"),
        max_length=254,
        help_text=_("Numer odbiorcy lub adres e-mail."),
        error_messages={
            "required": _("Podaj numer odbiorcy lub adres e-mail, którym się logujesz."),
            "max_length": _("Adres e-mail może mieć najwyżej 254 znaki."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    def clean_customer_number(self) -> str:
        value = self.cleaned_data["customer_number"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("To nie wygląda na adres e-mail: sprawdź, czy nie brakuje znaku lub kropki."), code="invalid"
                ) from None
            return value
        if not value.isdigit():
            raise ValidationError(
                _("Podaj numer odbiorcy (same cyfry) lub adres e-mail, którym się logujesz."), code="invalid"
            )
        return value


def password_checks_out(user: User, password: str, request) -> bool:
    """The password asked again in Moje konto, checked as a login is: through ``authenticate``, so
    a wrong one is a failed login (axes counts it per number and address and locks after
    AXES_FAILURE_LIMIT; accounts.signals audits it and counts it per address), and while the
    lockout runs even the right one is refused."""
    return authenticate(request, username=user.get_username(), password=password) is not None


class ChangePasswordForm(NewPasswordFields, auth_forms.PasswordChangeForm):
    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("Obecne hasło")
        self.error_messages["password_incorrect"] = _("Obecne hasło jest nieprawidłowe.")

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        if not password_checks_out(self.user, password, self.request):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return password


class PasswordConfirmForm(forms.Form):
    """The current password again, before two-factor authentication is switched on or off, or the
    e-mail address is changed."""

    password = forms.CharField(
        label=_("Hasło"),
        strip=False,
        help_text=_("Dla bezpieczeństwa podaj swoje obecne hasło."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_checks_out(self.user, password, self.request):
            raise ValidationError(_("Hasło jest nieprawidłowe."), code="password_incorrect")
        return password


class ChangeEmailForm(PasswordConfirmForm):
    email = forms.EmailField(
        label=_("Nowy adres e-mail"),
        max_length=254,
        help_text=_("Wyślemy na niego link; adres zmieni się dopiero po jego kliknięciu."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "password"]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email.casefold() == (self.user.email or "").casefold():
            raise ValidationError(_("To jest Twój obecny adres e-mail."), code="same")
        return email


class EInvoiceConsentForm(forms.Form):
    e_invoices = forms.BooleanField(label=_("Zgadzam się na otrzymywanie e-faktur"), required=False)


class NoticePreferencesForm(forms.ModelForm):
    """Which e-mails the customer wants and in which language; replies to cases always go out."""

    class Meta:
        model = User
        fields = ["language", "notify_documents", "notify_reminders", "notify_outages"]
        labels = {
            "language": _("Język wiadomości e-mail"),
            "notify_documents": _("Powiadamiaj mnie o nowych dokumentach"),
            "notify_reminders": _("Przypominaj mi o zaległych płatnościach"),
            "notify_outages": _("Powiadamiaj mnie o przerwach w dostawie ciepła"),
        }
        help_texts = {
            "notify_documents": _("Przy zgodzie na e-faktury nowe faktury przychodzą e-mailem zawsze."),
            "notify_reminders": _("Gdy termin płatności minie o kilka dni."),
            "notify_outages": _(
                "Gdy przerwa obejmie Twój punkt odbioru, zmieni się jej przewidywany koniec lub się zakończy."
            ),
        }


def password_requirements() -> list[dict[str, str]]:
    """The rules of the active validators, as listed under the password form: the text, and the
    rule the page's script ticks off as the password is typed ("" for those only the server checks)."""
    return [
        {"text": validator.get_help_text(), "rule": getattr(validator, "client_rule", "")}
        for validator in password_validation.get_default_password_validators()
    ]


# --- two-factor authentication (accounts.views_2fa) -------------------------------------------


class AppCodeForm(forms.Form):
    """The six digits the authenticator app shows now."""

    code = forms.CharField(
        label=_("Kod z aplikacji"),
        max_length=20,
        help_text=_("Sześć cyfr, które aplikacja pokazuje teraz dla eBOK."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    lengths: tuple[int, ...] = (6,)
    format_error = _("Wpisz sześć cyfr z aplikacji, np. 123456.")

    def clean_code(self) -> str:
        from accounts.two_factor import normalize_code

        code = normalize_code(self.cleaned_data["code"])
        if not code.isdigit() or len(code) not in self.lengths:
            raise ValidationError(self.format_error, code="format")
        return code


class LoginCodeForm(AppCodeForm):
    """ "Kod weryfikacyjny": the app's code or one of the backup codes."""

    lengths = (6, 10)
    format_error = _("Wpisz sześć cyfr z aplikacji albo dziesięciocyfrowy kod zapasowy.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Kod weryfikacyjny")
        self.fields["code"].help_text = _(
            "Sześć cyfr z aplikacji uwierzytelniającej. Bez telefonu wpisz jeden z kodów zapasowych (10 cyfr)."
        )


ROLE_CHOICES = [
    (CustomerAccess.Role.PROXY, _("pełnomocnik: widzi wszystko, wysyła sprawy i odczyty, płaci")),
    (CustomerAccess.Role.VIEWER, _("podgląd: widzi i pobiera, niczego nie zmienia")),
]


class InviteForm(forms.Form):
    """ "Zaproś osobę": who (an e-mail address) and in which role."""

    email = forms.EmailField(
        label=_("Adres e-mail osoby zapraszanej"),
        max_length=254,
        help_text=_("Wyślemy na niego jednorazowy link ważny 7 dni."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Rola"), choices=ROLE_CHOICES, widget=forms.RadioSelect, initial="proxy")

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rola"), choices=ROLE_CHOICES)


class NewLoginForm(NewPasswordFields, auth_forms.SetPasswordForm):
    """A representative's new login from an invitation: its login is the invited address."""

"""Cases opened by other apps' events."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from accounts.signals import account_disputed
from cases.models import CaseType
from cases.services import case_open

DISPUTE_TYPE = gettext_noop("Bezpieczeństwo konta")


@receiver(account_disputed, dispatch_uid="cases.account_disputed")
def open_dispute_case(sender, user, disputed_email: str, **kwargs) -> None:
    """Billing's e-mail on file said "to nie ja": the login is frozen; staff decide what follows."""
    # Not offered to customers when they open a case (inactive); staff see it in the admin.
    case_type, _created = CaseType.objects.get_or_create(name=DISPUTE_TYPE, defaults={"is_active": False})
    with override("pl"):  # staff read the admin in Polish
        body = _(
            "Adres e-mail z dokumentów rozliczeniowych zgłosił, że nie zakładał konta ani nie zmieniał "
            "adresu na %(email)s. Konto zostało zablokowane, a jego adres przywrócony z dokumentów "
            "rozliczeniowych. Sprawdź zgłoszenie i skontaktuj się z odbiorcą."
        ) % {"email": disputed_email}
        subject = _("To nie ja: konto zablokowane")
    case_open(customer=user.customer, author=None, type=case_type, subject=subject, body=body)

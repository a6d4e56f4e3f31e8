"""The billing system's records, as imported from its export (docs/billing-export.md).

Natural keys from the export are the primary keys: an import row maps straight to a
row here, foreign keys need no look-up, and re-importing is a plain upsert.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}
POWER = {"max_digits": 10, "decimal_places": 3}
HALF_GROSZ = Decimal("0.005")


class Customer(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "firma", _("firma")
        PERSON = "osoba", _("osoba prywatna")
        TENANT = "lokator", _("lokator wspólnoty mieszkaniowej")

    number = models.CharField(_("numer odbiorcy"), max_length=12, primary_key=True)
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("nazwa"), max_length=250)
    nip = models.CharField(_("NIP"), max_length=10, blank=True)
    street = models.CharField(_("ulica"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("e-mail w systemie rozliczeniowym"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    bank_account = models.CharField(_("rachunek do wpłat"), max_length=26)

    class Meta:
        verbose_name = _("odbiorca")
        verbose_name_plural = _("odbiorcy")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["firma", "osoba", "lokator"]), name="customer_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_tenant(self) -> bool:
        return self.kind == self.Kind.TENANT


class Contract(models.Model):
    number = models.CharField(_("numer umowy"), max_length=40, primary_key=True)
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="contracts", verbose_name=_("odbiorca"))
    signed_on = models.DateField(_("data zawarcia"))
    valid_from = models.DateField(_("obowiązuje od"))
    valid_until = models.DateField(_("obowiązuje do"), null=True, blank=True)
    tariff_group = models.CharField(_("grupa taryfowa"), max_length=10)
    ordered_power_mw = models.DecimalField(_("moc zamówiona [MW]"), **POWER)

    class Meta:
        verbose_name = _("umowa")
        verbose_name_plural = _("umowy")
        ordering = ["customer", "-valid_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="contract_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DeliveryPoint(models.Model):
    class Kind(models.TextChoices):
        HEATING = "co", _("centralne ogrzewanie")
        HOT_WATER = "cwu", _("ciepła woda użytkowa")
        BOTH = "co+cwu", _("c.o. i c.w.u.")

    code = models.CharField(_("kod punktu"), max_length=40, primary_key=True)
    contract = models.ForeignKey(Contract, models.CASCADE, related_name="delivery_points", verbose_name=_("umowa"))
    # Denormalised from the contract so per-customer queries need no join; kept by the import.
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="delivery_points", verbose_name=_("odbiorca"))
    street = models.CharField(_("ulica"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    substation = models.CharField(_("węzeł cieplny"), max_length=40, blank=True)
    kind = models.CharField(_("rodzaj"), max_length=6, choices=Kind.choices)
    tariff_group = models.CharField(_("grupa taryfowa"), max_length=10)
    ordered_power_mw = models.DecimalField(_("moc zamówiona [MW]"), **POWER)

    class Meta:
        verbose_name = _("punkt odbioru")
        verbose_name_plural = _("punkty odbioru")
        ordering = ["customer", "code"]

    def __str__(self) -> str:
        return f"{self.code} ({self.street}, {self.city})"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class Document(models.Model):
    """A payable document: invoice, correction, settlement (tenants) or interest note."""

    class Kind(models.TextChoices):
        INVOICE = "faktura", _("faktura")
        CORRECTION = "korekta", _("korekta")
        SETTLEMENT = "rozliczenie", _("rozliczenie")
        NOTE = "nota", _("nota odsetkowa")

    number = models.CharField(_("numer dokumentu"), max_length=60, primary_key=True)
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="documents", verbose_name=_("odbiorca"))
    kind = models.CharField(_("rodzaj"), max_length=12, choices=Kind.choices)
    issue_date = models.DateField(_("data wystawienia"))
    due_date = models.DateField(_("termin płatności"))
    net = models.DecimalField(_("netto"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)
    gross = models.DecimalField(_("brutto"), **MONEY)
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("dotyczy"),
    )
    ksef_number = models.CharField(_("numer KSeF"), max_length=64, blank=True)
    # Path relative to PRIVATE_ROOT; served only through an ownership-checking view.
    pdf = models.CharField(_("plik PDF"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # When an import first created the row (never changed by later imports): what is new to
    # announce to the customer. Empty for rows from before this field existed.
    imported_at = models.DateTimeField(_("zaimportowano"), null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("dokument rozliczeniowy")
        verbose_name_plural = _("dokumenty rozliczeniowe")
        ordering = ["-issue_date", "-number"]
        indexes = [
            models.Index(fields=["customer", "issue_date"], name="document_customer_issued"),
            models.Index(fields=["customer", "due_date"], name="document_customer_due"),
        ]
        constraints = [
            # Within half a grosz rather than `=`: SQLite computes decimals in floating point, where
            # 8082.06 - 1511.28 != 6570.78; on PostgreSQL (exact numerics) this is plain equality.
            models.CheckConstraint(
                condition=Q(net__gt=F("gross") - F("vat") - HALF_GROSZ, net__lt=F("gross") - F("vat") + HALF_GROSZ),
                name="document_net_plus_vat_is_gross",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["faktura", "korekta", "rozliczenie", "nota"]), name="document_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(kind="korekta"), name="document_only_corrections_correct"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OtherDocument(models.Model):
    """A document that is not payable: contract scan, annex, tariff, letter."""

    class Kind(models.TextChoices):
        CONTRACT = "umowa", _("umowa")
        ANNEX = "aneks", _("aneks")
        TARIFF = "taryfa", _("taryfa")
        LETTER = "pismo", _("pismo")
        OTHER = "inny", _("inny")

    ext_id = models.CharField(_("identyfikator"), max_length=60, primary_key=True)
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="other_documents", verbose_name=_("odbiorca"))
    kind = models.CharField(_("rodzaj"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("tytuł"), max_length=250)
    date = models.DateField(_("data"))
    pdf = models.CharField(_("plik PDF"), max_length=255)
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    imported_at = models.DateTimeField(_("zaimportowano"), null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenty")
        ordering = ["-date", "ext_id"]
        indexes = [models.Index(fields=["customer", "date"], name="otherdoc_customer_date")]

    def __str__(self) -> str:
        return f"{self.ext_id} {self.title}"


class Payment(models.Model):
    ext_id = models.CharField(_("identyfikator wpłaty"), max_length=60, primary_key=True)
    customer = models.ForeignKey(Customer, models.CASCADE, related_name="payments", verbose_name=_("odbiorca"))
    date = models.DateField(_("data księgowania"))
    amount = models.DecimalField(_("kwota"), **MONEY)
    title = models.CharField(_("tytuł przelewu"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("wpłata")
        verbose_name_plural = _("wpłaty")
        ordering = ["-date", "ext_id"]
        indexes = [models.Index(fields=["customer", "date"], name="payment_customer_date")]

    def __str__(self) -> str:
        return f"{self.ext_id} {self.amount}"


ZERO = Decimal("0.00")

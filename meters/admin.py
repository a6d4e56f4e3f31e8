from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from meters.models import Meter, Reading, SelfReading
from meters.services import ReadingExists, self_reading_accept, self_reading_reject


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = [
        "serial",
        "customer",
        "delivery_point",
        "kind",
        "unit",
        "installed_on",
        "removed_on",
        "legalisation_until",
    ]
    list_filter = ["kind", "unit", "legalisation_until"]
    search_fields = ["serial", "delivery_point__code", "customer__number", "customer__name"]
    list_select_related = ["customer", "delivery_point"]
    raw_id_fields = ["customer", "delivery_point"]


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["meter", "date", "value", "source"]
    list_filter = ["source", "date"]
    date_hierarchy = "date"
    search_fields = ["meter__serial", "meter__customer__number"]
    raw_id_fields = ["meter"]


class DecisionForm(forms.ModelForm):
    """Staff decide on a pending self-reading: accept, or reject with a reason the customer receives."""

    decision = forms.ChoiceField(
        label=_("Decyzja"),
        required=False,
        choices=[("", _("bez zmian")), ("accept", _("przyjmij")), ("reject", _("odrzuć"))],
    )

    class Meta:
        model = SelfReading
        fields = ["reason"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Podaj powód odrzucenia: trafi do klienta w e-mailu."))
        if data.get("decision") and self.instance.status != SelfReading.Status.PENDING:
            raise forms.ValidationError(_("Ten odczyt został już rozpatrzony."))
        return data


@admin.register(SelfReading)
class SelfReadingAdmin(admin.ModelAdmin):
    form = DecisionForm
    list_display = ["meter", "customer", "value", "reading_date", "status", "submitted_at", "decided_by"]
    list_filter = ["status", "reading_date"]
    search_fields = ["meter__serial", "customer__number", "customer__name"]
    list_select_related = ["meter", "customer", "decided_by"]
    readonly_fields = [
        "customer",
        "meter",
        "value",
        "reading_date",
        "photo_link",
        "status",
        "submitted_at",
        "decided_by",
        "decided_at",
        "last_readings",
    ]
    fields = (
        readonly_fields[:4]
        + ["last_readings", "photo_link", "status", "decision", "reason"]
        + [
            "submitted_at",
            "decided_by",
            "decided_at",
        ]
    )
    actions = ["accept_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("zdjęcie"))
    def photo_link(self, obj):
        if not obj.photo:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("meters:self_reading_photo", args=[obj.pk]), _("Pokaż zdjęcie")
        )

    @admin.display(description=_("ostatnie odczyty"))
    def last_readings(self, obj):
        rows = obj.meter.readings.order_by("-date")[:5]
        return ", ".join(f"{r.date:%d.%m.%Y}: {r.value} ({r.source})" for r in rows) or "–"

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if decision == "accept":
            self._accept(request, obj)
        elif decision == "reject":
            self_reading_reject(self_reading=obj, user=request.user, reason=form.cleaned_data["reason"])
            self.message_user(request, _("Odczyt odrzucony; klient dostanie e-mail z powodem."), messages.SUCCESS)
        else:
            super().save_model(request, obj, form, change)

    def _accept(self, request, obj) -> bool:
        try:
            self_reading_accept(self_reading=obj, user=request.user)
        except ReadingExists as exc:
            self.message_user(
                request,
                _("%(meter)s: na %(date)s jest już odczyt %(value)s (%(source)s); odczytu klienta nie przyjęto.")
                % {
                    "meter": obj.meter_id,
                    "date": f"{obj.reading_date:%d.%m.%Y}",
                    "value": exc.reading.value,
                    "source": exc.reading.get_source_display(),
                },
                messages.ERROR,
            )
            return False
        return True

    @admin.action(description=_("Przyjmij zaznaczone odczyty"), permissions=["change"])
    def accept_selected(self, request, queryset):
        accepted = sum(
            self._accept(request, obj)
            for obj in queryset.filter(status=SelfReading.Status.PENDING).select_related("meter")
        )
        self.message_user(request, _("Przyjęto odczytów: %(n)s.") % {"n": accepted}, messages.SUCCESS)

"""Staff work the request queue in the admin: soonest deadline first, overdue and due today marked
in words (not only by colour), one status change per save, each mailed to the customer once."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ebok.audit import client_ip
from heat import details, services
from heat.models import DeadlineRule, HeatRequest, PowerChangeRule


class DueFilter(admin.SimpleListFilter):
    title = _("termin")
    parameter_name = "termin"

    def lookups(self, request, model_admin):
        return [
            ("po-terminie", _("po terminie")),
            ("dzis", _("na dziś")),
            ("otwarte", _("wszystkie otwarte")),
            ("zamkniete", _("zrealizowane i odrzucone")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        end_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.max))
        open_ = queryset.exclude(status__in=[HeatRequest.Status.DONE, HeatRequest.Status.REJECTED])
        if self.value() == "po-terminie":
            return open_.filter(due_at__lt=now)
        if self.value() == "dzis":
            return open_.filter(due_at__gte=now, due_at__lte=end_of_today)
        if self.value() == "otwarte":
            return open_
        if self.value() == "zamkniete":
            return queryset.filter(status__in=[HeatRequest.Status.DONE, HeatRequest.Status.REJECTED])
        return queryset


class HeatRequestAdminForm(forms.ModelForm):
    class Meta:
        model = HeatRequest
        fields = ["status", "rejection_reason"]
        widgets = {"rejection_reason": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            current = self.instance.status
            allowed = [current, *HeatRequest.NEXT[current]]
            self.fields["status"].choices = [(v, label) for v, label in HeatRequest.Status.choices if v in allowed]
            self.fields["status"].help_text = _("Odbiorca dostanie e-mail o każdej zmianie statusu.")
        if "rejection_reason" in self.fields:
            self.fields["rejection_reason"].help_text = _("Wymagany przy odrzuceniu; odbiorca go zobaczy.")

    def clean(self):
        data = super().clean()
        if data.get("status") == HeatRequest.Status.REJECTED and not (data.get("rejection_reason") or "").strip():
            self.add_error("rejection_reason", _("Podaj powód odrzucenia: odbiorca go zobaczy."))
        return data


def _flag(req: HeatRequest, now: dt.datetime) -> str:
    if req.is_overdue(now):
        return format_html('<strong class="heat-overdue">{}</strong>', _("PO TERMINIE"))
    if req.is_due_today(now):
        return format_html('<strong class="heat-today">{}</strong>', _("dziś"))
    return ""


@admin.register(HeatRequest)
class HeatRequestAdmin(admin.ModelAdmin):
    form = HeatRequestAdminForm
    list_display = ["case_number", "kind", "customer", "status", "due", "flag", "filed_at"]
    list_display_links = ["case_number"]
    list_filter = [DueFilter, "status", "kind"]
    search_fields = ["case__number", "customer__number", "customer__name", "delivery_points__code"]
    list_select_related = ["case", "customer"]
    ordering = ["due_at", "pk"]  # the queue: the soonest deadline first
    readonly_fields = ["case_link", "customer", "kind", "filed_at", "due", "accepted_at", "typed_data", "history"]
    fieldsets = [
        (None, {"fields": ["case_link", "customer", "kind", "filed_at", "due", "accepted_at"]}),
        (_("Dane dyspozycji"), {"fields": ["typed_data"]}),
        (_("Status"), {"fields": ["status", "rejection_reason", "history"]}),
    ]
    actions = ["accept"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("delivery_points", "changes")

    def has_add_permission(self, request) -> bool:
        return False  # a request is filed by a customer through its form

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a request is a record: reject it instead

    @admin.display(description=_("sprawa"), ordering="case__number")
    def case_number(self, obj: HeatRequest) -> str:
        return obj.case.number

    @admin.display(description=_("sprawa"))
    def case_link(self, obj: HeatRequest) -> str:
        url = reverse("admin:cases_case_change", args=[obj.case_id])
        return format_html('<a href="{}">{} ({})</a>', url, obj.case.number, _("wątek, odpowiedzi i załączniki"))

    @admin.display(description=_("termin"), ordering="due_at")
    def due(self, obj: HeatRequest) -> str:
        return details.due_text(obj)

    @admin.display(description=_("uwaga"))
    def flag(self, obj: HeatRequest) -> str:
        return _flag(obj, timezone.now())

    @admin.display(description=_("dane dyspozycji"))
    def typed_data(self, obj: HeatRequest) -> str:
        rows = format_html_join("", "<dt>{}</dt><dd>{}</dd>", details.rows(obj))
        return format_html("<dl>{}</dl>", rows)

    @admin.display(description=_("historia statusu"))
    def history(self, obj: HeatRequest) -> str:
        changes = [
            (timezone.localtime(c.changed_at).strftime("%d.%m.%Y %H:%M"), c.get_status_display(), c.reason)
            for c in obj.changes.all()
        ]
        if not changes:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {} {}</li>", changes))

    def save_model(self, request, obj, form, change):
        # The form has set obj.status; the service changes it in the database, from what it was.
        new_status = form.cleaned_data["status"]
        if new_status == form.initial.get("status"):
            return
        try:
            services.request_set_status(
                heat_request=obj,
                status=new_status,
                staff_user=request.user,
                reason=form.cleaned_data.get("rejection_reason") or "",
                ip=client_ip(request),
            )
        except (services.TransitionError, ValidationError) as error:
            self.message_user(request, str(error), messages.ERROR)

    @admin.action(description=_("Przyjmij zaznaczone dyspozycje"), permissions=["change"])
    def accept(self, request, queryset):
        accepted = 0
        for req in queryset.filter(status=HeatRequest.Status.FILED):
            services.request_set_status(
                heat_request=req, status=HeatRequest.Status.ACCEPTED, staff_user=request.user, ip=client_ip(request)
            )
            accepted += 1
        self.message_user(request, _("Przyjęto dyspozycji: %(count)s.") % {"count": accepted}, messages.SUCCESS)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "amount", "unit", "counted_from", "promise"]
    list_editable = ["amount", "unit", "counted_from", "promise"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request) -> bool:
        return False  # one rule per kind, created by the migration

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PowerChangeRule)
class PowerChangeRuleAdmin(admin.ModelAdmin):
    list_display = ["utility", "deadline", "effective", "is_active"]

    @admin.display(description=_("zgłoszenie do"))
    def deadline(self, obj: PowerChangeRule) -> str:
        return f"{obj.deadline_day:02d}.{obj.deadline_month:02d}"

    @admin.display(description=_("zmiana od"))
    def effective(self, obj: PowerChangeRule) -> str:
        return f"{obj.effective_day:02d}.{obj.effective_month:02d}"

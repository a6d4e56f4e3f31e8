"""Staff enter interruptions here; each save resolves the affected points and notifies their logins."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ebok.admin import ReadOnlyAdmin
from outages import services
from outages.models import AffectedPoint, AffectedStreet, Interruption, OutageNotice

SHOWN_POINTS = 200


class AffectedStreetInline(admin.TabularInline):
    model = AffectedStreet
    extra = 1


@admin.register(Interruption)
class InterruptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "starts_at", "expected_end_at", "ended_at", "substation", "affected_count"]
    list_filter = ["kind", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["ref", "substation", "description", "streets__street", "streets__city"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["points"]
    inlines = [AffectedStreetInline]
    readonly_fields = ["affected_points"]
    fieldsets = [
        (None, {"fields": ["kind", "starts_at", "expected_end_at", "ended_at", "description", "announced_at", "ref"]}),
        (
            _("Czego dotyczy"),
            {
                "fields": ["substation", "points", "affected_points"],
                "description": _(
                    "Węzeł, punkty odbioru i ulice (niżej) można łączyć. Po zapisaniu lista punktów objętych "
                    "przerwą jest tu pokazana, a ich odbiorcy dostają e-mail."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(affected_total=Count("affected", distinct=True))

    @admin.display(description=_("punkty odbioru"), ordering="affected_total")
    def affected_count(self, obj):
        return obj.affected_total

    @admin.display(description=_("punkty objęte przerwą"))
    def affected_points(self, obj):
        if obj.pk is None:
            return _("Lista pojawi się po zapisaniu.")
        rows = list(
            AffectedPoint.objects.filter(interruption=obj).select_related("point__customer")[: SHOWN_POINTS + 1]
        )
        if not rows:
            return _("Żaden punkt odbioru: sprawdź węzeł, kody punktów i ulice.")
        listed = format_html_join(
            "",
            "<li>{} – {}, {} ({})</li>",
            ((a.point.code, a.point.street, a.point.city, a.point.customer) for a in rows[:SHOWN_POINTS]),
        )
        more = format_html("<li>…</li>") if len(rows) > SHOWN_POINTS else ""
        return format_html("<ul>{}{}</ul>", listed, more)

    def save_model(self, request, obj, form, change):
        if change:
            previous = Interruption.objects.filter(pk=obj.pk).values_list("expected_end_at", flat=True).first()
            services.note_changes(interruption=obj, previous_expected_end=previous)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the points and streets first
        published = services.publish(interruption=form.instance)
        text = ngettext(
            "Przerwa obejmuje %(points)d punkt odbioru.",
            "Przerwa obejmuje %(points)d punktów odbioru.",
            published.points,
        ) % {"points": published.points}
        text += " " + ngettext(
            "Wysłano %(emails)d powiadomienie e-mail.", "Wysłano %(emails)d powiadomień e-mail.", published.emails
        ) % {"emails": published.emails}
        self.message_user(request, text, messages.WARNING if not published.points else messages.INFO)


@admin.register(OutageNotice)
class OutageNoticeAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "interruption", "user", "change"]
    list_filter = ["change"]
    search_fields = ["user__username"]
    list_select_related = ["interruption", "user"]

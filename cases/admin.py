"""Staff handle cases in the admin: the thread, a reply with attachments, status and assignment on one page."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases import owners, services
from cases.forms import AttachmentsField
from cases.models import Attachment, Case, CaseType
from cases.views import attachment_response
from ebok.audit import audit


class WaitingForUsFilter(admin.SimpleListFilter):
    title = _("czeka na nas")
    parameter_name = "czeka"

    def lookups(self, request, model_admin):
        return [("tak", _("tak: ostatnia wiadomość od odbiorcy")), ("nie", _("nie: odpowiedzieliśmy"))]

    def queryset(self, request, queryset):
        if self.value() == "tak":
            return queryset.filter(waiting_for_staff=True)
        if self.value() == "nie":
            return queryset.filter(waiting_for_staff=False)
        return queryset


class CaseAdminForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Odpowiedź dla odbiorcy"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("Odbiorca dostanie e-mail z powiadomieniem i linkiem (bez treści odpowiedzi)."),
    )
    reply_attachments = AttachmentsField(label=_("Załączniki do odpowiedzi"))

    class Meta:
        model = Case
        fields = ["type", "status", "assignee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            self.fields["assignee"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True)

    def clean(self):
        data = super().clean()
        if data.get("reply_attachments") and not data.get("reply"):
            self.add_error("reply", _("Załączniki wysyła się z odpowiedzią: wpisz jej treść."))
        return data


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    form = CaseAdminForm
    list_display = [
        "number",
        "customer",
        "type",
        "subject",
        "status",
        "assignee",
        "created_at",
        "last_message_at",
        "waiting_for_staff",
    ]
    ordering = ["-last_message_at", "-pk"]  # the latest activity first
    list_filter = ["status", "type", "assignee", WaitingForUsFilter]
    search_fields = ["number", "customer__number", "subject"]
    list_select_related = ["customer", "type", "assignee"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "number",
        "customer",
        "subject",
        "delivery_point",
        "refers_to",
        "created_at",
        "thread",
        "status_owner",
    ]

    def get_fieldsets(self, request, obj=None):
        # A status set elsewhere (a heat request's) gets the link to where it is changed.
        status = ["status", "status_owner"] if obj is not None and owners.status_owner(obj) else ["status"]
        return [
            (None, {"fields": ["number", "customer", "subject", "delivery_point", "refers_to", "created_at"]}),
            (_("Wiadomości"), {"fields": ["thread"]}),
            (_("Odpowiedź i status"), {"fields": ["reply", "reply_attachments", "type", *status, "assignee"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and owners.status_owner(obj):
            fields.append("status")  # changed here, it would part from its owner's (cases.owners)
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Editing users or case types from a case page would be a detour; they have their own pages.
        for attr in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            setattr(field.widget, attr, False)
        return field

    def has_add_permission(self, request) -> bool:
        return False  # a case is raised by a customer, with its number and first message

    def get_urls(self):
        download = self.admin_site.admin_view(self.attachment_view)
        return [path("zalacznik/<int:pk>/", download, name="cases_case_attachment"), *super().get_urls()]

    def attachment_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = attachment_response(request, get_object_or_404(Attachment, pk=pk))
        if response is None:  # logged by attachment_response
            raise Http404
        return response

    @admin.display(description=_("Wątek"))
    def thread(self, obj: Case) -> str:
        messages = obj.messages.select_related("author").prefetch_related("attachments")
        return render_to_string("admin/cases/thread.html", {"thread": messages, "case": obj})

    @admin.display(description=_("zmiana statusu"))
    def status_owner(self, obj: Case) -> str:
        owner = owners.status_owner(obj)
        if owner is None:
            return "—"
        return format_html('<a href="{}">{}</a><div class="help">{}</div>', owner.url, owner.label, owner.help_text)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        body = data.get("reply", "").strip()
        previous_status = form.initial.get("status", obj.status)  # not in the form when read-only
        owned = owners.status_owner(obj) is not None
        services.staff_update(
            case=obj,
            staff_user=request.user,
            body=body,
            files=data.get("reply_attachments") or [],
            # An owned status stays as its owner set it, even where a reply would move a new case on.
            status=obj.status if owned else None,
            previous_status=previous_status,
        )
        audit(
            "case_staff_update",
            request=request,
            customer_number=obj.customer_id,
            case=obj.number,
            replied=bool(body),
            status=f"{previous_status}->{obj.status}",
        )


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "is_active", "order"]
    list_editable = ["description", "is_active", "order"]

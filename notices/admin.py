"""Staff read what was announced and reminded; nobody edits these records."""

from django.contrib import admin

from ebok.admin import ReadOnlyAdmin
from notices.models import DocumentNotice, PaymentReminder


@admin.register(DocumentNotice)
class DocumentNoticeAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "customer", "document", "other_document", "pdf_attached", "email"]
    list_filter = ["pdf_attached"]
    search_fields = ["user__username", "customer__number", "document__number", "other_document__ext_id"]
    list_select_related = ["user", "customer", "document", "other_document", "email"]


@admin.register(PaymentReminder)
class PaymentReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "user", "customer", "document", "rest", "email"]
    search_fields = ["user__username", "customer__number", "document__number"]
    list_select_related = ["user", "customer", "document", "email"]

from django.contrib import admin

from ebok.models import AuditEvent, FailingAddress, OutboundEmail

BODY_FIELDS = ("body_text", "body_html", "attachments")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: staff read them, nobody edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only. A secret message's body (a live link) is never shown. "Nie doręczono
    do" names the recipients left out as failing addresses or refused by the server; those refused
    for now get the message from a follow-up row, which "ostatni błąd" names both ways."""

    list_display = ["created_at", "template", "subject", "status", "attempts", "sent_at", "undelivered"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name != "claim"]

    def get_fields(self, request, obj=None):
        fields = self.readonly_fields
        if obj is None or obj.secret:
            fields = [name for name in fields if name not in BODY_FIELDS]
        return fields

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: readable by staff with the view permission, changeable by nobody."""

    list_display = ["at", "event", "actor", "customer_number", "ip", "request_id"]
    list_filter = ["event"]
    search_fields = ["customer_number", "actor", "ip", "request_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(FailingAddress)
class FailingAddressAdmin(admin.ModelAdmin):
    """Addresses a mail server refused for good, with its last reply. Read-only; no mail goes to
    them while the row exists. Deleting a row says "fixed" (e.g. the customer's mailbox works
    again): the next message to the address goes out as usual."""

    list_display = ["address", "reason", "smtp_code", "failed_at", "failures", "first_failed_at"]
    list_filter = ["reason", "smtp_code"]
    search_fields = ["address", "last_reply"]
    date_hierarchy = "failed_at"
    readonly_fields = [f.name for f in FailingAddress._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

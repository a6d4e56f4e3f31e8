from django.contrib import admin

from ebok.models import AuditEvent, OutboundEmail

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
    """The outbox, read-only. A secret message's body (a live link) is never shown."""

    list_display = ["created_at", "template", "subject", "status", "attempts", "sent_at"]
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

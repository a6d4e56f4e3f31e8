from django.contrib import admin

from ebok.models import AuditEvent, OutboundEmail


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
    list_display = ["created_at", "template", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "to"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

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

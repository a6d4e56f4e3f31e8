from django.contrib import admin

from onlinepay.models import OnlinePayment, OnlinePaymentEvent, OnlinePaymentLine


class LineInline(admin.TabularInline):
    model = OnlinePaymentLine
    extra = 0
    can_delete = False
    readonly_fields = ["document_number", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = OnlinePaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "previous", "status", "source", "gateway_status", "gateway_order_id", "message"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OnlinePayment)
class OnlinePaymentAdmin(admin.ModelAdmin):
    """Read-only: a payment's state comes from the gateway, never from a staff edit."""

    list_display = [
        "reference",
        "customer",
        "total",
        "status",
        "gateway_status",
        "created",
        "confirmed_at",
        "booked_at",
    ]
    list_filter = [
        "status",
        ("created", admin.DateFieldListFilter),
        ("confirmed_at", admin.DateFieldListFilter),
        "variant",
    ]
    search_fields = ["reference", "customer__number", "transaction_id", "lines__document_number"]
    date_hierarchy = "created"
    list_select_related = ["customer"]
    inlines = [LineInline, EventInline]
    fields = [
        "reference",
        "customer",
        "user",
        "variant",
        "status",
        "gateway_status",
        "transaction_id",
        "total",
        "currency",
        "description",
        "created",
        "modified",
        "confirmed_at",
        "booked_at",
        "booked_payment_id",
        "message",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from billing.models import Contract, Customer, DeliveryPoint, Document, OtherDocument, Payment


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "kind", "nip", "city", "email"]
    list_filter = ["kind", "city"]
    search_fields = ["number", "name", "nip", "email"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "signed_on", "valid_from", "valid_until", "tariff_group", "ordered_power_mw"]
    list_filter = ["tariff_group"]
    search_fields = ["number", "customer__number", "customer__name"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]


@admin.register(DeliveryPoint)
class DeliveryPointAdmin(admin.ModelAdmin):
    list_display = ["code", "customer", "contract", "street", "city", "kind", "substation", "tariff_group"]
    list_filter = ["kind", "tariff_group", "city"]
    search_fields = ["code", "street", "substation", "customer__number", "customer__name", "contract__number"]
    list_select_related = ["customer", "contract"]
    raw_id_fields = ["customer", "contract"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "customer", "kind", "issue_date", "due_date", "net", "vat", "gross", "ksef_number"]
    list_filter = ["kind", "issue_date"]
    date_hierarchy = "issue_date"
    search_fields = ["number", "ksef_number", "customer__number", "customer__name"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "corrects"]


@admin.register(OtherDocument)
class OtherDocumentAdmin(admin.ModelAdmin):
    list_display = ["ext_id", "customer", "kind", "title", "date"]
    list_filter = ["kind", "date"]
    search_fields = ["ext_id", "title", "customer__number", "customer__name"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["ext_id", "customer", "date", "amount", "title"]
    list_filter = ["date"]
    date_hierarchy = "date"
    search_fields = ["ext_id", "title", "customer__number", "customer__name"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]

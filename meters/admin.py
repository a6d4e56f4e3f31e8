from django.contrib import admin

from meters.models import Meter, Reading


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

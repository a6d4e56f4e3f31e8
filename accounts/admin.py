from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "customer", "status", "is_staff", "is_active", "last_login"]
    list_filter = ["status", "is_staff", "is_active", "is_superuser", "groups"]
    search_fields = ["username", "email", "customer__number", "customer__name"]
    ordering = ["username"]
    raw_id_fields = ["customer"]
    fieldsets = [
        (None, {"fields": ["username", "password", "email", "customer", "status"]}),
        (_("Uprawnienia"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Daty"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "email", "password1", "password2"]})]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountAttempt, AccountToken, ConsentEvent, LoginEvent, User
from ebok.admin import ReadOnlyAdmin


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


@admin.register(AccountAttempt)
class AccountAttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "customer_number", "ip", "outcome"]
    list_filter = ["kind", "outcome"]
    search_fields = ["customer_number", "ip"]
    date_hierarchy = "at"


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "customer", "kind", "given", "document_version", "source"]
    list_filter = ["kind", "given", "source", "document_version"]
    search_fields = ["customer__number"]
    date_hierarchy = "at"


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "ip", "user_agent"]
    search_fields = ["user__username", "ip"]
    date_hierarchy = "at"


@admin.register(AccountToken)
class AccountTokenAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "purpose", "expires_at", "used_at"]
    list_filter = ["purpose"]
    search_fields = ["user__username"]
    exclude = ["digest"]

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts import representation
from accounts.models import AccountAttempt, AccountToken, ConsentEvent, CustomerAccess, Invitation, LoginEvent, User
from ebok.admin import ReadOnlyAdmin
from ebok.audit import client_ip


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


class PaperGrantForm(forms.ModelForm):
    """Staff grant access on a paper authorisation (upoważnienie): its reference and date are required."""

    class Meta:
        model = CustomerAccess
        fields = ["user", "customer", "role", "paper_reference", "paper_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper_reference"].required = True
        self.fields["paper_date"].required = True
        self.fields["user"].queryset = User.objects.filter(is_staff=False, is_superuser=False)

    def clean(self):
        data = super().clean()
        user, customer = data.get("user"), data.get("customer")
        if user and customer and CustomerAccess.objects.active().filter(user=user, customer=customer).exists():
            raise forms.ValidationError(_("Ten login ma już dostęp do tego odbiorcy: najpierw cofnij obecny."))
        return data


@admin.register(CustomerAccess)
class CustomerAccessAdmin(admin.ModelAdmin):
    """Who reaches which customer. Staff add access on a paper authorisation and revoke any but the
    właściciel's; a row is never edited or deleted, it is evidence."""

    list_display = ["customer", "user", "role", "source", "paper_reference", "paper_date", "granted_at", "revoked_at"]
    list_filter = ["role", "source", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["customer__number", "customer__name", "user__username", "user__email", "paper_reference"]
    raw_id_fields = ["user", "customer"]
    actions = ["revoke"]
    form = PaperGrantForm

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in CustomerAccess._meta.fields] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = representation.grant_on_paper(
            user=obj.user,
            customer=obj.customer,
            role=obj.role,
            reference=obj.paper_reference,
            date=obj.paper_date,
            by=request.user,
            ip=client_ip(request),
        )
        obj.pk = created.pk

    @admin.action(description=_("Cofnij wybrane dostępy (poza właścicielem)"))
    def revoke(self, request, queryset):
        done = 0
        for access in queryset.active().exclude(role=CustomerAccess.Role.OWNER).select_related("user", "customer"):
            representation.revoke(access=access, by=request.user, ip=client_ip(request))
            done += 1
        self.message_user(request, _("Cofnięto dostępy: %(count)d.") % {"count": done})


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "customer",
        "email",
        "role",
        "invited_by",
        "expires_at",
        "accepted_at",
        "cancelled_at",
    ]
    search_fields = ["customer__number", "email"]
    exclude = ["digest"]

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Organisation, OrganisationDomain, OrganisationMembership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "function", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "is_removed"]
    search_fields = ["email", "full_name", "organisation__name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profiel"), {"fields": ["full_name", "function", "organisation"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Data"), {"fields": ["last_login", "date_joined", "is_removed"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class OrganisationDomainInline(admin.TabularInline):
    """Staff add and check an organisation's mail domains: verified ones approve at once."""

    model = OrganisationDomain
    extra = 1


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    fk_name = "organisation"
    extra = 0
    fields = ["user", "status", "role", "reason", "via_domain", "decided_by", "decided_at"]
    readonly_fields = ["via_domain", "decided_by", "decided_at"]
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "verified"]
    list_filter = ["kind", "verified"]
    search_fields = ["name"]
    inlines = [OrganisationDomainInline, OrganisationMembershipInline]


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "role", "via_domain", "decided_at"]
    list_filter = ["status", "role", "via_domain"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(OrganisationDomain)
class OrganisationDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "organisation", "verified"]
    list_filter = ["verified"]
    search_fields = ["domain", "organisation__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]

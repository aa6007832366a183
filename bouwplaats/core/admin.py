from django.contrib import admin

from .models import AuditEntry
from .views import admin_login

# One login for the whole site: the admin's own form has no two-step code and no rate limit.
admin.site.login = admin_login


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "object_type", "object_id"]
    list_filter = ["action"]
    readonly_fields = ["created_at", "action", "actor", "object_type", "object_id", "data"]

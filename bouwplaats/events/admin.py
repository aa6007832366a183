from django.contrib import admin
from django.db import models

from . import services
from .models import Highlight, Registration, Session, SessionChange, SessionPart


class SessionPartInline(admin.TabularInline):
    model = SessionPart
    extra = 0


class HighlightInline(admin.TabularInline):
    model = Highlight
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "programme", "start", "status", "facilitation"]
    list_filter = ["status", "type", "programme", "facilitation"]
    search_fields = ["title"]
    autocomplete_fields = ["host"]
    filter_horizontal = ["co_hosts", "themes"]
    readonly_fields = ["sequence", "created_by", "created_at", "updated_at"]
    inlines = [SessionPartInline, HighlightInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["member", "session", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["member__full_name", "member__email", "session__title"]
    raw_id_fields = ["member", "session"]

    def delete_model(self, request, obj):
        # Through the service, so that a freed seat goes to the first on the waiting list.
        services.registration_delete(registration=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for registration in queryset:
            services.registration_delete(registration=registration, actor=request.user)


@admin.register(SessionChange)
class SessionChangeAdmin(admin.ModelAdmin):
    list_display = ["session", "field", "changed_at", "changed_by"]
    readonly_fields = ["session", "field", "old", "new", "changed_at", "changed_by"]

from django.contrib import admin

from .models import CombinationRequest, InterestZone, JointWork, Work
from .pairs import pairs_refresh


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "department", "kind", "start", "end", "status", "hindrance"]
    list_filter = ["kind", "status", "hindrance", "public", "owner"]
    search_fields = ["title", "external_id", "owner__name"]
    # Geometry changes go through the services, which keep the RD New copy in step.
    readonly_fields = ["geometry", "joint", "created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Dates, status, hindrance, owner or visibility changed here change the stored pairs
        # as a save through the services does (the admin saves inside one transaction).
        pairs_refresh([obj.pk])


@admin.register(JointWork)
class JointWorkAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at"]


@admin.register(CombinationRequest)
class CombinationRequestAdmin(admin.ModelAdmin):
    list_display = ["from_work", "to_work", "status", "deadline", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["from_work", "to_work", "requested_by", "answered_by"]


@admin.register(InterestZone)
class InterestZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "member", "created_at"]
    readonly_fields = ["geometry"]

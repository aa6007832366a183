from django.contrib import admin

from .models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    Programme,
    ProgrammeMembership,
    ProgrammeMilestone,
    ProgrammePartner,
    Region,
    Theme,
)


class MembershipInline(admin.TabularInline):
    model = ProgrammeMembership
    extra = 1
    autocomplete_fields = ["user"]


class PartnerInline(admin.TabularInline):
    model = ProgrammePartner
    extra = 0


class TimelineInline(admin.TabularInline):
    model = ProgrammeMilestone
    extra = 0


class GovernanceMemberInline(admin.TabularInline):
    model = GovernanceMember
    extra = 0


class GovernanceMeetingInline(admin.TabularInline):
    model = GovernanceMeeting
    extra = 0


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "programme", "cadence"]
    list_filter = ["programme", "kind"]
    inlines = [GovernanceMemberInline, GovernanceMeetingInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes", "regions"]
    inlines = [MembershipInline, PartnerInline, TimelineInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

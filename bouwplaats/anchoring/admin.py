from django.contrib import admin

from .models import Koffertje, KoffertjeItem, Stakeholder, StakeholderPerson, StakeholderRating


class ItemInline(admin.TabularInline):
    model = KoffertjeItem
    extra = 0
    raw_id_fields = ["updated_by"]


@admin.register(Koffertje)
class KoffertjeAdmin(admin.ModelAdmin):
    list_display = ["region", "programme", "updated_at"]
    list_filter = ["programme"]
    filter_horizontal = ["organisations"]
    raw_id_fields = ["writers"]
    inlines = [ItemInline]


class RatingInline(admin.TabularInline):
    model = StakeholderRating
    extra = 0
    raw_id_fields = ["by"]
    # A rating is history: change it through a new rating, never in place.
    readonly_fields = ["interest", "influence", "level", "direction", "reason", "by", "at"]
    can_delete = False


class PersonInline(admin.TabularInline):
    model = StakeholderPerson
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "interest", "influence", "level", "direction", "rated_at"]
    list_filter = ["programme", "level", "direction"]
    raw_id_fields = ["pilot"]
    inlines = [PersonInline, RatingInline]

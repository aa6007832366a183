from django.contrib import admin

from .models import Answer, KnowledgeItem, Question, TrainingOffer


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "status", "featured", "programme", "check_by"]
    list_filter = ["type", "status", "featured", "programme"]
    search_fields = ["title"]
    filter_horizontal = ["themes", "authors"]
    raw_id_fields = ["sessions", "pilots", "submissions", "created_by"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "asked_by", "created_at"]
    list_filter = ["programme"]
    search_fields = ["title"]
    raw_id_fields = ["asked_by", "accepted_answer"]
    inlines = [AnswerInline]


@admin.register(TrainingOffer)
class TrainingOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "provider", "active", "position"]
    list_filter = ["kind", "active"]

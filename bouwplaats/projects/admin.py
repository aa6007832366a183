from django.contrib import admin

from .models import Call, CallCriterion, CallQuestion, Submission, SubmissionAnswer, SubmissionStep


class QuestionInline(admin.TabularInline):
    model = CallQuestion
    extra = 0


class CriterionInline(admin.TabularInline):
    model = CallCriterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "opens_on", "closes_on", "rolling", "published"]
    list_filter = ["programme", "published", "rolling"]
    filter_horizontal = ["reviewers"]
    inlines = [QuestionInline, CriterionInline]


class AnswerInline(admin.TabularInline):
    model = SubmissionAnswer
    extra = 0


class StepInline(admin.TabularInline):
    # The history is written by the services only (and mailed); here it is read.
    model = SubmissionStep
    extra = 0
    can_delete = False
    readonly_fields = ["status", "reason", "contact_name", "contact_email", "by", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "organisation", "status", "submitted_at"]
    list_filter = ["call", "status"]
    readonly_fields = ["status", "repair_until", "submitted_at"]
    inlines = [AnswerInline, StepInline]

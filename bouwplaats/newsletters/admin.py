from django.contrib import admin

from .models import Delivery, Issue, NewsletterList, Subscription


@admin.register(NewsletterList)
class NewsletterListAdmin(admin.ModelAdmin):
    list_display = ["name", "programme"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "newsletter_list", "status", "consent_at", "consent_source"]
    list_filter = ["newsletter_list", "status"]
    search_fields = ["email", "name"]
    raw_id_fields = ["member"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "newsletter_list", "status", "sent_at", "total", "sent_count"]
    list_filter = ["newsletter_list", "status"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscription", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["issue", "subscription"]

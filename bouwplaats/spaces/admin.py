from django.contrib import admin

from .models import Comment, DigestSubscription, Document, Photo, SpacePolicy


@admin.register(SpacePolicy)
class SpacePolicyAdmin(admin.ModelAdmin):
    list_display = ["session", "comments_view", "photos_view", "documents_view", "updated_at"]
    raw_id_fields = ["session", "updated_by"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["session", "author", "created_at", "hidden_at"]
    list_filter = ["hidden_at"]
    search_fields = ["body", "session__title"]
    raw_id_fields = ["session", "author", "hidden_by"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["session", "uploaded_by", "caption", "content_type", "size", "created_at"]
    raw_id_fields = ["session", "uploaded_by"]
    # Files are only reachable through the access-checked views, never as a media link.
    exclude = ["file", "thumbnail"]
    readonly_fields = ["content_type", "width", "height", "size", "original_name"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["session", "name", "uploaded_by", "content_type", "size", "created_at"]
    search_fields = ["name", "session__title"]
    raw_id_fields = ["session", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["content_type", "size"]


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "created_at", "last_sent_at"]
    raw_id_fields = ["session", "member"]

"""API of the session space: comments, photos and documents, under the same policy as pages."""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from bouwplaats.core.errors import NotAllowed
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.responses import file_response
from bouwplaats.core.schemas import DbId, model_field

from . import selectors, services
from .messages import refusal
from .models import Comment, Document, Photo, SpacePolicy
from .permissions import SpaceAccess, policy_for

router = Router(tags=["sessieruimte"])


class PersonOut(Schema):
    name: str
    function: str
    organisation: str | None


def _person(user) -> dict:
    removed = user.is_removed
    return {
        "name": user.display_name,
        "function": "" if removed else user.function,
        "organisation": None if removed or not user.organisation else user.organisation.name,
    }


def _access(request) -> SpaceAccess:
    return request.space_access


class CommentIn(Schema):
    body: model_field(Comment, "body")


class HideIn(Schema):
    reason: model_field(Comment, "hidden_reason") = ""
    hidden: bool = True


class CommentOut(Schema):
    id: DbId
    session_id: int
    author: PersonOut
    body: str
    html: str
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    hidden_reason: str
    can_edit: bool
    can_delete: bool

    @staticmethod
    def resolve_author(obj, context):
        return _person(obj.author)

    @staticmethod
    def _text_visible(obj, context) -> bool:
        return _access(context["request"]).can_read_comment(obj)

    @staticmethod
    def resolve_body(obj, context):
        return obj.body if CommentOut._text_visible(obj, context) else ""

    @staticmethod
    def resolve_html(obj, context):
        from bouwplaats.core.markdown import render_markdown

        return render_markdown(obj.body) if CommentOut._text_visible(obj, context) else ""

    @staticmethod
    def resolve_hidden(obj):
        return obj.is_hidden

    @staticmethod
    def resolve_hidden_reason(obj, context):
        return obj.hidden_reason if CommentOut._text_visible(obj, context) else ""

    @staticmethod
    def resolve_can_edit(obj, context):
        return _access(context["request"]).can_edit_comment(obj)

    @staticmethod
    def resolve_can_delete(obj, context):
        return _access(context["request"]).can_delete_comment(obj)


class PhotoOut(Schema):
    id: DbId
    session_id: int
    caption: str
    name: str
    uploaded_by: PersonOut
    content_type: str
    width: int
    height: int
    size: int
    created_at: datetime
    download_url: str
    thumbnail_url: str

    @staticmethod
    def resolve_name(obj):
        return obj.original_name

    @staticmethod
    def resolve_uploaded_by(obj):
        return _person(obj.uploaded_by)

    @staticmethod
    def resolve_download_url(obj, context):
        return context["request"].build_absolute_uri(
            reverse(
                "api-v1:space_photo_download", kwargs={"id": obj.session_id, "photo_id": obj.pk}
            )
        )

    @staticmethod
    def resolve_thumbnail_url(obj, context):
        return context["request"].build_absolute_uri(
            reverse(
                "api-v1:space_photo_thumbnail", kwargs={"id": obj.session_id, "photo_id": obj.pk}
            )
        )


class DocumentOut(Schema):
    id: DbId
    session_id: int
    name: str
    description: str
    content_type: str
    size: int
    uploaded_by: PersonOut
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_uploaded_by(obj):
        return _person(obj.uploaded_by)

    @staticmethod
    def resolve_download_url(obj, context):
        return context["request"].build_absolute_uri(
            reverse(
                "api-v1:space_document_download",
                kwargs={"id": obj.session_id, "document_id": obj.pk},
            )
        )


class PolicyIO(Schema):
    comments_view: model_field(SpacePolicy, "comments_view")
    comments_post: model_field(SpacePolicy, "comments_post")
    photos_view: model_field(SpacePolicy, "photos_view")
    photos_post: model_field(SpacePolicy, "photos_post")
    documents_view: model_field(SpacePolicy, "documents_view")
    documents_post: model_field(SpacePolicy, "documents_post")


class PolicyPatch(Schema):
    comments_view: model_field(SpacePolicy, "comments_view") | None = None
    comments_post: model_field(SpacePolicy, "comments_post") | None = None
    photos_view: model_field(SpacePolicy, "photos_view") | None = None
    photos_post: model_field(SpacePolicy, "photos_post") | None = None
    documents_view: model_field(SpacePolicy, "documents_view") | None = None
    documents_post: model_field(SpacePolicy, "documents_post") | None = None


def _session(request, id: DbId, kind: str | None = None):
    """Return the session, with the caller's access on the request; refuse what they may not."""
    access = selectors.space_for(session_pk=id, user=request.user)
    if access is None:
        raise Http404
    if kind is not None and not access.can_view(kind):
        raise NotAllowed(refusal(access, kind), code="not_allowed")
    request.space_access = access
    return access.session


def _comment(request, id: DbId, comment_id: DbId) -> Comment:
    session = _session(request, id, "comments")
    return get_object_or_404(
        Comment.objects.select_related("author", "author__organisation"),
        pk=comment_id,
        session=session,
    )


# Comments


@router.get("/sessions/{id}/comments", response=list[CommentOut])
@paginate(LimitOffsetPagination)
def comment_list(request, id: DbId):
    """Comments on the session, oldest first, for those the session's policy allows."""
    _session(request, id, "comments")
    return selectors.comment_list(access=request.space_access)


@router.post("/sessions/{id}/comments", response={201: CommentOut})
def comment_create(request, id: DbId, payload: CommentIn):
    """Place a comment (Markdown); the response carries the sanitised ``html``."""
    session = _session(request, id)
    comment = services.comment_create(session=session, user=request.user, body=payload.body)
    return Status(201, comment)


@router.patch("/sessions/{id}/comments/{comment_id}", response=CommentOut)
def comment_update(request, id: DbId, comment_id: DbId, payload: CommentIn):
    """Change one's own comment."""
    comment = _comment(request, id, comment_id)
    return services.comment_update(comment=comment, user=request.user, body=payload.body)


@router.delete("/sessions/{id}/comments/{comment_id}", response={204: None})
def comment_delete(request, id: DbId, comment_id: DbId):
    """Delete one's own comment."""
    services.comment_delete(comment=_comment(request, id, comment_id), user=request.user)
    return Status(204, None)


@router.post("/sessions/{id}/comments/{comment_id}/hide", response=CommentOut)
def comment_hide(request, id: DbId, comment_id: DbId, payload: HideIn):
    """Hide a comment with a reason, or show it again (organisers)."""
    comment = _comment(request, id, comment_id)
    return services.comment_hide(
        comment=comment, user=request.user, reason=payload.reason, hidden=payload.hidden
    )


# Photos


@router.get("/sessions/{id}/photos", response=list[PhotoOut])
@paginate(LimitOffsetPagination)
def photo_list(request, id: DbId):
    """Photos of the session; ``download_url`` checks access on every request."""
    _session(request, id, "photos")
    return selectors.photo_list(access=request.space_access)


@router.post("/sessions/{id}/photos", response={201: PhotoOut})
def photo_upload(
    request,
    id: DbId,
    file: File[UploadedFile | None] = None,
    caption: Form[model_field(Photo, "caption", default="")] = "",
):
    """Upload a photo (multipart field ``file``): JPEG, PNG or WebP, re-encoded without EXIF."""
    session = _session(request, id)
    photo = services.photo_upload(session=session, user=request.user, upload=file, caption=caption)
    return Status(201, photo)


def _photo(request, id: DbId, photo_id: DbId) -> Photo:
    session = _session(request, id, "photos")
    return get_object_or_404(Photo, pk=photo_id, session=session)


@router.get("/sessions/{id}/photos/{photo_id}/download", url_name="space_photo_download")
def photo_download(request, id: DbId, photo_id: DbId):
    """The photo itself; access is checked on every request."""
    photo = _photo(request, id, photo_id)
    return file_response(
        photo.file, content_type=photo.content_type, filename=photo.original_name, attachment=False
    )


@router.get("/sessions/{id}/photos/{photo_id}/thumbnail", url_name="space_photo_thumbnail")
def photo_thumbnail(request, id: DbId, photo_id: DbId):
    """The photo's thumbnail (the photo itself until the thumbnail is made)."""
    photo = _photo(request, id, photo_id)
    return file_response(
        photo.thumbnail or photo.file,
        content_type=photo.content_type,
        filename=photo.original_name,
        attachment=False,
    )


@router.delete("/sessions/{id}/photos/{photo_id}", response={204: None})
def photo_delete(request, id: DbId, photo_id: DbId):
    """Remove a photo (its uploader or an organiser)."""
    services.photo_delete(photo=_photo(request, id, photo_id), user=request.user)
    return Status(204, None)


# Documents


@router.get("/sessions/{id}/documents", response=list[DocumentOut])
@paginate(LimitOffsetPagination)
def document_list(request, id: DbId):
    """Documents of the session; ``download_url`` checks access on every request."""
    _session(request, id, "documents")
    return selectors.document_list(access=request.space_access)


@router.post("/sessions/{id}/documents", response={201: DocumentOut})
def document_upload(
    request,
    id: DbId,
    file: File[UploadedFile | None] = None,
    description: Form[model_field(Document, "description", default="")] = "",
):
    """Upload a document (multipart field ``file``); its type is decided by its content."""
    session = _session(request, id)
    document = services.document_upload(
        session=session, user=request.user, upload=file, description=description
    )
    return Status(201, document)


def _document(request, id: DbId, document_id: DbId) -> Document:
    session = _session(request, id, "documents")
    return get_object_or_404(Document, pk=document_id, session=session)


@router.get("/sessions/{id}/documents/{document_id}/download", url_name="space_document_download")
def document_download(request, id: DbId, document_id: DbId):
    """The document as an attachment; access is checked on every request."""
    document = _document(request, id, document_id)
    return file_response(
        document.file, content_type=document.content_type, filename=document.name, attachment=True
    )


@router.delete("/sessions/{id}/documents/{document_id}", response={204: None})
def document_delete(request, id: DbId, document_id: DbId):
    """Remove a document (its uploader or an organiser)."""
    services.document_delete(document=_document(request, id, document_id), user=request.user)
    return Status(204, None)


# Policy


@router.get("/sessions/{id}/space-policy", response=PolicyIO)
def policy_get(request, id: DbId):
    """Who may view and post comments, photos and documents (levels: public, members,
    participants, hosts)."""
    session = _session(request, id)
    return policy_for(session)


@router.patch("/sessions/{id}/space-policy", response=PolicyIO)
def policy_update(request, id: DbId, payload: PolicyPatch):
    """Change who may view and post (organisers and programme team)."""
    session = _session(request, id)
    return services.policy_update(
        session=session, user=request.user, **payload.dict(exclude_none=True)
    )

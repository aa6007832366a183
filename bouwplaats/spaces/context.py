"""The context that the session space's sections are rendered from, on any page."""

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from bouwplaats.core.uploads import document_label
from bouwplaats.events.models import Session
from bouwplaats.events.permissions import registration_open

from . import selectors
from .forms import CommentForm, DocumentForm, PhotoForm
from .messages import refusal
from .models import Comment, DigestSubscription, Level
from .permissions import PARTICIPANT, space_access

PREVIEW_COMMENTS = 10


def session_page_url(session: Session) -> str | None:
    """Return the events app's page for the session, if that page exists."""
    try:
        return reverse("events:detail", kwargs={"pk": session.pk}) + "#aanmelden"
    except NoReverseMatch:
        return None


def safe_next(request, fallback: str) -> str:
    """Return the ``next`` field if it points into this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def space_context(request, session: Session, *, forms: dict | None = None, full: bool = False):
    """Return what ``_session_space.html`` needs for the person making ``request``."""
    forms = forms or {}
    access = space_access(session, request.user)
    space_url = reverse("spaces:session", kwargs={"session_pk": session.pk})
    context = {
        "session": session,
        "access": access,
        "full": full,
        "space_url": space_url,
        "next": request.get_full_path(),
        "session_url": session_page_url(session),
        "login_url": reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}),
        "posted": False,
        "sections": {},
        "hide_reason_max_length": Comment._meta.get_field("hidden_reason").max_length,
    }
    for kind in ("comments", "photos", "documents"):
        section = {
            "can_view": access.can_view(kind),
            "can_post": access.can_post(kind),
            "refusal": "",
            "needs_registration": False,
        }
        if not section["can_view"] or not section["can_post"]:
            section["refusal"] = refusal(access, kind)
            action = "post" if section["can_view"] else "view"
            required = getattr(access.policy, f"{kind}_{action}")
            # Only offer "Aanmelden" while the session takes sign-ups (not when it is over).
            section["needs_registration"] = (
                required == Level.PARTICIPANTS
                and access.role < PARTICIPANT
                and registration_open(session)
            )
        context["sections"][kind] = section

    context["can_subscribe"] = access.can_subscribe_digest()
    if context["can_subscribe"]:
        context["subscribed"] = DigestSubscription.objects.filter(
            session=session, member=request.user
        ).exists()

    comments = context["sections"]["comments"]
    if comments["can_view"]:
        queryset = selectors.comment_list(access=access)
        if full:
            page = Paginator(queryset, 50).get_page(request.GET.get("page") or 1)
            items, comments["page"] = list(page.object_list), page
            comments["count"] = page.paginator.count
        else:
            comments["count"] = queryset.count()
            items = list(queryset.reverse()[:PREVIEW_COMMENTS])[::-1]
        comments["items"] = [
            {
                "comment": c,
                "can_edit": access.can_edit_comment(c),
                "can_delete": access.can_delete_comment(c),
                "can_hide": access.can_hide_comment(c),
                "show_text": access.can_read_comment(c),
            }
            for c in items
        ]
    if comments["can_post"]:
        comments["form"] = forms.get("comment") or CommentForm(prefix="comment")

    photos = context["sections"]["photos"]
    if photos["can_view"]:
        photos["items"] = [
            {"photo": p, "can_delete": access.can_delete_photo(p)}
            for p in selectors.photo_list(access=access)
        ]
    if photos["can_post"]:
        photos["form"] = forms.get("photo") or PhotoForm(prefix="photo")

    documents = context["sections"]["documents"]
    if documents["can_view"]:
        documents["items"] = [
            {
                "document": d,
                "label": document_label(d.content_type),
                "can_delete": access.can_delete_document(d),
            }
            for d in selectors.document_list(access=access)
        ]
    if documents["can_post"]:
        documents["form"] = forms.get("document") or DocumentForm(prefix="document")
    return context

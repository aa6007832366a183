"""Pages of the session space: thin views that parse, call a service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.core.forms import add_domain_error
from bouwplaats.core.responses import file_response
from bouwplaats.core.views import perform

from . import selectors, services
from .context import safe_next, space_context
from .forms import CommentForm, DocumentForm, PhotoForm, PolicyForm
from .models import Comment, Document, Photo, SpacePolicy
from .permissions import policy_for, space_access


def _session_or_404(request, session_pk: int):
    access = selectors.space_for(session_pk=session_pk, user=request.user)
    if access is None:
        raise Http404
    return access.session


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _space_url(session) -> str:
    return reverse("spaces:session", kwargs={"session_pk": session.pk})


def _render_space(request, session, *, forms=None, status=200):
    return render(
        request,
        "spaces/session_space.html",
        {"session": session, "space_forms": forms or {}, "space_full": True},
        status=status,
    )


@require_GET
def session_space(request, session_pk: int):
    """Show a session's comments, photos and documents with their forms."""
    session = _session_or_404(request, session_pk)
    return _render_space(request, session)


@require_POST
def comment_create(request, session_pk: int):
    """Place a comment; htmx gets the comments section back, others a redirect."""
    session = _session_or_404(request, session_pk)
    form = CommentForm(request.POST, prefix="comment")
    status = 400
    if form.is_valid():
        try:
            services.comment_create(
                session=session, user=request.user, body=form.cleaned_data["body"]
            )
        except NotAllowed as error:
            if _is_htmx(request):
                # The partial shows the refusal in place of the form.
                return _comments_partial(request, session, forms={}, posted=False)
            messages.error(request, error.message)
            return redirect(safe_next(request, _space_url(session)))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            form, status = None, 200
            if not _is_htmx(request):
                messages.success(request, _("Uw reactie is geplaatst."))
                return redirect(safe_next(request, _space_url(session)) + "#reacties")
    forms = {"comment": form} if form is not None else {}
    if _is_htmx(request):
        return _comments_partial(request, session, forms=forms, posted=form is None)
    return _render_space(request, session, forms=forms, status=status)


def _comments_partial(request, session, *, forms: dict, posted: bool):
    # Always 200: htmx swaps no 4xx response, and the errors must appear next to the field.
    context = space_context(request, session, forms=forms)
    context["next"] = safe_next(request, _space_url(session))
    context["posted"] = posted
    return render(request, "spaces/_comments.html", {"space": context})


def _comment_or_404(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("session", "session__programme", "author"), pk=pk
    )
    if not space_access(comment.session, request.user).can_view("comments"):
        raise Http404
    return comment


@login_required
def comment_edit(request, pk: int):
    """Change one's own comment."""
    comment = _comment_or_404(request, pk)
    if not space_access(comment.session, request.user).can_edit_comment(comment):
        raise Http404
    # The form checks a fresh instance; only the service changes the comment itself.
    form = CommentForm(request.POST or None, prefix="comment", initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Uw reactie is bijgewerkt."))
            return redirect(_space_url(comment.session) + f"#reactie-{comment.pk}")
    status = 400 if form.errors else 200
    return render(
        request,
        "spaces/comment_edit.html",
        {"comment": comment, "form": form, "session": comment.session},
        status=status,
    )


@require_POST
def comment_delete(request, pk: int):
    comment = _comment_or_404(request, pk)
    session = comment.session
    perform(
        request,
        lambda: services.comment_delete(comment=comment, user=request.user),
        success=_("Uw reactie is verwijderd."),
    )
    return redirect(safe_next(request, _space_url(session)) + "#reacties")


@require_POST
def comment_hide(request, pk: int):
    """Hide a comment with a reason (organisers), or show it again."""
    comment = _comment_or_404(request, pk)
    session = comment.session
    hidden = request.POST.get("action") != "show"
    try:
        # The reason's rules (required to hide, length, one line) are the model's.
        services.comment_hide(
            comment=comment,
            user=request.user,
            reason=request.POST.get("reason", ""),
            hidden=hidden,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("De reactie is verborgen.") if hidden else _("De reactie is weer zichtbaar."),
        )
    return redirect(safe_next(request, _space_url(session)) + f"#reactie-{comment.pk}")


def _upload(request, session_pk: int, *, kind: str):
    session = _session_or_404(request, session_pk)
    form_class = PhotoForm if kind == "photo" else DocumentForm
    form = form_class(request.POST, request.FILES, prefix=kind)
    if not form.is_valid():
        return _render_space(request, session, forms={kind: form}, status=400)
    try:
        if kind == "photo":
            services.photo_upload(
                session=session,
                user=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
            done = _("Uw foto is geplaatst.")
        else:
            services.document_upload(
                session=session,
                user=request.user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
            done = _("Uw document is geplaatst.")
    except NotAllowed as error:
        messages.error(request, error.message)
        return redirect(safe_next(request, _space_url(session)))
    except DomainError as error:
        add_domain_error(form, error)
        return _render_space(request, session, forms={kind: form}, status=400)
    messages.success(request, done)
    anchor = "#fotos" if kind == "photo" else "#documenten"
    return redirect(safe_next(request, _space_url(session)) + anchor)


@require_POST
def photo_upload(request, session_pk: int):
    return _upload(request, session_pk, kind="photo")


@require_POST
def document_upload(request, session_pk: int):
    return _upload(request, session_pk, kind="document")


def _photo_or_404(request, pk: int) -> Photo:
    photo = get_object_or_404(Photo.objects.select_related("session", "session__programme"), pk=pk)
    # Checked on every request: a former participant's old link stops working at once.
    if not space_access(photo.session, request.user).can_view("photos"):
        raise Http404
    return photo


def _document_or_404(request, pk: int) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("session", "session__programme"), pk=pk
    )
    if not space_access(document.session, request.user).can_view("documents"):
        raise Http404
    return document


@require_GET
def photo_file(request, pk: int):
    photo = _photo_or_404(request, pk)
    return file_response(
        photo.file, content_type=photo.content_type, filename=photo.original_name, attachment=False
    )


@require_GET
def photo_thumbnail(request, pk: int):
    photo = _photo_or_404(request, pk)
    return file_response(
        photo.thumbnail or photo.file,
        content_type=photo.content_type,
        filename=photo.original_name,
        attachment=False,
    )


@require_GET
def document_download(request, pk: int):
    document = _document_or_404(request, pk)
    return file_response(
        document.file, content_type=document.content_type, filename=document.name, attachment=True
    )


@require_POST
def photo_delete(request, pk: int):
    photo = _photo_or_404(request, pk)
    session = photo.session
    perform(
        request,
        lambda: services.photo_delete(photo=photo, user=request.user),
        success=_("De foto is verwijderd."),
    )
    return redirect(safe_next(request, _space_url(session)) + "#fotos")


@require_POST
def document_delete(request, pk: int):
    document = _document_or_404(request, pk)
    session = document.session
    perform(
        request,
        lambda: services.document_delete(document=document, user=request.user),
        success=_("Het document is verwijderd."),
    )
    return redirect(safe_next(request, _space_url(session)) + "#documenten")


@login_required
def policy(request, session_pk: int):
    """Let the organisers set who may view and post in the session space."""
    session = _session_or_404(request, session_pk)
    if not space_access(session, request.user).can_manage_policy():
        raise Http404
    # Checked on a fresh instance: the session's own policy changes only in the service.
    instance = SpacePolicy(session=session) if request.method == "POST" else policy_for(session)
    form = PolicyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(session=session, user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De toegang tot de sessieruimte is opgeslagen."))
            return redirect(_space_url(session))
    status = 400 if form.errors else 200
    return render(request, "spaces/policy.html", {"session": session, "form": form}, status=status)


@require_POST
def digest(request, session_pk: int):
    """Turn the daily mail of new comments and documents on or off."""
    session = _session_or_404(request, session_pk)
    subscribed = request.POST.get("subscribed") == "1"
    try:
        services.digest_subscription_set(session=session, user=request.user, subscribed=subscribed)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("U krijgt voortaan elke dag een mail als er iets nieuws is.")
            if subscribed
            else _("U krijgt geen dagelijkse mail meer."),
        )
    return redirect(safe_next(request, _space_url(session)) + "#sessieruimte")

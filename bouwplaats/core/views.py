from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError
from .models import SitePage
from .responses import StoredFileMissing
from .site_pages import DEFAULTS


def perform(request, action, *, success: str) -> bool:
    """Run the service call ``action`` and show ``success`` or the domain error as a message."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


# The one confirm pattern for what cannot be undone: GET shows a page saying what will happen,
# with a POST form (carrying ``bevestigd=1``) and a way back; a POST without that field, from
# a stale page or another site's form, changes nothing and shows the same page.
CONFIRM_FIELD = "bevestigd"


def confirmed(request) -> bool:
    """Return True if ``request`` is the POST of a confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def render_confirm(request, *, title, consequences, yes_label, back_url, form=None, status=200):
    """Render the confirmation page: what will happen, "Ja, …" (POST) and a way back.

    ``consequences`` is a list of sentences; ``form`` (optional) adds fields such as a reason.
    """
    context = {
        "title": title,
        "consequences": consequences,
        "yes_label": yes_label,
        "back_url": back_url,
        "form": form,
        "confirm_field": CONFIRM_FIELD,
    }
    return render(request, "confirm.html", context, status=status)


def site_page(request, slug: str):
    """Show a required page (privacy, accessibility, contact) as administrators wrote it.

    A page an administrator removed shows its first text again: the footer links to it on
    every page, so it never answers 404.
    """
    page = SitePage.objects.filter(slug=slug).first()
    if page is None:
        title, body = DEFAULTS[slug]
        page = SitePage(slug=slug, title=title, body=body)
    return render(request, "core/site_page.html", {"page": page})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    # A file whose record outlived its bytes says so instead of "page not found".
    missing_file = str(exception) if isinstance(exception, StoredFileMissing) else ""
    return render(request, "404.html", {"missing_file": missing_file}, status=404)


def error_500(request):
    # Rendered without context processors: they may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


def admin_login(request, extra_context=None):
    """Send /beheer/login/ to the site's own login (allauth: two-step code, shared rate limit).

    The admin's own login form would skip both. A logged-in member without admin rights gets
    403 instead of a redirect back and forth between the two logins.
    """
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

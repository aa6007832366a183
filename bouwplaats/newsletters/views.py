from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bouwplaats.core.errors import DomainError, InvalidInput
from bouwplaats.core.forms import add_domain_error
from bouwplaats.core.pagination import paginate
from bouwplaats.core.views import confirmed, perform, render_confirm

from . import permissions, rendering, selectors, services
from .forms import (
    IssueForm,
    ListChoiceForm,
    ScheduleForm,
    SubscribeForm,
    SubscriberImportForm,
    blocks_format,
)
from .models import Issue, NewsletterList


def _list_or_404(slug: str) -> NewsletterList:
    return get_object_or_404(NewsletterList.objects.select_related("programme"), slug=slug)


def _subscribe_form(request, newsletter_list=None):
    initial = {}
    if request.user.is_authenticated:
        initial = {"email": request.user.email, "name": request.user.full_name}
    prefix = f"list{newsletter_list.pk}" if newsletter_list else None
    return SubscribeForm(initial=initial, prefix=prefix)


def index(request):
    """Show every newsletter with a subscribe form."""
    lists = list(selectors.list_all())
    for newsletter_list in lists:
        newsletter_list.form = _subscribe_form(request, newsletter_list)
    return render(request, "newsletters/index.html", {"lists": lists})


def _list_page(request, newsletter_list, *, form=None, status=200):
    page = paginate(request, selectors.archive(newsletter_list), per_page=20)
    can_manage = permissions.can_manage_list(request.user, newsletter_list)
    drafts = selectors.unsent_issues(newsletter_list, request.user)
    return render(
        request,
        "newsletters/list.html",
        {
            "newsletter_list": newsletter_list,
            "form": form or _subscribe_form(request, newsletter_list),
            "page": page,
            "can_manage": can_manage,
            "drafts": drafts,
        },
        status=status,
    )


def list_detail(request, slug: str):
    """Show a list: what it is, the subscribe form and the archive of sent issues."""
    newsletter_list = _list_or_404(slug)
    return _list_page(request, newsletter_list)


@require_POST
def subscribe(request, slug: str):
    """Start double opt-in for the address in the form."""
    newsletter_list = _list_or_404(slug)
    form = SubscribeForm(request.POST, prefix=f"list{newsletter_list.pk}")
    status = 400
    if form.is_valid():
        try:
            subscribed = services.subscription_start(
                newsletter_list=newsletter_list,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                source="formulier",
                member=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error, {"mail_unavailable": "email"})
            status = error.status_code
        else:
            # "subscribed": the member's own verified address; any other gets the same page.
            return render(
                request,
                "newsletters/subscribe_done.html",
                {"newsletter_list": newsletter_list, "subscribed": subscribed},
            )
    return _list_page(request, newsletter_list, form=form, status=status)


def confirm(request, token: str):
    """Show a confirm button (GET) and confirm the subscription (POST).

    Link scanners follow GET links; only the button press confirms.
    """
    if request.method == "POST":
        try:
            subscription = services.subscription_confirm(token=token)
        except DomainError as error:
            return render(request, "newsletters/token_error.html", {"error": error}, status=400)
        return render(request, "newsletters/confirm_done.html", {"subscription": subscription})
    # Say at once when the link cannot confirm anything, instead of after the button.
    try:
        subscription = services.subscription_from_confirm_token(token)
    except DomainError as error:
        return render(request, "newsletters/token_error.html", {"error": error}, status=400)
    if subscription.status == subscription.Status.CONFIRMED:
        context = {"subscription": subscription, "already": True}
        return render(request, "newsletters/confirm_done.html", context)
    return render(
        request, "newsletters/confirm.html", {"token": token, "subscription": subscription}
    )


@csrf_exempt  # RFC 8058: the mail provider POSTs one-click unsubscribes without a session.
def unsubscribe(request, token: str):
    """Show a confirm page (GET); unsubscribe at once on POST, without login."""
    try:
        if request.method == "POST":
            subscription = services.subscription_unsubscribe(token=token)
            return render(
                request, "newsletters/unsubscribe_done.html", {"subscription": subscription}
            )
        subscription = services.subscription_from_unsubscribe_token(token)
    except DomainError as error:
        return render(request, "newsletters/token_error.html", {"error": error}, status=400)
    return render(
        request, "newsletters/unsubscribe.html", {"subscription": subscription, "token": token}
    )


@login_required
def mine(request):
    """Let a member manage their newsletters ("Mijn nieuwsflitsen")."""
    if request.method == "POST":
        form = ListChoiceForm(request.POST)
        if not form.is_valid():
            raise Http404
        newsletter_list = form.cleaned_data["list"]
        if form.cleaned_data["action"] == "subscribe":
            perform(
                request,
                lambda: services.member_subscribe(
                    user=request.user, newsletter_list=newsletter_list
                ),
                success=_("U bent geabonneerd op de %(list)s.") % {"list": newsletter_list},
            )
        else:
            perform(
                request,
                lambda: services.member_unsubscribe(
                    user=request.user, newsletter_list=newsletter_list
                ),
                success=_("U bent afgemeld voor de %(list)s.") % {"list": newsletter_list},
            )
        return redirect("newsletters:mine")
    subscriptions = selectors.member_subscriptions(request.user)
    rows = [
        {"list": newsletter_list, "subscription": subscriptions.get(newsletter_list.pk)}
        for newsletter_list in NewsletterList.objects.select_related("programme")
    ]
    return render(request, "newsletters/mine.html", {"rows": rows})


def issue_detail(request, slug: str, pk: int):
    """Show a sent issue as a public web page."""
    issue = get_object_or_404(
        Issue.objects.select_related("newsletter_list__programme"),
        pk=pk,
        newsletter_list__slug=slug,
    )
    if not permissions.can_view_issue(request.user, issue):
        raise Http404
    if issue.status != Issue.Status.SENT:
        # The team reads a draft on its own page, with the sending controls.
        return redirect("newsletters:manage", pk=issue.pk)
    return render(
        request,
        "newsletters/issue.html",
        {
            "issue": issue,
            "newsletter_list": issue.newsletter_list,
            "agenda": rendering.agenda_for_template(issue.agenda),
            "intro": issue.intro,
        },
    )


def _managed_issue(request, pk: int) -> Issue:
    issue = get_object_or_404(Issue.objects.select_related("newsletter_list__programme"), pk=pk)
    if not permissions.can_manage_list(request.user, issue.newsletter_list):
        raise PermissionDenied(_("Alleen het programmateam beheert de nieuwsflits."))
    return issue


def _issue_form_save(request, form, *, newsletter_list=None, issue=None):
    data = form.cleaned_data
    fields = {
        "subject": data["subject"],
        "intro": data["intro"],
        "blocks": form.cleaned_blocks(),
        "signature_name": data["signature_name"],
        "signature_role": data["signature_role"],
        "agenda_days": data["agenda_days"],
    }
    if issue is None:
        return services.issue_create(newsletter_list=newsletter_list, user=request.user, **fields)
    return services.issue_update(issue=issue, user=request.user, **fields)


@login_required
def issue_new(request, slug: str):
    """Write a new issue (programme team)."""
    newsletter_list = _list_or_404(slug)
    if not permissions.can_manage_list(request.user, newsletter_list):
        raise PermissionDenied(_("Alleen het programmateam schrijft de nieuwsflits."))
    last = newsletter_list.issues.order_by("-created_at").first()
    form = IssueForm(
        request.POST or None,
        initial={
            "signature_name": last.signature_name if last else request.user.full_name,
            "signature_role": last.signature_role if last else request.user.function,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = _issue_form_save(request, form, newsletter_list=newsletter_list)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De nieuwsflits is opgeslagen als concept."))
            return redirect("newsletters:manage", pk=issue.pk)
    return render(
        request,
        "newsletters/issue_form.html",
        {"form": form, "newsletter_list": newsletter_list, "issue": None},
    )


@login_required
def issue_edit(request, pk: int):
    """Change a draft issue (programme team)."""
    issue = _managed_issue(request, pk)
    if issue.status != Issue.Status.DRAFT:
        messages.error(request, _("Een verzonden nieuwsflits kan niet meer worden gewijzigd."))
        return redirect("newsletters:manage", pk=issue.pk)
    # A copy: a refused form must not change the issue the page shows.
    form = IssueForm(
        request.POST or None,
        instance=Issue.objects.get(pk=issue.pk),
        initial={"blocks": blocks_format(issue.blocks)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _issue_form_save(request, form, issue=issue)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("De nieuwsflits is opgeslagen."))
            return redirect("newsletters:manage", pk=issue.pk)
    return render(
        request,
        "newsletters/issue_form.html",
        {"form": form, "newsletter_list": issue.newsletter_list, "issue": issue},
    )


@login_required
def issue_manage(request, pk: int):
    """Show an issue to the team: agenda, recipients, test, send and progress."""
    issue = _managed_issue(request, pk)
    return render(
        request,
        "newsletters/manage.html",
        {
            "issue": issue,
            "newsletter_list": issue.newsletter_list,
            "agenda": rendering.agenda_for_template(selectors.issue_agenda(issue)),
            "recipient_count": selectors.issue_recipient_count(issue, request.user),
            "progress": selectors.issue_progress(issue),
            "schedule_form": ScheduleForm(),
            "intro": rendering.without_opening(issue.intro),
            # As a subscriber gets it: the personal greeting, here with the reader's name.
            "preview_greeting": rendering.greeting(request.user.full_name),
        },
    )


@login_required
def issue_preview(request, pk: int):
    """Show the text version and a link to the HTML version of the mail."""
    issue = _managed_issue(request, pk)
    rendered = rendering.issue_render(issue)
    text, _html = rendered.personalise(name=request.user.full_name, token="voorbeeld")
    return render(
        request,
        "newsletters/preview.html",
        {"issue": issue, "newsletter_list": issue.newsletter_list, "text": text},
    )


@login_required
def issue_preview_html(request, pk: int):
    """Return the HTML version of the mail exactly as subscribers get it."""
    issue = _managed_issue(request, pk)
    rendered = rendering.issue_render(issue)
    _text, body = rendered.personalise(name=request.user.full_name, token="voorbeeld")
    return HttpResponse(body)


@login_required
@require_POST
def issue_test(request, pk: int):
    """Send the issue to the team member themself."""
    issue = _managed_issue(request, pk)
    perform(
        request,
        lambda: services.issue_send_test(issue=issue, user=request.user),
        success=_("Er is een testversie verstuurd naar %(email)s.") % {"email": request.user.email},
    )
    return redirect("newsletters:manage", pk=issue.pk)


@login_required
def issue_send(request, pk: int):
    """Ask to confirm (with the recipient count), then start sending to every subscriber."""
    issue = _managed_issue(request, pk)
    if confirmed(request):
        perform(
            request,
            lambda: services.issue_send(issue=issue, user=request.user),
            success=_("De nieuwsflits wordt verzonden."),
        )
        return redirect("newsletters:manage", pk=issue.pk)
    count = selectors.issue_recipient_count(issue, request.user)
    return render_confirm(
        request,
        title=_("„%(subject)s” nu verzenden?") % {"subject": issue.subject},
        consequences=[
            ngettext(
                "De nieuwsflits gaat nu naar %(n)s bevestigde abonnee.",
                "De nieuwsflits gaat nu naar %(n)s bevestigde abonnees.",
                count,
            )
            % {"n": count},
            _("Een verzonden nieuwsflits kan niet meer worden gewijzigd of teruggehaald."),
        ],
        yes_label=ngettext(
            "Ja, verzend naar %(n)s abonnee", "Ja, verzend naar %(n)s abonnees", count
        )
        % {"n": count},
        back_url=reverse("newsletters:manage", kwargs={"pk": issue.pk}),
    )


@login_required
@require_POST
def issue_schedule(request, pk: int):
    """Have the issue go out by itself at a date and time, or withdraw that."""
    issue = _managed_issue(request, pk)
    if request.POST.get("withdraw"):
        perform(
            request,
            lambda: services.issue_schedule(issue=issue, user=request.user, at=None),
            success=_("De geplande verzending is ingetrokken."),
        )
        return redirect("newsletters:manage", pk=issue.pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een datum en een tijd."))
        return redirect("newsletters:manage", pk=issue.pk)
    at = form.moment()
    try:
        services.issue_schedule(issue=issue, user=request.user, at=at)
    except InvalidInput as error:
        messages.error(request, next(iter(error.errors.values()))[0])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("De nieuwsflits gaat vanzelf uit op %(when)s.")
            % {"when": date_format(timezone.localtime(at), "l j F Y, H:i")},
        )
    return redirect("newsletters:manage", pk=issue.pk)


@login_required
@require_POST
def issue_resume(request, pk: int):
    """Start the delivery task again after a worker stopped."""
    issue = _managed_issue(request, pk)
    perform(
        request,
        lambda: services.issue_resume(issue=issue, user=request.user),
        success=_("De verzending is hervat."),
    )
    return redirect("newsletters:manage", pk=issue.pk)


@login_required
def issue_progress(request, pk: int):
    """Return the progress bar (polled by htmx every two seconds while sending)."""
    issue = _managed_issue(request, pk)
    return render(
        request,
        "newsletters/_progress.html",
        {"issue": issue, "progress": selectors.issue_progress(issue)},
    )


# The subscriber page of the programme team (issue 15 §11).


def _team_list(request, slug: str) -> NewsletterList:
    newsletter_list = _list_or_404(slug)
    if not permissions.can_view_subscribers(request.user, newsletter_list):
        raise PermissionDenied(_("Alleen het programmateam ziet de abonnees."))
    return newsletter_list


@login_required
def subscribers(request, slug: str):
    """Show the list's subscribers: counts per status, the list, export, import."""
    newsletter_list = _team_list(request, slug)
    form = SubscriberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.subscriptions_import(
                newsletter_list=newsletter_list,
                user=request.user,
                content=form.cleaned_data["file"].read(services.IMPORT_MAX_BYTES + 1),
                source=form.cleaned_data["source"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Import klaar. Toegevoegd: %(added)s. Al op de lijst: %(present)s. Eerder "
                    "afgemeld (niet opnieuw aangemeld): %(unsubscribed)s. Ongeldig: %(invalid)s."
                )
                % counts,
            )
            return redirect("newsletters:subscribers", slug=slug)
    page = paginate(request, selectors.subscribers(newsletter_list), per_page=50)
    return render(
        request,
        "newsletters/subscribers.html",
        {
            "newsletter_list": newsletter_list,
            "counts": selectors.subscriber_counts(newsletter_list),
            "page": page,
            "form": form,
        },
    )


@login_required
def subscribers_export(request, slug: str, fmt: str):
    """Download the subscribers as CSV or XLSX (logged)."""
    newsletter_list = _team_list(request, slug)
    try:
        content, content_type, name = services.subscribers_export(
            newsletter_list=newsletter_list, user=request.user, fmt=fmt
        )
    except DomainError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def subscriber_unsubscribe(request, slug: str, pk: int):
    """Unsubscribe someone on their request, after the confirmation page."""
    newsletter_list = _team_list(request, slug)
    subscription = get_object_or_404(newsletter_list.subscriptions, pk=pk)
    back = reverse("newsletters:subscribers", kwargs={"slug": slug})
    if confirmed(request):
        perform(
            request,
            lambda: services.subscription_unsubscribe_on_request(
                subscription=subscription, user=request.user
            ),
            success=_("%(email)s is afgemeld.") % {"email": subscription.email},
        )
        return redirect(back)
    return render_confirm(
        request,
        title=_("%(email)s afmelden?") % {"email": subscription.email},
        consequences=[
            _(
                "%(email)s ontvangt de %(list)s niet meer. Dit wordt vastgelegd als afmelding "
                "op verzoek."
            )
            % {"email": subscription.email, "list": newsletter_list.name},
        ],  # fmt: skip
        yes_label=_("Ja, meld %(email)s af") % {"email": subscription.email},
        back_url=back,
    )

"""Pages of calls and submissions: thin, they ask permissions/selectors and call one service."""

import datetime
import functools
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from bouwplaats.core.errors import DomainError
from bouwplaats.core.responses import file_response
from bouwplaats.core.uploads import document_label
from bouwplaats.core.views import confirmed, render_confirm
from bouwplaats.programmes.permissions import programmes_with_team_member

from . import selectors, services
from .forms import (
    CallForm,
    EvaluationForm,
    MilestoneForm,
    PilotFilterForm,
    QueueFilterForm,
    ReportForm,
    ReviewForm,
    StatusForm,
    SubmissionForm,
    SupportAnswerForm,
    SupportRequestForm,
)
from .models import (
    Attachment,
    Call,
    HeldDecision,
    Pilot,
    PilotEvaluation,
    ProgressReport,
    Submission,
    round_of,
)
from .permissions import (
    SCORABLE,
    attachments_deletable_by,
    can_delete_attachment,
    can_edit_submission,
    can_manage_call,
    can_manage_pilot,
    can_report_on_pilot,
    can_review_call,
    can_review_submission,
    can_score_submission,
    can_see_reviews,
    is_call_reviewer,
    organisations_user_may_submit_for,
    submit_organisations,
)


def _done(request, form, action, *, success) -> bool:
    """Run the service call ``action`` once ``form`` is valid; say ``success`` or put the
    service's refusal beside its field (nothing is stored then). Return True when done."""
    if not form.is_valid():
        return False
    try:
        action()
    except DomainError as error:
        form.add_domain_error(error)
        return False
    messages.success(request, success)
    return True


def call_list(request):
    """List the calls that are open today (``/oproepen/``); for a programme team also its
    calls that are not open (concepts, closed, not yet open) and "Nieuwe oproep"."""
    calls = list(selectors.open_calls(user=request.user))
    managed = None
    if request.user.is_authenticated and programmes_with_team_member(request.user).exists():
        managed = [c for c in selectors.managed_calls(user=request.user) if not c.is_open()]
    return render(request, "projects/call_list.html", {"calls": calls, "managed": managed})


@login_required
def call_create(request):
    """Let a programme team write a new call (a concept until it is published)."""
    programmes = programmes_with_team_member(request.user)
    if not programmes.exists():
        raise PermissionDenied(_("Alleen een programmateam maakt oproepen."))
    form = CallForm(
        request.POST or None,
        request.FILES or None,
        programmes=programmes.order_by("name"),
        reviewers=selectors.programmes_team_users(programmes),
    )
    made = []

    def create():
        data = form.values()
        made.append(
            services.call_create(
                actor=request.user, programme=form.cleaned_data["programme"], **data
            )
        )

    if request.method == "POST" and _done(
        request, form, create, success=_("De oproep is opgeslagen.")
    ):
        return redirect(made[0])
    return render(request, "projects/call_form.html", {"form": form, "call": None})


@login_required
def call_edit(request, pk: int):
    """Let the programme team change its call: text, dates, questions, criteria, reviewers."""
    call = _call(request, pk)
    if not can_manage_call(request.user, call):
        raise PermissionDenied(_("Alleen het programmateam wijzigt deze oproep."))
    team = selectors.programme_team_users(call.programme)
    form = CallForm(
        request.POST or None,
        request.FILES or None,
        initial=CallForm.initial_from(call),
        reviewers=team,
    )

    def update():
        services.call_update(actor=request.user, call=call, **form.values())

    if request.method == "POST" and _done(
        request, form, update, success=_("De oproep is bijgewerkt.")
    ):
        return redirect(call)
    context = {"form": form, "call": call, "attachments": _attachments(request, call)}
    return render(request, "projects/call_form.html", context)


def _visible(selector, request, pk: int):
    """Return ``selector(user=…, pk=…)``: what the person may see, else 404 (never 403, so
    that nothing says it exists)."""
    try:
        return selector(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _call(request, pk: int) -> Call:
    return _visible(selectors.call_get, request, pk)


def call_detail(request, pk: int):
    """Show a call's text, dates, who may submit, questions and criteria; for members who
    may submit the "Project aanmelden" button, and the submissions they may see."""
    call = _call(request, pk)
    organisations = list(submit_organisations(request.user, call))
    may_manage = can_manage_call(request.user, call)
    is_member = request.user.is_authenticated and (
        organisations_user_may_submit_for(request.user).exists()
    )
    submissions = (
        list(selectors.call_submissions(user=request.user, call=call))
        if request.user.is_authenticated
        else []
    )
    return render(
        request,
        "projects/call_detail.html",
        {
            "call": call,
            "may_submit": bool(organisations),
            "is_verified_member": is_member,
            "submissions": submissions,
            "is_team": can_review_call(request.user, call),
            "may_manage": may_manage,
            "attachments": _attachments(request, call),
        },
    )


def _attachments(request, parent: Call | Submission) -> list[Attachment]:
    """Return the attachments of ``parent``, each with its kind (``label``) and whether
    ``request.user`` may remove it (``can_delete``): two queries, however many there are."""
    attachments = list(parent.attachments.select_related("uploaded_by"))
    deletable = set(
        attachments_deletable_by(request.user, parent.attachments.all()).values_list(
            "pk", flat=True
        )
    )
    for attachment in attachments:
        attachment.label = document_label(attachment.content_type)
        attachment.can_delete = attachment.pk in deletable
    return attachments


def _submit_pressed(request) -> bool:
    return "indienen" in request.POST


@login_required
def submission_create(request, pk: int):
    """Submit a project or case to a call for an organisation (or save it as a draft)."""
    call = _call(request, pk)
    organisations = submit_organisations(request.user, call)
    if not organisations.exists():
        raise PermissionDenied(
            _("U kunt alleen aanmelden als geverifieerd lid van een organisatie die mag meedoen.")
        )
    form = SubmissionForm(
        request.POST or None, request.FILES or None, call=call, organisations=organisations
    )
    submit = _submit_pressed(request)
    made = []

    def create():
        made.append(
            services.submission_create(
                actor=request.user,
                call=call,
                organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                answers=form.answers(),
                milestones=form.cleaned_data["milestones"],
                submit=submit,
                attachments=form.attachments(),
            )
        )

    success = _("Uw aanmelding is ingediend.")
    if not submit:
        success = _("Uw aanmelding is opgeslagen als concept.")
    if request.method == "POST" and _done(request, form, create, success=success):
        return redirect(made[0])
    return render(
        request, "projects/submission_form.html", {"form": form, "call": call, "submission": None}
    )


def _submission(request, pk: int) -> Submission:
    return _visible(selectors.submission_get, request, pk)


@login_required
def submission_detail(request, pk: int):
    """Show a submission with its answers and dated history; the team's next step form."""
    submission = _submission(request, pk)
    may_review = can_review_submission(request.user, submission)
    status_form = StatusForm(submission=submission) if may_review else None
    return render(
        request,
        "projects/submission_detail.html",
        _detail_context(request, submission, status_form),
    )


def _detail_context(request, submission, status_form, review_form=None) -> dict:
    user = request.user
    may_score = can_score_submission(user, submission)
    if may_score and review_form is None:
        own = selectors.own_review(submission, user)
        review_form = ReviewForm(submission=submission, initial=ReviewForm.initial_from(own))
    return {
        "review_form": review_form if may_score else None,
        "own_review": selectors.own_review(submission, user),
        "summary": selectors.review_summary(submission)
        if can_see_reviews(user, submission)
        else None,
        "submission": submission,
        "round": _round(list(submission.call.rounds.all()), submission),
        "attachments": _attachments(request, submission),
        "answers": selectors.answers_by_question(submission),
        "history": list(submission.steps.all()),
        "pilot": submission.pilot if _has_pilot(submission) else None,
        "held": _held(submission) if can_review_submission(request.user, submission) else None,
        "no_score_reason": _no_score_reason(user, submission) if not may_score else "",
        "may_edit": can_edit_submission(request.user, submission),
        "status_form": status_form
        if status_form is not None and status_form.fields["status"].choices
        else None,
    }


def _no_score_reason(user, submission: Submission) -> str:
    """Say why a team member cannot score a submission that is up for scoring: "no_reviewers"
    (the call has none assigned) or "not_reviewer"; "" when the question does not arise."""
    if submission.status not in SCORABLE or not can_review_submission(user, submission):
        return ""
    if not submission.call.reviewers.all():
        return "no_reviewers"
    return "" if is_call_reviewer(user, submission.call) else "not_reviewer"


@login_required
def submission_edit(request, pk: int):
    """Change a draft or complete an incomplete submission, and (re)submit it."""
    submission = _submission(request, pk)
    if not can_edit_submission(request.user, submission):
        raise PermissionDenied(_("U kunt deze aanmelding niet (meer) wijzigen."))
    initial = {
        "title": submission.title,
        "summary": submission.summary,
        "milestones": SubmissionForm.milestones_text(submission.milestones.all()),
    }
    initial.update(
        {services.answer_field(q.pk): text for q, text in selectors.answers_by_question(submission)}
    )
    form = SubmissionForm(
        request.POST or None, request.FILES or None, call=submission.call, initial=initial
    )
    submit = _submit_pressed(request)

    def update():
        services.submission_update(
            actor=request.user,
            submission=submission,
            title=form.cleaned_data["title"],
            summary=form.cleaned_data["summary"],
            answers=form.answers(),
            milestones=form.cleaned_data["milestones"],
            submit=submit,
            attachments=form.attachments(),
        )

    success = _("Uw aanmelding is ingediend.") if submit else _("Uw wijzigingen zijn opgeslagen.")
    if request.method == "POST" and _done(request, form, update, success=success):
        return redirect(submission)
    return render(
        request,
        "projects/submission_form.html",
        {
            "form": form,
            "call": submission.call,
            "submission": submission,
            "attachments": _attachments(request, submission),
        },
    )


def _attachment(request, pk: int) -> Attachment:
    return _visible(selectors.attachment_get, request, pk)


@require_GET
def attachment_download(request, pk: int):
    """Send an attachment of a call or submission to whoever may see that call or submission
    (checked on every request; never a public media URL), as a download in a sandbox."""
    attachment = _attachment(request, pk)
    return file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=attachment.name,
        attachment=True,
    )


@login_required
def attachment_delete(request, pk: int):
    """Ask to confirm, then remove an attachment: its uploader or the programme team."""
    attachment = _attachment(request, pk)
    if not can_delete_attachment(request.user, attachment):
        raise PermissionDenied(
            _("Alleen wie de bijlage plaatste of het programmateam kan haar verwijderen.")
        )
    back = attachment.parent.get_absolute_url()
    if confirmed(request):
        try:
            services.attachment_delete(actor=request.user, attachment=attachment)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("De bijlage ‘%(name)s’ is verwijderd.") % {"name": attachment.name}
            )
        return redirect(back)
    if attachment.submission_id is not None:
        who = _("Wie de aanmelding kan zien, kan de bijlage daarna niet meer openen.")
    else:
        who = _("Wie de oproep bekijkt, kan de bijlage daarna niet meer openen.")
    return render_confirm(
        request,
        title=_("Bijlage verwijderen?"),
        consequences=[
            _("U verwijdert ‘%(name)s’ bij ‘%(parent)s’.")
            % {"name": attachment.name, "parent": attachment.parent},
            who,
            _("Dit kunt u niet ongedaan maken."),
        ],
        yes_label=_("Ja, verwijder de bijlage"),
        back_url=back,
    )


@login_required
@require_POST
def submission_status(request, pk: int):
    """Take the programme team's next step (status, reason, contact) on a submission."""
    submission = _submission(request, pk)
    if not can_review_submission(request.user, submission):
        raise PermissionDenied(_("Alleen het programmateam beoordeelt aanmeldingen."))
    form = StatusForm(request.POST, submission=submission)
    hold = form.is_valid() and form.cleaned_data["hold"]

    def step():
        data = dict(form.cleaned_data)
        service = services.decision_hold if data.pop("hold") else services.submission_set_status
        service(actor=request.user, submission=submission, **data)

    success = (
        _("Het besluit is vastgehouden; verstuur het vanuit de beoordelingslijst.")
        if hold
        else _("De status is gewijzigd en de indiener krijgt bericht.")
    )
    if _done(request, form, step, success=success):
        return redirect(submission)
    return render(
        request,
        "projects/submission_detail.html",
        _detail_context(request, submission, form),
        status=422,
    )


@login_required
@require_POST
def review_save(request, pk: int):
    """Store the reviewer's scores per criterion; the others' show once this one is saved."""
    submission = _submission(request, pk)
    if not can_score_submission(request.user, submission):
        raise PermissionDenied(_("Alleen de beoordelaars van de oproep scoren deze aanmelding."))
    form = ReviewForm(request.POST, submission=submission)

    def save():
        services.review_save(
            actor=request.user,
            submission=submission,
            scores=form.scores(),
            note=form.cleaned_data["note"],
            confidence=form.cleaned_data["confidence"],
        )

    if _done(request, form, save, success=_("Uw beoordeling is opgeslagen.")):
        return redirect(submission)
    context = _detail_context(request, submission, _status_form(request, submission), form)
    return render(request, "projects/submission_detail.html", context, status=422)


def _status_form(request, submission):
    return (
        StatusForm(submission=submission)
        if can_review_submission(request.user, submission)
        else None
    )


@login_required
@require_POST
def review_conflict(request, pk: int):
    """Declare a conflict of interest in one click: the submission is closed to the reviewer."""
    submission = _submission(request, pk)
    if not can_score_submission(request.user, submission):
        raise PermissionDenied(_("Alleen de beoordelaars van de oproep scoren deze aanmelding."))
    services.review_declare_conflict(actor=request.user, submission=submission)
    messages.success(
        request,
        _("Belangenverstrengeling gemeld bij ‘%(title)s’: u ziet deze aanmelding niet meer.")
        % {"title": submission.title},
    )
    return redirect(submission.call)


def _round(rounds, submission: Submission):
    """Return the review round of a rolling call that ``submission`` falls in, if any."""
    if submission.submitted_at is None:
        return None
    return round_of(rounds, timezone.localdate(submission.submitted_at))


def _held(submission: Submission):
    try:
        return submission.held_decision
    except HeldDecision.DoesNotExist:
        return None


def _has_pilot(submission: Submission) -> bool:
    try:
        return submission.pilot is not None
    except Pilot.DoesNotExist:
        return False


def _pilot_form(view):
    """Take a pilot page's form by POST; any other method (a refused form's address reloaded
    from the history, bookmarked or shared) is sent to the pilot's page instead of a 405."""

    @functools.wraps(view)
    def wrapped(request, pk: int, *args, **kwargs):
        if request.method != "POST":
            return redirect("pilots:detail", pk=pk)
        return view(request, pk, *args, **kwargs)

    return wrapped


def _pilot_page(view):
    """Answer a pilot page's 404 (no such pilot, or one the member may not see: the same
    answer, permissions' rule) with the pilots' own page: who sees a pilot, a way back."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return render(request, "projects/pilot_not_found.html", status=404)

    return wrapped


PILOTS_PER_PAGE = 20


def pilot_list(request):
    """List the pilots the viewer may see (``/pilots/``; permissions.pilots_visible_to, as the
    API's ``GET /pilots``): status of the last report, organisation, call and next milestone,
    filtered by status, call and words, paged. A visitor is asked to log in."""
    user = request.user
    calls = list(selectors.pilot_calls(user=user)) if user.is_authenticated else []
    form = PilotFilterForm(request.GET or None, calls=calls)
    filters = form.filters() if form.is_bound else {}
    number = form.page_number() if form.is_bound else None
    # A page past the last shows the last one (as everywhere); a refused one the first.
    page = Paginator(selectors.pilot_page_list(user=user, **filters), PILOTS_PER_PAGE).get_page(
        number or 1
    )
    pilots = selectors.with_next_milestones(list(page.object_list))
    now = timezone.now()
    labels = dict(ProgressReport.Status.choices)
    for pilot in pilots:
        pilot.overdue = selectors.report_overdue(pilot, now)
        pilot.status_label = labels.get(pilot.last_status, "")
    context = {
        "form": form,
        "page": page,
        "pilots": pilots,
        "filtered": any(filters.values()),
        # Carried to a pilot's page, so that its way back keeps the filters and the page
        # (the ones taken: a refused value is not carried along on every card).
        "back_query": _list_query(filters, page.number),
        "today": timezone.localdate(),
    }
    return render(request, "projects/pilot_list.html", context)


def _list_query(filters: dict, number: int) -> str:
    """Return the pilots list's query string of ``filters`` (pilots_filtered's arguments) and
    page ``number``."""
    query = QueryDict(mutable=True)
    values = {"status": filters.get("status"), "oproep": filters.get("call_id"),
              "q": filters.get("q"), "page": number if number > 1 else None}  # fmt: skip
    for name, value in values.items():
        if value:
            query[name] = str(value)
    return query.urlencode()


def _back_to_list(request) -> str:
    """Return the pilots list's address to go back to: with the filters and page it came
    from (``?lijst=`` of the page, or of the safe ``next`` a refused form posted), parsed and
    encoded again so that nothing else rides along."""
    url = reverse("pilots:list")
    lijst = request.GET.get("lijst", "")
    if not lijst and request.method == "POST":
        lijst = QueryDict(urlsplit(_safe_next(request)).query).get("lijst", "")
    kept = QueryDict(lijst[:1000])
    query = QueryDict(mutable=True)
    for name in ("status", "oproep", "q", "page"):
        if kept.get(name):
            query[name] = kept[name][:200]
    return f"{url}?{query.urlencode()}" if query else url


def _safe_next(request, pilot: Pilot | None = None) -> str:
    """Return the posted ``next`` (the pilot's page with the list's ``?lijst=``) when it is
    a local address (url_has_allowed_host_and_scheme) of this pilot's page, else ""."""
    url = request.POST.get("next", "")
    if len(url) > 2000 or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    path = urlsplit(url).path
    if pilot is not None and path != pilot.get_absolute_url():
        return ""
    return url


def _to_pilot(request, pilot: Pilot):
    """Redirect after a form on the pilot's page was taken: back to that page as it was
    reached (with the list's filters and page for its way back), post/redirect/get."""
    return redirect(_safe_next(request, pilot) or pilot.get_absolute_url())


@login_required
@_pilot_page
def pilot_detail(request, pk: int):
    """Show a pilot: milestones (original and current date side by side) and progress reports,
    the last status with its age, flagged when the next report is overdue."""
    pilot = _pilot(request, pk)
    return render(request, "projects/pilot_detail.html", _pilot_context(request, pilot))


def _pilot(request, pk: int) -> Pilot:
    return _visible(selectors.pilot_get, request, pk)


def _may_plan(user, pilot) -> bool:
    return can_report_on_pilot(user, pilot) or can_manage_pilot(user, pilot)


def _pilot_context(request, pilot, form=None, milestone_form=None, **forms) -> dict:
    """Return the pilot page's context; ``forms`` replaces a form that came back refused
    (``support_form``, ``answer_forms`` {request id: form}, ``evaluation_form``)."""
    user = request.user
    team = can_report_on_pilot(user, pilot)
    manager = can_manage_pilot(user, pilot)
    if form is None and team:
        form = ReportForm()
    if milestone_form is None and (team or manager):
        milestone_form = MilestoneForm(pilot=pilot)
    requests = list(pilot.support_requests.all())
    answer_forms = forms.get("answer_forms", {})
    if manager:
        for support in requests:
            support.answer_form = answer_forms.get(support.pk) or SupportAnswerForm(
                instance=support, prefix=f"hulp{support.pk}"
            )
    evaluation = _evaluation(pilot)
    evaluation_form = forms.get("evaluation_form")
    if evaluation_form is None and (team or manager):
        evaluation_form = EvaluationForm(instance=evaluation)
    return {
        "pilot": pilot,
        "back_url": _back_to_list(request),
        # Posted back by each form: after it, the page comes back with the list's filters.
        "next_url": _safe_next(request, pilot)
        if request.method == "POST"
        else (request.get_full_path()),
        "milestone_form": milestone_form,
        "report_form": form,
        "reports": list(pilot.reports.all()),
        "overdue": selectors.report_overdue(pilot),
        # timesince says "0 minuten" for the first minute.
        "report_just_now": pilot.last_report_at is not None
        and timezone.now() - pilot.last_report_at < datetime.timedelta(minutes=1),
        "due_at": pilot.report_due_at(pilot.last_report_at),
        "support_requests": requests,
        "support_form": forms.get("support_form") or (SupportRequestForm() if team else None),
        "evaluation": evaluation,
        "evaluation_form": evaluation_form,
    }


def _evaluation(pilot: Pilot):
    try:
        return pilot.evaluation
    except PilotEvaluation.DoesNotExist:
        return None


@login_required
@_pilot_form
@_pilot_page
def pilot_report(request, pk: int):
    """File a progress report for the pilot (the pilot's team)."""
    pilot = _pilot(request, pk)
    if not can_report_on_pilot(request.user, pilot):
        raise PermissionDenied(_("Alleen het team van de pilot rapporteert de voortgang."))
    form = ReportForm(request.POST)

    def report():
        services.progress_report_create(actor=request.user, pilot=pilot, **form.cleaned_data)

    if _done(request, form, report, success=_("Uw voortgangsrapportage is opgeslagen.")):
        return _to_pilot(request, pilot)
    context = _pilot_context(request, pilot, form=form)
    return render(request, "projects/pilot_detail.html", context, status=422)


@login_required
@_pilot_form
@_pilot_page
def pilot_milestone(request, pk: int):
    """Re-plan a milestone (new date with its reason) or set its status."""
    pilot = _pilot(request, pk)
    if not _may_plan(request.user, pilot):
        raise PermissionDenied(_("Alleen het team van de pilot of het programmateam plant."))
    form = MilestoneForm(request.POST, pilot=pilot)

    def plan():
        services.milestone_update(
            actor=request.user,
            milestone=form.cleaned_data["milestone"],
            current=form.cleaned_data["current"],
            status=form.cleaned_data["status"] or None,
            reason=form.cleaned_data["reason"],
        )

    if _done(request, form, plan, success=_("De mijlpaal is bijgewerkt.")):
        return _to_pilot(request, pilot)
    context = _pilot_context(request, pilot, milestone_form=form)
    return render(request, "projects/pilot_detail.html", context, status=422)


@login_required
@_pilot_form
@_pilot_page
def pilot_support(request, pk: int):
    """Ask the programme team for support (begeleiding, advies, bemiddeling): the pilot team."""
    pilot = _pilot(request, pk)
    if not can_report_on_pilot(request.user, pilot):
        raise PermissionDenied(_("Alleen het team van de pilot vraagt om ondersteuning."))
    form = SupportRequestForm(request.POST)

    def ask():
        services.support_request_create(actor=request.user, pilot=pilot, **form.cleaned_data)

    success = _("Uw hulpvraag is verstuurd naar het programmateam.")
    if _done(request, form, ask, success=success):
        return _to_pilot(request, pilot)
    context = _pilot_context(request, pilot, support_form=form)
    return render(request, "projects/pilot_detail.html", context, status=422)


@login_required
@_pilot_form
@_pilot_page
def support_answer(request, pk: int, request_pk: int):
    """Set a support request's status and answer: the programme team."""
    pilot = _pilot(request, pk)
    support = pilot.support_requests.filter(pk=request_pk).first()
    if support is None:
        raise Http404
    if not can_manage_pilot(request.user, pilot):
        raise PermissionDenied(_("Alleen het programmateam beantwoordt hulpvragen."))
    form = SupportAnswerForm(request.POST, instance=support, prefix=f"hulp{support.pk}")

    def answer():
        services.support_request_answer(
            actor=request.user, support_request=support, **form.cleaned_data
        )

    if _done(request, form, answer, success=_("De hulpvraag is bijgewerkt.")):
        return _to_pilot(request, pilot)
    pilot = _pilot(request, pk)  # fresh: the refused form changed its instance in memory
    context = _pilot_context(request, pilot, answer_forms={support.pk: form})
    return render(request, "projects/pilot_detail.html", context, status=422)


@login_required
@_pilot_form
@_pilot_page
def pilot_evaluation(request, pk: int):
    """Write the pilot's evaluation in the fixed form: the pilot's team or the programme team."""
    pilot = _pilot(request, pk)
    if not _may_plan(request.user, pilot):
        raise PermissionDenied(_("Alleen het team van de pilot of het programmateam evalueert."))
    form = EvaluationForm(request.POST, instance=_evaluation(pilot))

    def save():
        services.evaluation_save(actor=request.user, pilot=pilot, **form.cleaned_data)

    if _done(request, form, save, success=_("De evaluatie is opgeslagen.")):
        return _to_pilot(request, pilot)
    pilot = _pilot(request, pk)
    context = _pilot_context(request, pilot, evaluation_form=form)
    return render(request, "projects/pilot_detail.html", context, status=422)


@login_required
def review_queue(request, pk: int):
    """List a call's submissions for its programme team, fewest reviews first, with filters;
    "Volgende" opens the one with the fewest reviews that the reviewer has not scored yet."""
    call = _call(request, pk)
    if not can_review_call(request.user, call):
        raise PermissionDenied(_("Alleen het programmateam beoordeelt aanmeldingen."))
    rounds = list(call.rounds.all())
    form = QueueFilterForm(request.GET or None, rounds=rounds)
    submissions = list(
        selectors.review_queue(
            user=request.user, call=call, **(form.filters() if form.is_bound else {})
        )
    )
    for submission in submissions:
        submission.round = _round(rounds, submission)
    reviewer = is_call_reviewer(request.user, call)
    next_up = None
    if reviewer:
        next_up = (
            selectors.review_queue(user=request.user, call=call, reviewed_by_me=False)
            .filter(status__in=["ingediend", "in_behandeling"])
            .first()
        )
    return render(
        request,
        "projects/review_queue.html",
        {"call": call, "form": form, "submissions": submissions, "next_up": next_up,
         "is_reviewer": reviewer, "held": selectors.held_decisions_count(call=call)},
    )  # fmt: skip


@login_required
@require_POST
def decisions_send(request, pk: int):
    """Send the call's held decisions together: each becomes a dated step, mailed."""
    call = _call(request, pk)
    if not can_review_call(request.user, call):
        raise PermissionDenied(_("Alleen het programmateam verstuurt besluiten."))
    sent = services.decisions_send(actor=request.user, call=call)
    messages.success(
        request,
        ngettext("%(n)s besluit verstuurd.", "%(n)s besluiten verstuurd.", sent) % {"n": sent},
    )
    return redirect("projects:queue", pk=call.pk)

"""REST API for calls and submissions (see API.md): thin, over selectors and services."""

import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.markdown import render_markdown
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.responses import file_response
from bouwplaats.core.schemas import DbId, PlausibleDate, model_field
from bouwplaats.programmes.models import Programme

from . import selectors, services
from .models import (
    Attachment,
    Call,
    CallCriterion,
    CallQuestion,
    CallRound,
    MilestoneReplan,
    Pilot,
    PilotEvaluation,
    PilotMilestone,
    ProgressReport,
    Review,
    ReviewScore,
    Submission,
    SubmissionAnswer,
    SubmissionMilestone,
    SubmissionStep,
    SupportRequest,
)
from .permissions import (
    can_edit_submission,
    can_review_submission,
    can_see_reviews,
    pilots_visible_to,
)

router = Router(tags=["calls"])


def _member(request):
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in met een API-sleutel."), status_code=401)
    return request.user


# Calls -----------------------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    text: str
    help_text: str
    required: bool


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int


class CallOut(Schema):
    id: int
    title: str
    programme: int = Field(..., alias="programme_id")
    programme_name: str
    opens_on: datetime.date
    closes_on: datetime.date | None
    rolling: bool
    organisation_kinds: list[str]
    is_open: bool
    url: str

    @staticmethod
    def resolve_programme_name(obj):
        return obj.programme.name

    @staticmethod
    def resolve_is_open(obj):
        return obj.is_open()

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.get_absolute_url()


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int = Field(..., description="bytes")
    created_at: datetime.datetime
    download_url: str = Field(..., description="checks access on every request")

    @staticmethod
    def resolve_download_url(obj):
        if obj.submission_id is not None:
            kwargs = {"submission_id": obj.submission_id, "attachment_id": obj.pk}
            return settings.SITE_URL + reverse("api-v1:submission_attachment", kwargs=kwargs)
        kwargs = {"call_id": obj.call_id, "attachment_id": obj.pk}
        return settings.SITE_URL + reverse("api-v1:call_attachment", kwargs=kwargs)


class RoundOut(Schema):
    id: int
    name: str
    closes_on: datetime.date


class CallDetailOut(CallOut):
    text: str
    html: str
    repair_days: int
    questions: list[QuestionOut]
    criteria: list[CriterionOut]
    rounds: list[RoundOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_rounds(obj):
        return list(obj.rounds.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_html(obj):
        return render_markdown(obj.text)

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())

    @staticmethod
    def resolve_criteria(obj):
        return list(obj.criteria.all())


@router.get("/calls", response=list[CallOut])
@paginate(LimitOffsetPagination)
def list_calls(request):
    """Return the calls open today, closing first (rolling calls last)."""
    return selectors.open_calls(user=request.user)


def _call(request, call_id: int) -> Call:
    try:
        return selectors.call_get(user=request.user, pk=call_id)
    except Call.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/calls/{call_id}", response=CallDetailOut)
def get_call(request, call_id: DbId):
    """Return one call with its text (Markdown and sanitised HTML), questions and criteria."""
    return _call(request, call_id)


class QuestionIn(Schema):
    text: model_field(CallQuestion, "text")
    required: bool = True


class CriterionIn(Schema):
    name: model_field(CallCriterion, "name")
    weight: model_field(CallCriterion, "weight") = 1


class RoundIn(Schema):
    name: model_field(CallRound, "name")
    closes_on: PlausibleDate


class CallPatch(Schema):
    title: model_field(Call, "title") = None
    text: model_field(Call, "text") = None
    opens_on: PlausibleDate = None
    closes_on: PlausibleDate | None = None
    rolling: bool = None
    organisation_kinds: Annotated[list[str], Field(max_length=20)] = None
    repair_days: model_field(Call, "repair_days") = None
    published: bool = None
    questions: Annotated[list[QuestionIn], Field(max_length=services.MAX_PARTS)] = None
    criteria: Annotated[list[CriterionIn], Field(max_length=services.MAX_PARTS)] = None
    rounds: Annotated[list[RoundIn], Field(max_length=services.MAX_PARTS)] = Field(
        None, description="review rounds of a rolling call: name and closing date"
    )


class CallIn(CallPatch):
    programme: DbId
    title: model_field(Call, "title")
    text: model_field(Call, "text")
    opens_on: PlausibleDate
    rolling: bool = False
    organisation_kinds: Annotated[list[str], Field(max_length=20)]
    repair_days: model_field(Call, "repair_days") = 14
    published: bool = False
    questions: Annotated[list[QuestionIn], Field(max_length=services.MAX_PARTS)] = []
    criteria: Annotated[list[CriterionIn], Field(max_length=services.MAX_PARTS)] = []
    rounds: Annotated[list[RoundIn], Field(max_length=services.MAX_PARTS)] = []


def _parts(payload: CallPatch) -> dict:
    parts = {}
    if payload.questions is not None:
        parts["questions"] = [(q.text, q.required) for q in payload.questions]
    if payload.criteria is not None:
        parts["criteria"] = [(c.name, c.weight) for c in payload.criteria]
    if payload.rounds is not None:
        parts["rounds"] = [(r.name, r.closes_on) for r in payload.rounds]
    return parts


@router.post("/calls", response={201: CallDetailOut})
def create_call(request, payload: CallIn):
    """Create a call for ``programme`` (its team only: 403); 422 naming the refused field,
    ``questions`` or ``criteria`` (the message names the line), as the page does."""
    member = _member(request)
    programme = Programme.objects.filter(pk=payload.programme).first()
    if programme is None:
        raise InvalidInput({"programme": [_("Onbekend programma.")]})
    values = {name: getattr(payload, name) for name in services.CALL_FIELDS}
    call = services.call_create(actor=member, programme=programme, **values, **_parts(payload))
    return Status(201, selectors.call_get(user=member, pk=call.pk))


@router.patch("/calls/{call_id}", response=CallDetailOut)
def update_call(request, call_id: DbId, payload: CallPatch):
    """Change a call (its programme's team only: 403); fields left out stay as they are;
    ``questions``/``criteria`` given replace the lists in order (a used one is never removed)."""
    member = _member(request)
    call = _call(request, call_id)
    given = payload.model_dump(exclude_unset=True)
    values = {name: given.get(name, getattr(call, name)) for name in services.CALL_FIELDS}
    services.call_update(actor=member, call=call, **values, **_parts(payload))
    return _call(request, call_id)


# Submissions ---------------------------------------------------------------------------------


class AnswerIn(Schema):
    question: DbId
    text: model_field(SubmissionAnswer, "text") = ""


class MilestoneIn(Schema):
    title: model_field(SubmissionMilestone, "title")
    planned: PlausibleDate


class MilestoneOut(Schema):
    title: str
    planned: datetime.date


class SubmissionIn(Schema):
    title: model_field(Submission, "title")
    organisation: DbId
    summary: model_field(Submission, "summary") = ""
    answers: Annotated[list[AnswerIn], Field(max_length=100)] = []
    milestones: Annotated[
        list[MilestoneIn], Field(max_length=SubmissionMilestone.MAX_PER_SUBMISSION)
    ] = []
    submit: bool = Field(True, description="false saves a draft (status concept)")


class AnswerOut(Schema):
    question: int
    text: str


class StepOut(Schema):
    status: str
    reason: str
    contact: str
    contact_email: str
    at: datetime.datetime

    @staticmethod
    def resolve_contact(obj):
        return obj.contact_name


class OrganisationRef(Schema):
    id: int
    name: str
    kind: str


class SubmissionOut(Schema):
    id: int
    call: int = Field(..., alias="call_id")
    title: str
    organisation: OrganisationRef
    summary: str
    answers: list[AnswerOut]
    status: str
    repair_until: datetime.date | None
    submitted_at: datetime.datetime | None
    milestones: list[MilestoneOut]
    history: list[StepOut]
    pilot: int | None
    attachments: list[AttachmentOut]
    url: str

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_pilot(obj):
        try:
            return obj.pilot.pk
        except Pilot.DoesNotExist:
            return None

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_answers(obj):
        return [
            {"question": question.pk, "text": text}
            for question, text in selectors.answers_by_question(obj)
        ]

    @staticmethod
    def resolve_history(obj):
        return list(obj.steps.all())

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.get_absolute_url()


class SubmissionPatch(Schema):
    status: (
        Literal["ingediend", "onvolledig", "in_behandeling", "toegelaten", "afgewezen"] | None
    ) = Field(None, description="the programme team's next step (with reason)")
    reason: model_field(SubmissionStep, "reason") = ""
    contact: model_field(SubmissionStep, "contact_name") = ""
    contact_email: model_field(SubmissionStep, "contact_email") = ""
    hold: bool = Field(
        False, description="true holds a decision (toegelaten/afgewezen) to send it later"
    )
    title: model_field(Submission, "title") = Field(None, description="the submitter's change")
    summary: model_field(Submission, "summary") = None
    answers: Annotated[list[AnswerIn], Field(max_length=100)] = None
    milestones: Annotated[
        list[MilestoneIn], Field(max_length=SubmissionMilestone.MAX_PER_SUBMISSION)
    ] = None
    submit: bool = Field(
        False, description="true sends a draft, or a completed onvolledig submission, (again)"
    )


CONTENT_FIELDS = {"title", "summary", "answers", "milestones", "submit"}


def _answers(items: list[AnswerIn] | None) -> dict[int, str]:
    answers: dict[int, str] = {}
    for answer in items or []:
        if answer.question in answers:
            raise InvalidInput({"answers": [_("Beantwoord elke vraag één keer.")]})
        answers[answer.question] = answer.text
    return answers


@router.post("/calls/{call_id}/submissions", response={201: SubmissionOut})
def create_submission(request, call_id: DbId, payload: SubmissionIn):
    """Submit a project or case for ``organisation`` (a verified member of it only).

    ``submit: false`` saves a draft. Refusals: 401 visitor, 403 not a verified member of the
    organisation, 422 naming ``call`` (closed), ``organisation`` (kind not admitted, unknown),
    ``title``, ``answer_<question id>`` (required question unanswered),
    ``milestones.<index>.planned`` (a promised date before today; ``index`` from 0) or
    another field.
    """
    member = _member(request)
    call = _call(request, call_id)
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        raise InvalidInput({"organisation": [_("Onbekende organisatie.")]})
    submission = services.submission_create(
        actor=member,
        call=call,
        organisation=organisation,
        title=payload.title,
        summary=payload.summary,
        answers=_answers(payload.answers),
        milestones=[(m.title, m.planned) for m in payload.milestones],
        submit=payload.submit,
    )
    return Status(201, selectors.submission_get(user=member, pk=submission.pk))


def _submission(request, submission_id: int) -> Submission:
    try:
        return selectors.submission_get(user=request.user, pk=submission_id)
    except Submission.DoesNotExist as exc:
        raise Http404 from exc


@router.get("/submissions/{submission_id}", response=SubmissionOut)
def get_submission(request, submission_id: DbId):
    """Return a submission with its answers and dated ``history`` (its submitter, the
    organisation's verified members and, once submitted, the programme team)."""
    _member(request)
    return _submission(request, submission_id)


@router.patch("/submissions/{submission_id}", response=SubmissionOut)
def patch_submission(request, submission_id: DbId, payload: SubmissionPatch):
    """Take the review's next step, or change and (re)submit the submission's content.

    With ``status``: the programme team moves it with ``reason`` and a named ``contact``
    (default the caller); 403 for others, the submitter too; 422 naming ``status`` for a step
    the review does not take, or ``reason``. Without ``status``: a verified member of its
    organisation changes a draft or an onvolledig submission (``title``, ``summary``,
    ``answers``, ``milestones``; fields left out stay) and with ``submit: true`` sends it;
    403 for others; 422 naming the field, ``answer_<question id>`` (a required question
    unanswered) or ``status`` (the hersteltermijn has passed).
    """
    member = _member(request)
    submission = _submission(request, submission_id)
    given = payload.model_dump(exclude_unset=True)
    content = CONTENT_FIELDS & set(given)
    if payload.status is not None:
        if content:
            raise InvalidInput(
                {"status": [_("Zet de status of wijzig de inhoud, niet allebei tegelijk.")]}
            )
        _review(member, submission, payload)
    elif content:
        if not can_edit_submission(member, submission):
            raise NotAllowed(_("U kunt deze aanmelding niet (meer) wijzigen."), code="status")
        services.submission_update(
            actor=member,
            submission=submission,
            title=submission.title if payload.title is None else payload.title,
            summary=submission.summary if payload.summary is None else payload.summary,
            answers=_answers(payload.answers),
            milestones=None
            if payload.milestones is None
            else [(m.title, m.planned) for m in payload.milestones],
            submit=payload.submit,
        )
    else:
        raise InvalidInput({"status": [_("Geef een nieuwe status, of de inhoud die u wijzigt.")]})
    return _submission(request, submission_id)


def _review(member, submission: Submission, payload: SubmissionPatch) -> None:
    if not can_review_submission(member, submission):
        raise NotAllowed(_("Alleen het programmateam beoordeelt aanmeldingen."), code="status")
    service = services.decision_hold if payload.hold else services.submission_set_status
    service(
        actor=member,
        submission=submission,
        status=payload.status,
        reason=payload.reason,
        contact_name=payload.contact,
        contact_email=payload.contact_email,
    )


# Attachments --------------------------------------------------------------------------------


def _attachment(request, attachment_id: int, **parent) -> Attachment:
    try:
        return selectors.attachment_get(user=request.user, pk=attachment_id, **parent)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc


def _download(attachment: Attachment):
    return file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=attachment.name,
        attachment=True,
    )


@router.post("/calls/{call_id}/attachments", response={201: AttachmentOut})
def add_call_attachment(request, call_id: DbId, file: File[UploadedFile | None] = None):
    """Attach a document (multipart field ``file``) to a call: its programme team only (401,
    403). The type is decided by the content, never the name: PDF, Word, Excel, PowerPoint,
    OpenDocument, CSV or plain text (else 415); 413 above the limit; 400 without a file or
    an empty one; 422 naming ``file`` beyond 20 attachments. Nothing is stored then."""
    member = _member(request)
    call = _call(request, call_id)
    return Status(201, services.attachment_add(actor=member, upload=file, call=call))


@router.get("/calls/{call_id}/attachments/{attachment_id}", url_name="call_attachment")
def get_call_attachment(request, call_id: DbId, attachment_id: DbId):
    """The document itself, as a download, for whoever may see the call (else 404)."""
    return _download(_attachment(request, attachment_id, call_id=call_id))


@router.delete("/calls/{call_id}/attachments/{attachment_id}", response={204: None})
def delete_call_attachment(request, call_id: DbId, attachment_id: DbId):
    """Remove a call's attachment: the programme team only (403)."""
    member = _member(request)
    attachment = _attachment(request, attachment_id, call_id=call_id)
    services.attachment_delete(actor=member, attachment=attachment)
    return Status(204, None)


@router.post("/submissions/{submission_id}/attachments", response={201: AttachmentOut})
def add_submission_attachment(request, submission_id: DbId, file: File[UploadedFile | None] = None):
    """Attach a document (multipart field ``file``) to a submission: a verified member of its
    organisation while it is a draft or ``onvolledig`` (else 403; 422 naming ``status`` once
    the call closed or the hersteltermijn passed). Refusals of the file as for a call's."""
    member = _member(request)
    submission = _submission(request, submission_id)
    return Status(201, services.attachment_add(actor=member, upload=file, submission=submission))


@router.get(
    "/submissions/{submission_id}/attachments/{attachment_id}", url_name="submission_attachment"
)
def get_submission_attachment(request, submission_id: DbId, attachment_id: DbId):
    """The document itself, as a download, for whoever may see the submission: its
    organisation's verified members and, once submitted, the programme team (else 404)."""
    _member(request)
    return _download(_attachment(request, attachment_id, submission_id=submission_id))


@router.delete("/submissions/{submission_id}/attachments/{attachment_id}", response={204: None})
def delete_submission_attachment(request, submission_id: DbId, attachment_id: DbId):
    """Remove a submission's attachment: the programme team, or its uploader while the
    submission can still be changed (else 403)."""
    member = _member(request)
    attachment = _attachment(request, attachment_id, submission_id=submission_id)
    services.attachment_delete(actor=member, attachment=attachment)
    return Status(204, None)


class SentOut(Schema):
    sent: int


@router.post("/calls/{call_id}/decisions", response=SentOut)
def send_decisions(request, call_id: DbId):
    """Send the call's held decisions together (programme team, else 403): ``{"sent": n}``."""
    member = _member(request)
    return {"sent": services.decisions_send(actor=member, call=_call(request, call_id))}


# Reviews -------------------------------------------------------------------------------------


class ScoreIn(Schema):
    criterion: DbId
    score: model_field(ReviewScore, "score")


class ReviewIn(Schema):
    scores: Annotated[list[ScoreIn], Field(max_length=100)]
    note: model_field(Review, "note") = Field("", description="for the programme team only")
    confidence: model_field(Review, "confidence") | None = Field(
        None, description="1 weinig, 2 redelijk, 3 zeer zeker"
    )


class SpreadOut(Schema):
    median: float | None
    spread: float | None
    count: int


class CriterionSpreadOut(SpreadOut):
    criterion: int
    name: str
    weight: int


class ReviewLineOut(Schema):
    reviewer: str
    total: float | None
    confidence: int | None
    note: str


class ReviewsOut(Schema):
    criteria: list[CriterionSpreadOut]
    total: SpreadOut
    conflicts: int
    confidence: SpreadOut
    reviews: list[ReviewLineOut]


def _reviews_out(submission: Submission) -> dict:
    summary = selectors.review_summary(submission)
    return {
        "criteria": [
            {"criterion": c.pk, "name": c.name, "weight": c.weight, **vars(stats)}
            for c, stats in summary.criteria
        ],
        "total": vars(summary.total),
        "conflicts": summary.conflicts,
        "confidence": vars(summary.confidence),
        "reviews": [
            {
                "reviewer": line.review.reviewer.display_name,
                "total": line.total,
                "confidence": line.review.confidence,
                "note": line.review.note,
            }
            for line in summary.reviews
        ],
    }


@router.get("/submissions/{submission_id}/reviews", response=ReviewsOut)
def get_reviews(request, submission_id: DbId):
    """Return per criterion and for the weighted total the median, spread (highest − lowest)
    and number of reviews: for the programme team, for an assigned reviewer only after their
    own review (403 before)."""
    member = _member(request)
    submission = _submission(request, submission_id)
    if not can_see_reviews(member, submission):
        raise NotAllowed(_("De scores ziet u nadat u zelf heeft gescoord."), code="reviews")
    return _reviews_out(submission)


@router.post("/submissions/{submission_id}/reviews", response={201: ReviewsOut})
def post_review(request, submission_id: DbId, payload: ReviewIn):
    """Store the caller's score (1–5) for every criterion (again: replaced); assigned reviewers
    only (403). 422 naming ``score_<criterion id>`` (missing), ``scores`` or ``note``."""
    member = _member(request)
    submission = _submission(request, submission_id)
    scores: dict[int, int] = {}
    for item in payload.scores:
        if item.criterion in scores:
            raise InvalidInput({"scores": [_("Geef per criterium één score.")]})
        scores[item.criterion] = item.score
    services.review_save(
        actor=member,
        submission=submission,
        scores=scores,
        note=payload.note,
        confidence=payload.confidence,
    )
    return Status(201, _reviews_out(_submission(request, submission_id)))


class ConflictOut(Schema):
    conflict: bool


@router.post("/submissions/{submission_id}/conflict", response={201: ConflictOut})
def post_conflict(request, submission_id: DbId):
    """Declare a conflict of interest: the caller's scores go and the submission is closed to
    them from now on (404). Assigned reviewers only (403)."""
    member = _member(request)
    submission = _submission(request, submission_id)
    services.review_declare_conflict(actor=member, submission=submission)
    return Status(201, {"conflict": True})


# Pilots --------------------------------------------------------------------------------------


class ReopeningOut(Schema):
    previous: str
    reason: str
    at: datetime.datetime


class PilotMilestoneOut(Schema):
    id: int
    title: str
    planned: datetime.date
    current: datetime.date
    replans: int
    replan_reason: str
    status: str
    reopenings: list[ReopeningOut]

    @staticmethod
    def resolve_reopenings(obj):
        return list(obj.reopenings.all())


class SupportRequestOut(Schema):
    id: int
    kind: str
    question: str
    status: str
    answer: str
    at: datetime.datetime
    answered_at: datetime.datetime | None


class EvaluationOut(Schema):
    outcome: str
    results: str
    went_well: str
    differently: str
    next_steps: str
    at: datetime.datetime


class PilotOut(Schema):
    id: int
    title: str
    programme: int = Field(..., alias="programme_id")
    organisation: OrganisationRef
    submission: int = Field(..., alias="submission_id")
    summary: str
    milestones: list[PilotMilestoneOut]
    report_every_days: int
    last_report_at: datetime.datetime | None
    last_status: str | None
    report_overdue: bool
    support_requests: list[SupportRequestOut]
    evaluation: EvaluationOut | None
    url: str

    @staticmethod
    def resolve_support_requests(obj):
        return list(obj.support_requests.all())

    @staticmethod
    def resolve_evaluation(obj):
        try:
            return obj.evaluation
        except PilotEvaluation.DoesNotExist:
            return None

    @staticmethod
    def resolve_report_overdue(obj):
        return selectors.report_overdue(obj)

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.get_absolute_url()


@router.get("/pilots", response=list[PilotOut], tags=["pilots"])
@paginate(LimitOffsetPagination)
def list_pilots(
    request,
    status: Literal["op_koers", "risico", "achter", "geen"] | None = None,
    call: DbId | None = None,
    q: Annotated[str, Field(max_length=200)] = "",
):
    """Return the pilots the caller may see (their organisations' and their programmes'; a
    visitor none), newest first, as the page ``/pilots/`` lists them. Filters: ``status`` of
    the last report (``geen``: none filed yet), ``call`` (its id), ``q`` (every word in the
    title or the organisation's name, as part of a word or by its Dutch stem as the search
    finds it: "dorpskernen" finds "Dorpskern"). A refused filter answers 422 naming it."""
    return selectors.pilot_list(user=request.user, status=status or "", call_id=call, q=q)


@router.get("/pilots/{pilot_id}", response=PilotOut, tags=["pilots"])
def get_pilot(request, pilot_id: DbId):
    """Return one pilot with its milestones (original and current date, re-plans, status)."""
    _member(request)
    try:
        return selectors.pilot_get(user=request.user, pk=pilot_id)
    except Pilot.DoesNotExist as exc:
        raise Http404 from exc


class ReportIn(Schema):
    status: Literal["op_koers", "risico", "achter"]
    reason: model_field(ProgressReport, "reason")
    text: model_field(ProgressReport, "text") = ""


class ReportOut(Schema):
    id: int
    status: str
    reason: str
    text: str
    at: datetime.datetime


@router.post("/pilots/{pilot_id}/reports", response={201: ReportOut}, tags=["pilots"])
def post_report(request, pilot_id: DbId, payload: ReportIn):
    """File a progress report ``{"status": "op_koers"/"risico"/"achter", "reason", "text"}``:
    the pilot's team only (403); 422 naming ``status`` or ``reason``."""
    member = _member(request)
    try:
        pilot = selectors.pilot_get(user=member, pk=pilot_id)
    except Pilot.DoesNotExist as exc:
        raise Http404 from exc
    report = services.progress_report_create(
        actor=member, pilot=pilot, status=payload.status, reason=payload.reason, text=payload.text
    )
    return Status(201, report)


def _pilot(request, pilot_id: int) -> Pilot:
    try:
        return selectors.pilot_get(user=request.user, pk=pilot_id)
    except Pilot.DoesNotExist as exc:
        raise Http404 from exc


class MilestoneIn(Schema):
    current: PlausibleDate | None = None
    status: model_field(PilotMilestone, "status") | None = None
    reason: model_field(MilestoneReplan, "reason") = ""


@router.patch(
    "/pilots/{pilot_id}/milestones/{milestone_id}", response=PilotMilestoneOut, tags=["pilots"]
)
def patch_milestone(request, pilot_id: DbId, milestone_id: DbId, payload: MilestoneIn):
    """Re-plan a milestone ``{"current": date, "reason"}`` and/or set its ``status``
    (gepland/gereed/vervallen; reopening a finished one needs a ``reason``, recorded in its
    ``reopenings``): the pilot's team or the programme team (403); 404 for whom the pilot is
    hidden; 422 naming ``current``, ``status`` or ``reason``."""
    member = _member(request)
    milestone = _pilot(request, pilot_id).milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    services.milestone_update(
        actor=member, milestone=milestone, current=payload.current, status=payload.status,
        reason=payload.reason,
    )  # fmt: skip
    return PilotMilestone.objects.prefetch_related("reopenings").get(pk=milestone.pk)


class SupportRequestIn(Schema):
    kind: model_field(SupportRequest, "kind")
    question: model_field(SupportRequest, "question")


@router.post(
    "/pilots/{pilot_id}/support-requests", response={201: SupportRequestOut}, tags=["pilots"]
)
def post_support_request(request, pilot_id: DbId, payload: SupportRequestIn):
    """Ask the programme team for support ``{"kind": "begeleiding"/"advies"/"bemiddeling",
    "question"}``: the pilot's team only (403); 422 naming ``kind`` or ``question``."""
    member = _member(request)
    support = services.support_request_create(
        actor=member, pilot=_pilot(request, pilot_id), kind=payload.kind,
        question=payload.question,
    )  # fmt: skip
    return Status(201, support)


class SupportAnswerIn(Schema):
    status: model_field(SupportRequest, "status")
    answer: model_field(SupportRequest, "answer") = ""


@router.patch("/support-requests/{request_id}", response=SupportRequestOut, tags=["pilots"])
def patch_support_request(request, request_id: DbId, payload: SupportAnswerIn):
    """Set a support request's ``status`` (open/in_behandeling/beantwoord) and ``answer``
    (required for beantwoord): the programme team only (403); 404 for whom the pilot is
    hidden."""
    member = _member(request)
    support = (
        SupportRequest.objects.filter(pilot__in=pilots_visible_to(member), pk=request_id)
        .select_related("pilot__programme")
        .first()
    )
    if support is None:
        raise Http404
    return services.support_request_answer(
        actor=member, support_request=support, status=payload.status, answer=payload.answer
    )


class EvaluationIn(Schema):
    outcome: model_field(PilotEvaluation, "outcome")
    results: model_field(PilotEvaluation, "results")
    went_well: model_field(PilotEvaluation, "went_well") = ""
    differently: model_field(PilotEvaluation, "differently") = ""
    next_steps: model_field(PilotEvaluation, "next_steps") = ""


@router.post("/pilots/{pilot_id}/evaluation", response=EvaluationOut, tags=["pilots"])
def put_evaluation(request, pilot_id: DbId, payload: EvaluationIn):
    """Write the pilot's evaluation in the fixed form (replacing an earlier one): the pilot's
    team or the programme team (403); 422 naming the field."""
    member = _member(request)
    return services.evaluation_save(
        actor=member, pilot=_pilot(request, pilot_id), **payload.model_dump()
    )

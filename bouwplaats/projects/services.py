"""Writes on calls and submissions: each validated with the models' rules in one transaction.

Refusals raise :class:`~bouwplaats.core.errors.NotAllowed` (403) when the person may not act,
and :class:`~bouwplaats.core.errors.InvalidInput` (422) naming the field otherwise; nothing is
stored then. Every status step is recorded as a SubmissionStep and mailed to the submitter
after the transaction commits.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.audit import log_action
from bouwplaats.core.background import enqueue_on_commit, enqueue_owed_on_commit
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.uploads import (
    CheckedFile,
    check_document,
    delete_files_on_commit,
    store_with_file,
)
from bouwplaats.core.validation import validate_instance
from bouwplaats.programmes.models import Programme
from bouwplaats.programmes.permissions import programmes_with_team_member

from . import tasks
from .models import (
    Attachment,
    Call,
    HeldDecision,
    MilestoneReopening,
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
    validate_not_past,
)
from .models import today as local_today
from .permissions import (
    can_attach_to_call,
    can_attach_to_submission,
    can_delete_attachment,
    can_edit_submission,
    can_manage_call,
    can_manage_pilot,
    can_report_on_pilot,
    can_review_call,
    can_review_submission,
    can_score_submission,
    can_submit_for,
)
from .reminders import reminder_at

S = Submission.Status

# The steps the programme team may take from each status. The submitter's own steps (submit a
# draft, complete an incomplete one) go through submission_save(submit=True).
REVIEW_STEPS: dict[str, tuple[str, ...]] = {
    S.INGEDIEND: (S.ONVOLLEDIG, S.IN_BEHANDELING, S.AFGEWEZEN),
    S.ONVOLLEDIG: (S.INGEDIEND, S.AFGEWEZEN),
    S.IN_BEHANDELING: (S.ONVOLLEDIG, S.TOEGELATEN, S.AFGEWEZEN),
    S.TOEGELATEN: (),
    S.AFGEWEZEN: (),
    S.CONCEPT: (),
}


def _after_commit(func, *args) -> None:
    # One-off mails (a review step, a support request and its answer), owed through core's
    # outbox; the report reminder is owed through its rows instead (reminders.is_due).
    enqueue_owed_on_commit(func, *args)


def _schedule_report_reminder(pilot: Pilot, last_report_at) -> None:
    """Enqueue the reminder of the pilot's next report for when it is due (reminders.py).

    Backends that cannot defer a task rely on the daily sweep (manage.py
    pilot_report_reminders), which also repeats the reminder while a report is overdue.
    """
    if not tasks.remind_pilot_report.get_backend().supports_defer:
        return
    run_after = reminder_at(pilot, last_report_at)
    enqueue_on_commit(tasks.remind_pilot_report.using(run_after=run_after), pilot.pk)


# Calls -----------------------------------------------------------------------------------------


CALL_FIELDS = (
    "title", "text", "opens_on", "closes_on", "rolling", "organisation_kinds", "repair_days",
    "published",
)  # fmt: skip


@transaction.atomic
def call_create(
    *,
    programme: Programme,
    title: str,
    text: str,
    opens_on: datetime.date,
    closes_on: datetime.date | None = None,
    rolling: bool = False,
    organisation_kinds: list[str],
    repair_days: int = 14,
    published: bool = False,
    questions: Iterable[tuple[str, bool]] = (),
    criteria: Iterable[tuple[str, int]] = (),
    rounds: Iterable[tuple[str, datetime.date]] = (),
    reviewers=(),
    attachments: Sequence[UploadedFile] = (),
    actor=None,
) -> Call:
    """Create a call with its questions ``(text, required)``, criteria ``(name, weight)``,
    reviewers (see call_set_reviewers) and attached documents (see attachment_add for their
    refusals, naming ``file``).

    With ``actor`` (pages, API) only the programme's team may: NotAllowed (code
    ``programme``) otherwise. Raises InvalidInput naming the refused field (``questions``/
    ``criteria`` for theirs, the message naming the line).
    """
    if (
        actor is not None
        and not programmes_with_team_member(actor).filter(pk=programme.pk).exists()
    ):
        raise NotAllowed(
            _("Alleen het programmateam maakt oproepen voor dit programma."), code="programme"
        )
    call = Call(programme=programme)
    # The parameters named in CALL_FIELDS, as given.
    _fill_call(call, locals())
    validate_instance(call)
    if actor is not None:
        # Pages and API; a closed call is still recorded (a migration, a test) without actor.
        _refuse_past_close(call)
    call.save()
    _save_parts(call, "questions", [{"text": t, "required": r} for t, r in questions])
    _save_parts(call, "criteria", [{"name": n, "weight": w} for n, w in criteria])
    _save_rounds(call, rounds)
    if reviewers:
        call_set_reviewers(call=call, reviewers=reviewers)
    _attach(_checked(attachments), actor=actor, call=call)
    _log_call("projects.call.created", actor, call)
    return call


def _log_call(action: str, actor, call: Call) -> None:
    """Record a call's creation or change, after its checks (the title is validated text)."""
    log_action(
        action,
        actor=actor,
        obj=call,
        data={
            "title": call.title,
            "published": call.published,
            "reviewers": sorted(call.reviewers.values_list("pk", flat=True)),
        },
    )


def _refuse_past_close(call: Call) -> None:
    """Refuse a closing date before today (InvalidInput naming ``closes_on``): nobody could
    submit to the call."""
    if call.closes_on is not None and call.closes_on < local_today():
        raise InvalidInput(
            {
                "closes_on": [
                    _("De sluitingsdatum ligt in het verleden; kies vandaag of een latere datum.")
                ]
            }
        )


def _fill_call(call: Call, values: Mapping) -> None:
    for name in CALL_FIELDS:
        value = values[name]
        if name == "organisation_kinds":
            value = list(value) if isinstance(value, list | tuple) else value
        elif isinstance(value, str):
            value = value.strip()
        setattr(call, name, value)


@transaction.atomic
def call_update(
    *,
    actor,
    call: Call,
    title: str,
    text: str,
    opens_on: datetime.date,
    closes_on: datetime.date | None = None,
    rolling: bool = False,
    organisation_kinds: list[str],
    repair_days: int = 14,
    published: bool = False,
    questions: Iterable[tuple[str, bool]] | None = None,
    criteria: Iterable[tuple[str, int]] | None = None,
    rounds: Iterable[tuple[str, datetime.date]] | None = None,
    reviewers=None,
    attachments: Sequence[UploadedFile] = (),
) -> Call:
    """Change a call and (unless None) its questions, criteria (matched by their order) and
    reviewers (see call_set_reviewers).

    A question that has answers, or a criterion that has scores, is changed in place but
    never removed. Raises NotAllowed (code ``call``) unless ``actor`` is on the programme's
    team; InvalidInput naming the refused field (``questions``/``criteria`` for theirs).
    """
    call = Call.objects.select_for_update(of=("self",)).select_related("programme").get(pk=call.pk)
    if not can_manage_call(actor, call):
        raise NotAllowed(_("Alleen het programmateam wijzigt deze oproep."), code="call")
    was = (call.closes_on, call.published)
    _fill_call(call, locals())
    validate_instance(call)
    if call.closes_on != was[0] or (call.published and not was[1]):
        # A new closing date, or publishing: not in the past. An old call's text stays editable.
        _refuse_past_close(call)
    call.save()
    if questions is not None:
        _save_parts(call, "questions", [{"text": t, "required": r} for t, r in questions])
    if criteria is not None:
        _save_parts(call, "criteria", [{"name": n, "weight": w} for n, w in criteria])
    if rounds is not None:
        _save_rounds(call, rounds)
    if reviewers is not None:
        call_set_reviewers(call=call, reviewers=reviewers)
    _attach(_checked(attachments), actor=actor, call=call)
    _log_call("projects.call.updated", actor, call)
    return call


def _save_rounds(call: Call, rounds: Iterable[tuple[str, datetime.date]]) -> None:
    """Store a rolling call's review rounds ``(name, closing date)``.

    Raises InvalidInput naming ``rounds``: rounds on a call that is not rolling, two rounds
    closing on one day, a round closing before the call opens, a new round closing before
    today (a round already stored keeps its date, past or not), or a refused name or date
    (the message names the line).
    """
    rounds = list(rounds)
    if rounds and not call.rolling:
        raise InvalidInput(
            {"rounds": [_("Alleen een doorlopende oproep wordt in rondes beoordeeld.")]}
        )
    dates = [closes_on for _name, closes_on in rounds]
    if len(set(dates)) != len(dates):
        raise InvalidInput({"rounds": [_("Twee rondes sluiten op dezelfde dag.")]})
    stored = set(call.rounds.values_list("closes_on", flat=True))
    for number, closes_on in enumerate(dates, start=1):
        if not isinstance(closes_on, datetime.date):
            continue  # the model's validation names it below
        if closes_on < call.opens_on:
            raise InvalidInput(
                {"rounds": [_("Ronde %(n)s sluit vóór de oproep opent.") % {"n": number}]}
            )
        if closes_on not in stored:
            try:
                validate_not_past(closes_on)
            except ValidationError as exc:
                raise InvalidInput(
                    {"rounds": [_("Ronde %(n)s: %(error)s") % {"n": number,
                                                              "error": exc.messages[0]}]}
                ) from exc  # fmt: skip
    _save_parts(call, "rounds", [{"name": n, "closes_on": d} for n, d in rounds])


PART_LABELS = {
    "questions": _lazy("Vraag"),
    "criteria": _lazy("Criterium"),
    "rounds": _lazy("Ronde"),
}
# A round is not referred to (a submission's round follows from its date): it may go.
PART_IN_USE = {"questions": "answers", "criteria": "scores"}
MAX_PARTS = 50


def _save_parts(call: Call, related: str, values: list[dict]) -> None:
    """Store ``call``'s questions or criteria from ``values`` (field values, in order), reusing
    the existing rows by position. Raises InvalidInput naming ``related`` (with the line's
    number), also for removing a row that answers or scores already use."""
    if len(values) > MAX_PARTS:
        raise InvalidInput({related: [_("Noem ten hoogste %(n)s.") % {"n": MAX_PARTS}]})
    manager = getattr(call, related)
    existing = list(manager.order_by("position", "id"))
    for position, data in enumerate(values):
        row = existing[position] if position < len(existing) else manager.model(call=call)
        for name, value in data.items():
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        row.position = position
        try:
            validate_instance(row, exclude=["call"])
        except InvalidInput as exc:
            raise InvalidInput(
                {related: [_("%(part)s %(n)s: %(error)s")
                           % {"part": PART_LABELS[related], "n": position + 1,
                              "error": exc.message}]}
            ) from exc  # fmt: skip
        row.save()
    for row in existing[len(values) :]:
        if related in PART_IN_USE and getattr(row, PART_IN_USE[related]).exists():
            raise InvalidInput(
                {related: [_("‘%(name)s’ is al gebruikt in aanmeldingen of beoordelingen en "
                             "kan niet weg; wijzig de tekst als het moet.") % {"name": row}]}
            )  # fmt: skip
        row.delete()


# Submissions ---------------------------------------------------------------------------------


def answer_field(question_id: int) -> str:
    """Return the field name of the answer to a question, as errors name it: ``answer_<id>``."""
    return f"answer_{question_id}"


def _check_call(call: Call, organisation: Organisation) -> None:
    if not call.is_open():
        raise InvalidInput(
            {"call": [_("Deze oproep is gesloten: u kunt geen project meer aanmelden.")]}
        )
    if not call.admits_kind(organisation.kind):
        raise InvalidInput(
            {
                "organisation": [
                    _("Organisaties van de soort ‘%(kind)s’ kunnen niet meedoen met deze oproep.")
                    % {"kind": organisation.get_kind_display()}
                ]
            }
        )


def _save_answers(
    submission: Submission, answers: Mapping[int, str], *, submit: bool
) -> list[SubmissionAnswer]:
    """Validate and store ``answers`` {question id: text}; when submitting, require the
    required questions. Raises InvalidInput keyed ``answer_<question id>`` (or ``answers``)."""
    questions = {q.pk: q for q in submission.call.questions.all()}
    unknown = [qid for qid in answers if qid not in questions]
    if unknown:
        raise InvalidInput(
            {"answers": [_("Deze vraag hoort niet bij de oproep: %s.") % unknown[0]]}
        )
    existing = {a.question_id: a for a in submission.answers.all()}
    errors: dict[str, list[str]] = {}
    rows = []
    for qid, question in questions.items():
        answer = existing.get(qid) or SubmissionAnswer(submission=submission, question=question)
        if qid in answers:
            answer.text = (answers[qid] or "").strip()
        try:
            validate_instance(answer, exclude=["submission", "question"])
        except InvalidInput as exc:
            errors[answer_field(qid)] = [m for found in exc.errors.values() for m in found]
            continue
        if submit and question.required and not answer.text:
            errors[answer_field(qid)] = [
                _("Beantwoord deze verplichte vraag: %(question)s") % {"question": question.text}
            ]
        rows.append(answer)
    if errors:
        raise InvalidInput(errors)
    for answer in rows:
        if answer.pk is None and not answer.text:
            continue
        answer.save()
    return rows


def _step(
    submission: Submission,
    *,
    status: str,
    reason: str,
    actor,
    contact_name: str = "",
    contact_email: str = "",
) -> SubmissionStep:
    step = SubmissionStep(
        submission=submission,
        status=status,
        reason=reason,
        contact_name=contact_name,
        contact_email=contact_email,
        by=actor,
        at=timezone.now(),
    )
    validate_instance(step, exclude=["submission"])
    step.save()
    _after_commit(tasks.send_step_mail, step.pk)
    return step


@transaction.atomic
def submission_create(
    *,
    actor,
    call: Call,
    organisation: Organisation,
    title: str,
    summary: str = "",
    answers: Mapping[int, str] | None = None,
    milestones: Sequence[tuple[str, datetime.date]] = (),
    submit: bool = True,
    attachments: Sequence[UploadedFile] = (),
) -> Submission:
    """Make a submission to ``call`` for ``organisation``; a draft unless ``submit``.

    ``attachments`` are checked and stored as attachment_add does (refusals name ``file``).

    Raises NotAllowed (code ``organisation``) unless ``actor`` is a verified member of
    ``organisation``; InvalidInput naming ``call`` (closed), ``organisation`` (kind not
    admitted), a model field, ``answer_<question id>`` (a required question unanswered) or
    ``milestones.<index>.<field>`` (a promised milestone refused, e.g. dated before today).
    """
    if not can_submit_for(actor, organisation):
        raise NotAllowed(
            _("U kunt alleen indienen voor een organisatie waarvan u geverifieerd lid bent."),
            code="organisation",
        )
    _check_call(call, organisation)
    submission = Submission(
        call=call,
        organisation=organisation,
        submitted_by=actor,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
    )
    _save_content(submission, actor, answers, milestones, attachments, submit=submit)
    return submission


def milestone_field(position: int, name: str) -> str:
    """Return the name errors give a promised milestone's field: ``milestones.<index>.<name>``
    (``index`` from 0, in the order given)."""
    return f"milestones.{position}.{name}"


def _save_milestones(
    submission: Submission, milestones: Sequence[tuple[str, datetime.date]] | None
) -> None:
    """Replace the promised milestones ``(title, planned date)``; None leaves them as they are.

    Raises InvalidInput naming ``milestones`` (too many) or ``milestones.<index>.<field>`` for
    each refused title or date (the message names the milestone's number from 1): a promised
    date lies today or later (models.validate_not_past), nothing is stored then.
    """
    if milestones is None:
        return
    milestones = list(milestones)
    if len(milestones) > SubmissionMilestone.MAX_PER_SUBMISSION:
        raise InvalidInput(
            {"milestones": [_("Noem ten hoogste %(n)s mijlpalen.")
                            % {"n": SubmissionMilestone.MAX_PER_SUBMISSION}]}
        )  # fmt: skip
    rows = []
    errors: dict[str, list[str]] = {}
    for position, (title, planned) in enumerate(milestones):
        row = SubmissionMilestone(
            submission=submission, title=(title or "").strip(), planned=planned, position=position
        )
        try:
            validate_instance(row, exclude=["submission"])
        except InvalidInput as exc:
            for name, found in exc.errors.items():
                key = milestone_field(position, "planned" if name == "__all__" else name)
                errors[key] = [_("Mijlpaal %(n)s: %(error)s") % {"n": position + 1, "error": m}
                               for m in found]  # fmt: skip
        rows.append(row)
    if errors:
        raise InvalidInput(errors)
    submission.milestones.all().delete()
    SubmissionMilestone.objects.bulk_create(rows)


@transaction.atomic
def submission_update(
    *,
    actor,
    submission: Submission,
    title: str,
    summary: str = "",
    answers: Mapping[int, str] | None = None,
    milestones: Sequence[tuple[str, datetime.date]] | None = None,
    submit: bool = False,
    attachments: Sequence[UploadedFile] = (),
) -> Submission:
    """Change a draft or an incomplete submission, attach ``attachments`` (as attachment_add);
    with ``submit`` send it (again).

    Completing an incomplete submission after its hersteltermijn is refused. Raises NotAllowed
    or InvalidInput as submission_create does.
    """
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=submission.pk)
    )
    if not can_edit_submission(actor, submission):
        raise NotAllowed(_("U kunt deze aanmelding niet (meer) wijzigen."), code="status")
    _check_still_open(submission)
    submission.title = (title or "").strip()
    submission.summary = (summary or "").strip()
    _save_content(submission, actor, answers, milestones, attachments, submit=submit)
    return submission


def _save_content(
    submission: Submission,
    actor,
    answers: Mapping[int, str] | None,
    milestones: Sequence[tuple[str, datetime.date]] | None,
    attachments: Sequence[UploadedFile],
    *,
    submit: bool,
) -> None:
    """Validate and save the submission's row, answers, milestones and new attachments (their
    files written last); with ``submit`` send it. Raises InvalidInput or DomainError."""
    validate_instance(submission, exclude=["submitted_by"])
    submission.save()
    _save_answers(submission, answers or {}, submit=submit)
    if submit and milestones is None and submission.pk:
        # Sending promises the milestones now: the stored ones are checked as new ones (a
        # draft's date may have passed since it was saved).
        milestones = [(m.title, m.planned) for m in submission.milestones.all()]
    _save_milestones(submission, milestones)
    checked = _checked(attachments)
    if submit:
        _submit(submission, actor=actor)
    _attach(checked, actor=actor, submission=submission)


def _check_still_open(submission: Submission) -> None:
    """Refuse changing a draft to a call that closed (or no longer admits the organisation's
    kind), or completing an onvolledig submission after its hersteltermijn (InvalidInput)."""
    if submission.status == S.CONCEPT:
        _check_call(submission.call, submission.organisation)
    elif submission.repair_until and local_today() > submission.repair_until:
        raise InvalidInput(
            {
                "status": [
                    _("De hersteltermijn is verstreken; neem contact op met het programmateam.")
                ]
            }
        )


def _submit(submission: Submission, *, actor) -> None:
    completing = submission.status == S.ONVOLLEDIG
    submission.status = S.INGEDIEND
    submission.repair_until = None
    if submission.submitted_at is None:
        submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "repair_until", "submitted_at", "updated_at"])
    reason = (_("Aangevuld door %(name)s.") if completing else _("Ingediend door %(name)s.")) % {
        "name": actor.display_name
    }
    _step(submission, status=S.INGEDIEND, reason=reason, actor=actor)
    log_action(
        "projects.submission.completed" if completing else "projects.submission.submitted",
        actor=actor,
        obj=submission,
        data={"status": S.INGEDIEND, "title": submission.title},
    )


@transaction.atomic
def submission_set_status(
    *,
    actor,
    submission: Submission,
    status: str,
    reason: str,
    contact_name: str = "",
    contact_email: str = "",
) -> SubmissionStep:
    """Move ``submission`` to ``status`` with a reason and a named contact (default ``actor``).

    ``onvolledig`` sets the hersteltermijn (today + the call's ``repair_days``). The step is
    mailed to the submitter after commit. Raises NotAllowed (403) unless ``actor`` is on the
    programme team; InvalidInput naming ``status`` (a step the review does not take) or
    ``reason`` (empty or refused).
    """
    submission = _checked_step(actor, submission, status, reason)
    return _apply_step(
        submission,
        actor=actor,
        status=status,
        reason=reason,
        contact_name=(contact_name or "").strip() or actor.display_name,
        contact_email=(contact_email or "").strip() or actor.email,
    )


def _checked_step(actor, submission: Submission, status: str, reason: str) -> Submission:
    """Return ``submission`` locked, once ``actor`` may take the step to ``status``."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call__programme")
        .get(pk=submission.pk)
    )
    if not can_review_submission(actor, submission):
        raise NotAllowed(_("Alleen het programmateam beoordeelt aanmeldingen."), code="status")
    if status not in REVIEW_STEPS.get(submission.status, ()):
        raise InvalidInput(
            {
                "status": [
                    _("Van ‘%(from)s’ kan een aanmelding niet naar ‘%(to)s’.")
                    % {
                        "from": S(submission.status).label,
                        "to": S(status).label if status in S.values else status,
                    }
                ]
            }
        )
    if not (reason or "").strip():
        raise InvalidInput({"reason": [_("Geef een reden: de indiener leest haar.")]})
    return submission


# The audit code of each review step (submission_set_status, decisions_send).
_STEP_ACTIONS = {
    S.INGEDIEND: "projects.submission.submitted",
    S.ONVOLLEDIG: "projects.submission.incomplete",
    S.IN_BEHANDELING: "projects.submission.in_review",
    S.TOEGELATEN: "projects.submission.admitted",
    S.AFGEWEZEN: "projects.submission.declined",
    S.CONCEPT: "projects.submission.drafted",
}


def _apply_step(
    submission: Submission, *, actor, status: str, reason: str, contact_name: str,
    contact_email: str,
) -> SubmissionStep:  # fmt: skip
    submission.status = status
    submission.repair_until = (
        local_today() + datetime.timedelta(days=submission.call.repair_days)
        if status == S.ONVOLLEDIG
        else None
    )
    submission.save(update_fields=["status", "repair_until", "updated_at"])
    # A step taken now replaces a decision that was held.
    HeldDecision.objects.filter(submission=submission).delete()
    if status == S.TOEGELATEN:
        _pilot_from(submission)
    step = _step(
        submission,
        status=status,
        reason=reason.strip(),
        actor=actor,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    # After the step's own checks: a refused reason (a NUL, say) is never put in the log,
    # where PostgreSQL's jsonb could not hold it anyway.
    log_action(
        _STEP_ACTIONS[status],
        actor=actor,
        obj=submission,
        data={"status": status, "reason": step.reason},
    )
    return step


@transaction.atomic
def decision_hold(
    *,
    actor,
    submission: Submission,
    status: str,
    reason: str,
    contact_name: str = "",
    contact_email: str = "",
) -> HeldDecision:
    """Hold a decision (toegelaten/afgewezen) to send it later with the call's others.

    Nothing changes for the submitter until decisions_send. Raises as submission_set_status
    does, and InvalidInput naming ``status`` for a step that is not a decision.
    """
    submission = _checked_step(actor, submission, status, reason)
    if status not in HeldDecision.Status.values:
        raise InvalidInput(
            {"status": [_("Alleen een besluit (toelaten of afwijzen) kan worden vastgehouden.")]}
        )
    held = HeldDecision.objects.filter(submission=submission).first() or HeldDecision(
        submission=submission
    )
    held.status = status
    held.reason = reason.strip()
    held.contact_name = (contact_name or "").strip() or actor.display_name
    held.contact_email = (contact_email or "").strip() or actor.email
    held.by = actor
    held.at = timezone.now()
    validate_instance(held, exclude=["submission", "by"])
    held.save()
    return held


@transaction.atomic
def decisions_send(*, actor, call: Call) -> int:
    """Send every decision held for ``call``'s submissions: each becomes a dated step, mailed.

    Returns how many were sent. A held decision the submission can no longer take stays held.
    Raises NotAllowed unless ``actor`` is on the programme team.
    """
    if not can_review_call(actor, call):
        raise NotAllowed(_("Alleen het programmateam verstuurt besluiten."), code="call")
    sent = 0
    held = (
        HeldDecision.objects.select_for_update(of=("self",))
        .filter(submission__call=call)
        .select_related("submission__call__programme", "by")
        .order_by("at", "id")
    )
    for decision in held:
        submission = decision.submission
        if decision.status not in REVIEW_STEPS.get(submission.status, ()):
            continue
        _apply_step(
            submission,
            actor=decision.by or actor,
            status=decision.status,
            reason=decision.reason,
            contact_name=decision.contact_name,
            contact_email=decision.contact_email,
        )
        sent += 1
    return sent


def _pilot_from(submission: Submission) -> Pilot:
    """Make the admitted submission a pilot with the milestones it promised (no retyping)."""
    pilot = Pilot.objects.create(
        submission=submission,
        programme=submission.call.programme,
        organisation=submission.organisation,
        title=submission.title,
        summary=submission.summary,
    )
    PilotMilestone.objects.bulk_create(
        PilotMilestone(
            pilot=pilot, title=m.title, planned=m.planned, current=m.planned, position=m.position
        )
        for m in submission.milestones.all()
    )
    _schedule_report_reminder(pilot, None)
    return pilot


@transaction.atomic
def progress_report_create(
    *, actor, pilot: Pilot, status: str, reason: str, text: str = ""
) -> ProgressReport:
    """File a progress report (status op_koers/risico/achter with its reason) for ``pilot``.

    Raises NotAllowed unless ``actor`` is on the pilot's team (a verified member of its
    organisation); InvalidInput naming ``status``, ``reason`` (required) or ``text``.
    """
    if not can_report_on_pilot(actor, pilot):
        raise NotAllowed(_("Alleen het team van de pilot rapporteert de voortgang."), code="pilot")
    report = ProgressReport(
        pilot=pilot,
        status=status,
        reason=(reason or "").strip(),
        text=(text or "").strip(),
        by=actor,
        at=timezone.now(),
    )
    validate_instance(report, exclude=["pilot", "by"])
    report.save()
    _schedule_report_reminder(pilot, report.at)
    log_action(
        "projects.report.created",
        actor=actor,
        obj=pilot,
        data={"report": report.pk, "status": report.status, "reason": report.reason},
    )
    return report


@transaction.atomic
def milestone_update(
    *,
    actor,
    milestone: PilotMilestone,
    current: datetime.date | None = None,
    status: str | None = None,
    reason: str = "",
) -> PilotMilestone:
    """Re-plan a pilot's milestone to ``current`` (with a ``reason``) and/or set its ``status``.

    The original date stays; each re-planning is counted and recorded with its reason.
    Raises NotAllowed unless ``actor`` is on the pilot's team or the programme team;
    InvalidInput naming ``current`` (before today, models.validate_not_past), ``reason``
    (required for a new date, and to reopen a finished or dropped milestone: the reopening
    is recorded with it, MilestoneReopening) or ``status``.
    """
    milestone = (
        PilotMilestone.objects.select_for_update(of=("self",))
        .select_related("pilot__programme")
        .get(pk=milestone.pk)
    )
    pilot = milestone.pilot
    if not (can_report_on_pilot(actor, pilot) or can_manage_pilot(actor, pilot)):
        raise NotAllowed(
            _("Alleen het team van de pilot of het programmateam plant."), code="pilot"
        )
    fields = []
    if current is not None and current != milestone.current:
        replan = MilestoneReplan(
            milestone=milestone,
            previous=milestone.current,
            current=current,
            reason=(reason or "").strip(),
            by=actor,
            at=timezone.now(),
        )
        # A date before today is refused by the field's validate_not_past.
        validate_instance(replan, exclude=["milestone", "by"])
        replan.save()
        milestone.current = current
        milestone.replans += 1
        milestone.replan_reason = replan.reason
        fields += ["current", "replans", "replan_reason"]
        log_action(
            "projects.milestone.replanned",
            actor=actor,
            obj=milestone,
            data={
                "pilot": pilot.pk,
                "previous": replan.previous.isoformat(),
                "current": current.isoformat(),
                "reason": replan.reason,
            },
        )
    if status is not None and status != milestone.status:
        if status == PilotMilestone.Status.GEPLAND:
            _milestone_reopen(actor=actor, milestone=milestone, reason=reason)
        milestone.status = status
        fields.append("status")
    validate_instance(milestone, exclude=["pilot"])
    if fields:
        milestone.save(update_fields=fields)
    return milestone


def _milestone_reopen(*, actor, milestone: PilotMilestone, reason: str) -> None:
    """Record that ``milestone`` (finished or dropped) is planned again, with ``reason``.

    Raises InvalidInput naming ``reason`` when there is none (MilestoneReopening.reason, the
    one rule for page and API)."""
    reopening = MilestoneReopening(
        milestone=milestone,
        previous=milestone.status,
        reason=(reason or "").strip(),
        by=actor,
        at=timezone.now(),
    )
    validate_instance(reopening, exclude=["milestone", "by"])
    reopening.save()
    log_action(
        "projects.milestone.reopened",
        actor=actor,
        obj=milestone,
        data={"pilot": milestone.pilot_id, "previous": reopening.previous,
              "reason": reopening.reason},
    )  # fmt: skip


@transaction.atomic
def pilot_set_rhythm(*, actor, pilot: Pilot, report_every_days: int) -> Pilot:
    """Set how often the pilot reports (days). Raises NotAllowed unless the programme team;
    InvalidInput naming ``report_every_days``."""
    if not can_manage_pilot(actor, pilot):
        raise NotAllowed(_("Alleen het programmateam stelt het ritme in."), code="pilot")
    pilot.report_every_days = report_every_days
    validate_instance(pilot)
    pilot.save(update_fields=["report_every_days"])
    return pilot


# Support requests and the evaluation -------------------------------------------------------


@transaction.atomic
def support_request_create(*, actor, pilot: Pilot, kind: str, question: str) -> SupportRequest:
    """Ask the programme team for support (begeleiding, advies, bemiddeling) for ``pilot``.

    The programme team is mailed after commit. Raises NotAllowed unless ``actor`` is on the
    pilot's team; InvalidInput naming ``kind`` or ``question``.
    """
    if not can_report_on_pilot(actor, pilot):
        raise NotAllowed(_("Alleen het team van de pilot vraagt om ondersteuning."), code="pilot")
    request = SupportRequest(
        pilot=pilot, kind=kind, question=(question or "").strip(), by=actor, at=timezone.now()
    )
    validate_instance(request, exclude=["pilot", "by"])
    request.save()
    _after_commit(tasks.send_support_request_mail, request.pk)
    log_action(
        "projects.support_request.requested",
        actor=actor,
        obj=pilot,
        data={"support_request": request.pk, "kind": request.kind},
    )
    return request


@transaction.atomic
def support_request_answer(
    *, actor, support_request: SupportRequest, status: str, answer: str = ""
) -> SupportRequest:
    """Set a support request's ``status`` and ``answer`` (required for ``beantwoord``).

    The asker is mailed when it is answered. Raises NotAllowed unless ``actor`` is on the
    programme team; InvalidInput naming ``status`` or ``answer``.
    """
    support_request = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("pilot__programme")
        .get(pk=support_request.pk)
    )
    if not can_manage_pilot(actor, support_request.pilot):
        raise NotAllowed(_("Alleen het programmateam beantwoordt hulpvragen."), code="pilot")
    support_request.status = status
    support_request.answer = (answer or "").strip()
    validate_instance(support_request, exclude=["pilot", "by", "answered_by"])
    answered = status == SupportRequest.Status.BEANTWOORD
    if answered:
        support_request.answered_by = actor
        support_request.answered_at = timezone.now()
    support_request.save()
    if answered:
        _after_commit(tasks.send_support_answer_mail, support_request.pk)
    log_action(
        "projects.support_request.answered" if answered else "projects.support_request.updated",
        actor=actor,
        obj=support_request.pilot,
        data={"support_request": support_request.pk, "status": status},
    )
    return support_request


EVALUATION_FIELDS = ("outcome", "results", "went_well", "differently", "next_steps")


@transaction.atomic
def evaluation_save(
    *,
    actor,
    pilot: Pilot,
    outcome: str,
    results: str,
    went_well: str = "",
    differently: str = "",
    next_steps: str = "",
) -> PilotEvaluation:
    """Write (or rewrite) the pilot's evaluation in the fixed form.

    Raises NotAllowed unless ``actor`` is on the pilot's team or the programme team;
    InvalidInput naming the refused field.
    """
    if not (can_report_on_pilot(actor, pilot) or can_manage_pilot(actor, pilot)):
        raise NotAllowed(
            _("Alleen het team van de pilot of het programmateam evalueert."), code="pilot"
        )
    evaluation = PilotEvaluation.objects.filter(pilot=pilot).first() or PilotEvaluation(pilot=pilot)
    values = dict(
        zip(EVALUATION_FIELDS, (outcome, results, went_well, differently, next_steps), strict=True)
    )
    for name, value in values.items():
        setattr(evaluation, name, (value or "").strip())
    evaluation.by = actor
    evaluation.at = timezone.now()
    validate_instance(evaluation, exclude=["pilot", "by"])
    evaluation.save()
    return evaluation


# Reviews -------------------------------------------------------------------------------------


def score_field(criterion_id: int) -> str:
    """Return the field name of the score for a criterion, as errors name it: ``score_<id>``."""
    return f"score_{criterion_id}"


@transaction.atomic
def call_set_reviewers(*, call: Call, reviewers) -> None:
    """Assign ``reviewers`` to ``call``; each must be on the programme's team.

    Raises InvalidInput naming ``reviewers``.
    """
    reviewers = list(reviewers)
    outside = [r for r in reviewers if not can_review_call(r, call)]
    if outside:
        raise InvalidInput(
            {
                "reviewers": [
                    _("%(name)s hoort niet bij het programmateam.")
                    % {"name": outside[0].display_name}
                ]
            }
        )
    call.reviewers.set(reviewers)


def _scorable(actor, submission: Submission) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call__programme")
        .prefetch_related("reviews", "call__reviewers", "call__criteria")
        .get(pk=submission.pk)
    )
    if not can_score_submission(actor, submission):
        raise NotAllowed(
            _("Alleen de beoordelaars van de oproep scoren een ingediende aanmelding."),
            code="scores",
        )
    return submission


@transaction.atomic
def review_save(
    *,
    actor,
    submission: Submission,
    scores: Mapping[int, int],
    note: str = "",
    confidence: int | None = None,
) -> Review:
    """Store ``actor``'s scores {criterion id: SCORE_MIN–SCORE_MAX} for every criterion, how
    sure they are (``confidence``, Review.Confidence, optional) and a note for the team.

    A second call replaces the reviewer's scores. Raises NotAllowed unless ``actor`` is an
    assigned reviewer without a conflict and the submission is ingediend or in behandeling;
    InvalidInput naming ``score_<criterion id>`` (missing or out of range), ``scores`` (a
    criterion of another call), ``confidence`` or ``note``.
    """
    submission = _scorable(actor, submission)
    criteria = {c.pk: c for c in submission.call.criteria.all()}
    if any(cid not in criteria for cid in scores):
        raise InvalidInput({"scores": [_("Dit criterium hoort niet bij de oproep.")]})
    review = Review.objects.filter(submission=submission, reviewer=actor).first() or Review(
        submission=submission, reviewer=actor
    )
    review.note = (note or "").strip()
    review.confidence = confidence
    validate_instance(review, exclude=["submission", "reviewer"])
    errors: dict[str, list[str]] = {}
    rows = []
    for cid, criterion in criteria.items():
        if scores.get(cid) is None:
            errors[score_field(cid)] = [
                _("Geef een score voor ‘%(name)s’.") % {"name": criterion.name}
            ]
            continue
        row = ReviewScore(criterion=criterion, score=scores[cid])
        try:
            validate_instance(row, exclude=["review"])
        except InvalidInput as exc:
            errors[score_field(cid)] = [m for found in exc.errors.values() for m in found]
        rows.append(row)
    if errors:
        raise InvalidInput(errors)
    created = review.pk is None
    review.save()
    review.scores.all().delete()
    for row in rows:
        row.review = review
    ReviewScore.objects.bulk_create(rows)
    log_action(
        "projects.review.created" if created else "projects.review.updated",
        actor=actor,
        obj=review,
        data={"submission": submission.pk},
    )
    return review


@transaction.atomic
def review_declare_conflict(*, actor, submission: Submission) -> Review:
    """Record that ``actor`` has a conflict of interest on ``submission`` (one click).

    Their scores, if any, are removed; from now on they do not see or score it. Raises
    NotAllowed unless ``actor`` may score the submission.
    """
    submission = _scorable(actor, submission)
    review, _created = Review.objects.get_or_create(submission=submission, reviewer=actor)
    review.scores.all().delete()
    review.conflict = True
    review.note = ""
    review.confidence = None
    review.save(update_fields=["conflict", "note", "confidence", "updated_at"])
    log_action(
        "projects.review.conflict_declared",
        actor=actor,
        obj=review,
        data={"submission": submission.pk},
    )
    return review


# Attachments ---------------------------------------------------------------------------------


def _checked(uploads: Sequence[UploadedFile | None]) -> list[CheckedFile]:
    """Return the documents of ``uploads`` checked by content and size (core.uploads).

    Raises DomainError naming ``file`` (empty, 413 too large, 415 a refused type).
    """
    limit = Attachment.max_bytes()
    return [check_document(upload, max_bytes=limit) for upload in uploads if upload is not None]


def _attach(
    checked: list[CheckedFile], *, actor, call: Call | None = None, submission=None
) -> list[Attachment]:
    """Store ``checked`` documents on ``call`` or ``submission``; the files are written last,
    each with its row (core.uploads.store_with_file), so a refusal before stores nothing.

    Raises InvalidInput naming ``file`` beyond Attachment.MAX_PER_PARENT documents.
    """
    if not checked:
        return []
    parent = {"call": call} if call is not None else {"submission": submission}
    present = Attachment.objects.filter(**parent).count()
    if present + len(checked) > Attachment.MAX_PER_PARENT:
        raise InvalidInput(
            {"file": [_("U kunt ten hoogste %(n)s bijlagen toevoegen; verwijder er eerst een.")
                      % {"n": Attachment.MAX_PER_PARENT}]}
        )  # fmt: skip
    made = []
    for document in checked:
        attachment = Attachment(
            **parent,
            uploaded_by=actor,
            name=document.name,
            content_type=document.content_type,
            size=len(document.content),
        )
        validate_instance(attachment, exclude=["file", "uploaded_by"])
        store_with_file(
            attachment, "file", name=f"bijlage.{document.extension}", content=document.content
        )
        made.append(attachment)
        log_action(
            "projects.attachment.added",
            actor=actor,
            obj=call if call is not None else submission,
            data={"attachment": attachment.pk, "name": attachment.name},
        )
    return made


@transaction.atomic
def attachment_add(
    *, actor, upload: UploadedFile | None, call: Call | None = None, submission=None
) -> Attachment:
    """Attach the document ``upload`` to ``call`` (its programme team) or to ``submission`` (a
    verified member of its organisation, while it is a draft or waits to be completed).

    Raises NotAllowed (code ``file``); InvalidInput naming ``status`` (call closed,
    hersteltermijn passed) or ``file`` (too many); DomainError naming ``file`` (no file, empty,
    413 too large, 415 a type that is not a document, whatever its name says). Nothing is
    stored then.
    """
    if (call is None) == (submission is None):
        raise ValueError("attach to a call or to a submission")
    if call is not None:
        call = (
            Call.objects.select_for_update(of=("self",)).select_related("programme").get(pk=call.pk)
        )
        if not can_attach_to_call(actor, call):
            raise NotAllowed(
                _("Alleen het programmateam voegt bijlagen toe aan deze oproep."), code="file"
            )
    else:
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("call__programme", "organisation")
            .get(pk=submission.pk)
        )
        if not can_attach_to_submission(actor, submission):
            raise NotAllowed(
                _("U kunt aan deze aanmelding (nu) geen bijlagen toevoegen."), code="file"
            )
        _check_still_open(submission)
    document = check_document(upload, max_bytes=Attachment.max_bytes())
    return _attach([document], actor=actor, call=call, submission=submission)[0]


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove ``attachment`` and, once committed, its file: the programme team, or its uploader
    while the submission can still be changed (permissions.can_delete_attachment).

    Raises NotAllowed otherwise; an attachment already removed is left at that.
    """
    attachment = (
        Attachment.objects.select_for_update(of=("self",))
        .select_related("call__programme", "submission__call__programme")
        .filter(pk=attachment.pk)
        .first()
    )
    if attachment is None:
        return
    if not can_delete_attachment(actor, attachment):
        raise NotAllowed(
            _(
                "Alleen wie de bijlage plaatste of het programmateam kan haar verwijderen, en "
                "niet meer na het besluit over de aanmelding."
            ),
            code="not_allowed",
        )
    parent = attachment.call if attachment.submission_id is None else attachment.submission
    if attachment.submission_id is not None and attachment.uploaded_by_id != actor.pk:
        # The team removed the submitter's document: the submitter sees it in the history.
        submission = attachment.submission
        SubmissionStep.objects.create(
            submission=submission,
            status=submission.status,
            reason=_("Bijlage ‘%(name)s’ verwijderd door %(who)s (programmateam).")
            % {"name": attachment.name, "who": actor.display_name},
            by=actor,
            at=timezone.now(),
        )
    log_action(
        "projects.attachment.deleted",
        actor=actor,
        obj=parent,
        data={"attachment": attachment.pk, "name": attachment.name},
    )
    delete_files_on_commit(attachment.file)
    attachment.delete()


@transaction.atomic
def submissions_forget(*, user) -> None:
    """Unlink ``user`` from the submissions and steps they made (AVG); the organisation's
    submissions stay, named contacts of the team member are blanked."""
    Submission.objects.filter(submitted_by=user).update(submitted_by=None)
    SubmissionStep.objects.filter(by=user).update(by=None, contact_name="", contact_email="")
    # A review is a reviewer's own judgement: it goes with them. Reports and re-plans are the
    # pilot's record: they stay, without the person.
    Review.objects.filter(reviewer=user).delete()
    ProgressReport.objects.filter(by=user).update(by=None)
    MilestoneReplan.objects.filter(by=user).update(by=None)
    MilestoneReopening.objects.filter(by=user).update(by=None)
    SupportRequest.objects.filter(by=user).update(by=None)
    SupportRequest.objects.filter(answered_by=user).update(answered_by=None)
    PilotEvaluation.objects.filter(by=user).update(by=None)
    # Attachments are the call's or the organisation's record, as the submissions are.
    Attachment.objects.filter(uploaded_by=user).update(uploaded_by=None)

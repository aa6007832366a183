"""Calls for projects (oproepen), the submissions made to them and their dated review history."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.uploads import DOCUMENT_MAX_BYTES, random_storage_name
from bouwplaats.core.validation import validate_plausible_year, validate_single_line, validate_text
from bouwplaats.programmes.models import Programme


@deconstructible
class OrganisationKindsValidator:
    """Refuse a list of organisation kinds that is empty, repeats a kind or names an unknown one."""

    def __call__(self, value) -> None:
        known = set(Organisation.Kind.values)
        if not isinstance(value, list) or not value:
            raise ValidationError(_("Kies ten minste één soort organisatie."), code="kinds")
        if any(not isinstance(kind, str) or kind not in known for kind in value):
            raise ValidationError(_("Kies soorten organisaties uit de lijst."), code="kinds")
        if len(set(value)) != len(value):
            raise ValidationError(_("Noem elke soort organisatie één keer."), code="kinds")

    def __eq__(self, other) -> bool:
        return isinstance(other, OrganisationKindsValidator)


def today() -> datetime.date:
    """Return today's date in the platform's time zone (Europe/Amsterdam)."""
    return timezone.localdate()


def validate_not_past(value: datetime.date | None) -> None:
    """Refuse a date before today (Europe/Amsterdam): a promise or a plan made now lies ahead.

    Raises ValidationError (code ``past``). Shared by the promised milestones of a
    submission, a milestone's re-planning and the forms and API that set them.
    """
    if value is not None and value < today():
        raise ValidationError(
            _("Deze datum ligt in het verleden; kies vandaag of een latere datum."), code="past"
        )


def long_text(label, *, limit: int = 5000, blank: bool = True, **kwargs) -> models.TextField:
    """Return a text field of at most ``limit`` characters without control characters."""
    return models.TextField(
        label,
        blank=blank,
        max_length=limit,
        validators=[validate_text, MaxLengthValidator(limit)],
        **kwargs,
    )


class Call(models.Model):
    """A call for projects or cases (oproep) of a programme: open between two dates, or rolling.

    A rolling call (``rolling``) has no close date: submissions are reviewed in rounds.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="calls"
    )
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    text = models.TextField(
        _("tekst"),
        help_text=_("Markdown"),
        validators=[validate_text, MaxLengthValidator(20000)],
        max_length=20000,
    )
    opens_on = models.DateField(_("open vanaf"), validators=[validate_plausible_year])
    closes_on = models.DateField(
        _("sluit op"),
        null=True,
        blank=True,
        validators=[validate_plausible_year],
        help_text=_("De laatste dag waarop u kunt indienen"),
    )
    rolling = models.BooleanField(
        _("doorlopende aanmelding"),
        default=False,
        help_text=_("Zonder sluitingsdatum; aanmeldingen worden in rondes beoordeeld"),
    )
    organisation_kinds = models.JSONField(
        _("wie mag indienen"),
        default=list,
        validators=[OrganisationKindsValidator()],
        error_messages={"blank": _("Kies ten minste één soort organisatie.")},
        help_text=_("De soorten organisaties die een project mogen aanmelden"),
    )
    repair_days = models.PositiveSmallIntegerField(
        _("hersteltermijn in dagen"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    published = models.BooleanField(_("gepubliceerd"), default=False)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordelaars"),
        blank=True,
        related_name="reviewing_calls",
        help_text=_("Leden van het programmateam die de aanmeldingen scoren"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("oproep")
        verbose_name_plural = _("oproepen")
        ordering = ["closes_on", "opens_on", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:call", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Ask for a close date unless the call is rolling, and one on or after the open date."""
        if self.rolling and self.closes_on:
            raise ValidationError(
                {"closes_on": _("Een doorlopende oproep heeft geen sluitingsdatum.")}
            )
        if not self.rolling and not self.closes_on:
            raise ValidationError(
                {"closes_on": _("Geef een sluitingsdatum, of kies doorlopende aanmelding.")}
            )
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("De sluitingsdatum ligt vóór de openingsdatum.")})

    def is_open(self, on: datetime.date | None = None) -> bool:
        """Return True if the call takes submissions on ``on`` (default today, Amsterdam)."""
        on = on or today()
        if not self.published or on < self.opens_on:
            return False
        return self.rolling or (self.closes_on is not None and on <= self.closes_on)

    def admits_kind(self, kind: str) -> bool:
        """Return True if organisations of ``kind`` may submit to this call."""
        return kind in (self.organisation_kinds or [])

    def organisation_kind_labels(self) -> list[str]:
        """Return the Dutch names of the organisation kinds that may submit."""
        labels = dict(Organisation.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.organisation_kinds or []]


class CallQuestion(models.Model):
    """A question a submission answers; a required one must be answered before submitting."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("vraag"), max_length=500, validators=[validate_single_line])
    help_text = models.CharField(
        _("toelichting"), max_length=500, blank=True, validators=[validate_single_line]
    )
    required = models.BooleanField(_("verplicht"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return self.text


class CallCriterion(models.Model):
    """A review criterion of a call, with its weight in the total score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterium"), max_length=200, validators=[validate_single_line])
    description = long_text(_("toelichting"), limit=2000)
    weight = models.PositiveSmallIntegerField(
        _("weging"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("beoordelingscriterium")
        verbose_name_plural = _("beoordelingscriteria")
        ordering = ["call", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class CallRound(models.Model):
    """A review round of a rolling call: what was submitted after the previous round closed and
    on or before ``closes_on`` is reviewed together (a call that is not rolling has none)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(_("ronde"), max_length=200, validators=[validate_single_line])
    closes_on = models.DateField(_("sluit op"), validators=[validate_plausible_year])
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("beoordelingsronde")
        verbose_name_plural = _("beoordelingsronden")
        ordering = ["call", "closes_on", "id"]

    def __str__(self) -> str:
        return self.name


def round_of(rounds: list[CallRound], on: datetime.date | None) -> CallRound | None:
    """Return the round (of ``rounds``, ordered by closing date) that takes what was submitted
    on ``on``: the first closing on or after it; None after the last or without a date."""
    if on is None:
        return None
    return next((r for r in rounds if on <= r.closes_on), None)


class Submission(models.Model):
    """A project or case submitted to a call by a verified member, for their organisation."""

    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        INGEDIEND = "ingediend", _("Ingediend")
        ONVOLLEDIG = "onvolledig", _("Onvolledig")
        IN_BEHANDELING = "in_behandeling", _("In behandeling")
        TOEGELATEN = "toegelaten", _("Toegelaten")
        AFGEWEZEN = "afgewezen", _("Afgewezen")

    call = models.ForeignKey(
        Call, verbose_name=_("oproep"), on_delete=models.CASCADE, related_name="submissions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    summary = long_text(_("samenvatting"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    repair_until = models.DateField(_("aanvullen vóór"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:submission", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        """Return True while the submitter may change it: a draft, or one to complete."""
        return self.status in (self.Status.CONCEPT, self.Status.ONVOLLEDIG)


class SubmissionAnswer(models.Model):
    """The answer of a submission to one of its call's questions."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    text = long_text(_("antwoord"))

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="projects_one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} — {self.question}"


class Recorded(models.Model):
    """Who recorded a row (kept empty once that member is forgotten) and when."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("op"), default=timezone.now)

    class Meta:
        abstract = True


class Reasoned(Recorded):
    """A recorded review step or decision: its reason and a named contact for the submitter."""

    reason = models.TextField(
        _("reden"), max_length=2000, validators=[validate_text, MaxLengthValidator(2000)]
    )
    contact_name = models.CharField(
        _("contactpersoon"), max_length=200, blank=True, validators=[validate_single_line]
    )
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)

    class Meta:
        abstract = True


class SubmissionStep(Reasoned):
    """One dated step of a submission's review: its new status, the reason and a named contact.

    The submitter sees every step (the page's history, the API's ``history``); none is ever
    changed or removed.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=20, choices=Submission.Status.choices)

    class Meta:
        verbose_name = _("stap in de beoordeling")
        verbose_name_plural = _("stappen in de beoordeling")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} — {self.get_status_display()} ({self.at:%Y-%m-%d})"


SCORE_MIN, SCORE_MAX = 1, 5


class Review(models.Model):
    """One reviewer's review of a submission: a score per criterion, or a declared conflict of
    interest (then no scores, and the reviewer no longer sees the submission)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordelaar"),
        on_delete=models.CASCADE,
        related_name="submission_reviews",
    )

    class Confidence(models.IntegerChoices):
        LAAG = 1, _("Weinig zeker")
        MIDDEN = 2, _("Redelijk zeker")
        HOOG = 3, _("Zeer zeker")

    conflict = models.BooleanField(_("belangenverstrengeling"), default=False)
    confidence = models.PositiveSmallIntegerField(
        _("zekerheid van uw oordeel"),
        choices=Confidence.choices,
        null=True,
        blank=True,
        help_text=_("Hoe goed kent u het onderwerp van deze aanmelding?"),
    )
    note = long_text(_("notitie voor het programmateam"), limit=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="projects_one_review_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} — {self.reviewer}"


class ReviewScore(models.Model):
    """A reviewer's score (SCORE_MIN–SCORE_MAX) for one criterion of the call."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CallCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="projects_one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class HeldDecision(Reasoned):
    """A decision (toegelaten or afgewezen) the programme team holds, to send it together with
    the call's other decisions. Until sent it is not a step: the submitter sees nothing."""

    class Status(models.TextChoices):
        TOEGELATEN = "toegelaten", _("Toegelaten")
        AFGEWEZEN = "afgewezen", _("Afgewezen")

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="held_decision"
    )
    status = models.CharField(_("besluit"), max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = _("vastgehouden besluit")
        verbose_name_plural = _("vastgehouden besluiten")

    def __str__(self) -> str:
        return f"{self.submission}: {self.get_status_display()}"


class SubmissionMilestone(models.Model):
    """A milestone a submission promises: it becomes the pilot's milestone once admitted."""

    MAX_PER_SUBMISSION = 20

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("mijlpaal"), max_length=200, validators=[validate_single_line])
    # Checked when the promise is made (submission_create/update); rows are not re-checked
    # later, when their dates have passed.
    planned = models.DateField(
        _("gepland op"), validators=[validate_plausible_year, validate_not_past]
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("beloofde mijlpaal")
        verbose_name_plural = _("beloofde mijlpalen")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.planned})"


class Pilot(models.Model):
    """An admitted submission, followed as a pilot of the programme (made without retyping)."""

    submission = models.OneToOneField(
        Submission, verbose_name=_("aanmelding"), on_delete=models.PROTECT, related_name="pilot"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="pilots"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="pilots"
    )
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    summary = long_text(_("samenvatting"))
    reminded_at = models.DateTimeField(
        _("herinnerd op"),
        null=True,
        blank=True,
        help_text=_("Wanneer het team het laatst is herinnerd aan een rapportage"),
    )
    report_every_days = models.PositiveSmallIntegerField(
        _("rapporteren om de zoveel dagen"),
        default=91,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
        help_text=_("Het ritme van de voortgangsrapportages; het programmateam stelt het in"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", kwargs={"pk": self.pk})

    def report_due_at(self, last_report_at: datetime.datetime | None) -> datetime.datetime:
        """Return when the next report is due: the rhythm after the last one (or the start)."""
        return (last_report_at or self.created_at) + datetime.timedelta(days=self.report_every_days)


class PilotMilestone(models.Model):
    """A pilot's milestone: the original plan beside the current one, and how often and why it
    was re-planned (colours are never measured against the latest re-plan alone)."""

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("Gepland")
        GEREED = "gereed", _("Gereed")
        VERVALLEN = "vervallen", _("Vervallen")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("mijlpaal"), max_length=200, validators=[validate_single_line])
    planned = models.DateField(_("oorspronkelijk gepland"), validators=[validate_plausible_year])
    current = models.DateField(_("huidige planning"), validators=[validate_plausible_year])
    replans = models.PositiveSmallIntegerField(_("keer herpland"), default=0)
    replan_reason = long_text(_("waarom herpland"), limit=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.GEPLAND
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("mijlpaal")
        verbose_name_plural = _("mijlpalen")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.current})"

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Return True for a milestone still planned whose current date has passed."""
        today = today or timezone.localdate()
        return self.status == self.Status.GEPLAND and self.current < today

    def status_text(self) -> str:
        """Return the status as the page shows it: "Te laat" for a late planned one."""
        return _("Te laat") if self.is_late() else self.get_status_display()


class MilestoneReplan(Recorded):
    """One re-planning of a pilot's milestone: from which date to which, why, by whom, when."""

    milestone = models.ForeignKey(
        PilotMilestone, on_delete=models.CASCADE, related_name="replanned"
    )
    previous = models.DateField(_("was gepland op"))
    current = models.DateField(
        _("nu gepland op"), validators=[validate_plausible_year, validate_not_past]
    )
    reason = models.CharField(_("waarom"), max_length=500, validators=[validate_single_line])

    class Meta:
        verbose_name = _("herplanning")
        verbose_name_plural = _("herplanningen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.previous} → {self.current}"


class MilestoneReopening(Recorded):
    """One reopening of a finished (or dropped) milestone: from which status, why, by whom,
    when. A finished milestone goes back to planned only with a reason (the pilot's history
    would otherwise show a result that silently disappeared)."""

    milestone = models.ForeignKey(
        PilotMilestone, on_delete=models.CASCADE, related_name="reopenings"
    )
    previous = models.CharField(_("was"), max_length=10, choices=PilotMilestone.Status.choices)
    reason = models.CharField(
        _("waarom heropend"),
        max_length=500,
        validators=[validate_single_line],
        error_messages={
            "blank": _("Geef aan waarom deze afgeronde mijlpaal weer open gaat."),
        },
    )

    class Meta:
        verbose_name = _("heropening")
        verbose_name_plural = _("heropeningen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.previous} → {PilotMilestone.Status.GEPLAND}"


class ProgressReport(Recorded):
    """A periodic progress report by the pilot's team: a status with its reason, and a text."""

    class Status(models.TextChoices):
        OP_KOERS = "op_koers", _("Op koers")
        RISICO = "risico", _("Risico")
        ACHTER = "achter", _("Achter")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason = models.CharField(
        _("waarom deze status"), max_length=500, validators=[validate_single_line]
    )
    text = long_text(_("voortgang"))

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.pilot} — {self.get_status_display()} ({self.at:%Y-%m-%d})"


class SupportRequest(Recorded):
    """A pilot team's request for support (hulpvraag) to the programme team, with its answer.

    ``by``/``at`` are who asked and when; the answer has its own who and when.
    """

    class Kind(models.TextChoices):
        BEGELEIDING = "begeleiding", _("Begeleiding")
        ADVIES = "advies", _("Advies")
        BEMIDDELING = "bemiddeling", _("Bemiddeling richting ministeries")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_BEHANDELING = "in_behandeling", _("In behandeling")
        BEANTWOORD = "beantwoord", _("Beantwoord")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="support_requests")
    kind = models.CharField(_("soort ondersteuning"), max_length=20, choices=Kind.choices)
    question = long_text(_("uw vraag"), blank=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answer = long_text(_("antwoord"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ondersteuningsvraag")
        verbose_name_plural = _("ondersteuningsvragen")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.pilot} — {self.get_kind_display()}"

    def clean(self) -> None:
        """Ask for an answer once the request is marked answered."""
        if self.status == self.Status.BEANTWOORD and not (self.answer or "").strip():
            raise ValidationError({"answer": _("Geef het antwoord dat de pilot krijgt.")})


class PilotEvaluation(Recorded):
    """The evaluation of a pilot, in a fixed form; its lessons go to the knowledge base (the
    knowledge app links them to the pilot)."""

    class Outcome(models.TextChoices):
        GESLAAGD = "geslaagd", _("Doelen gehaald")
        DEELS = "deels", _("Doelen deels gehaald")
        NIET = "niet", _("Doelen niet gehaald")

    pilot = models.OneToOneField(Pilot, on_delete=models.CASCADE, related_name="evaluation")
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=Outcome.choices)
    results = long_text(_("wat heeft de pilot opgeleverd"), blank=False)
    went_well = long_text(_("wat ging goed"))
    differently = long_text(_("wat zou u anders doen"))
    next_steps = long_text(_("hoe gaat het verder"))

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self) -> str:
        return f"{self.pilot}: {self.get_outcome_display()}"


def attachment_upload_to(instance, filename: str) -> str:
    return random_storage_name("projects/attachments", filename)


class Attachment(models.Model):
    """A document attached to a call (by its programme team) or to a submission (by a verified
    member of its organisation): exactly one of ``call`` and ``submission`` is set.

    Its type was decided by its content (core.uploads.check_document); the stored name is
    random, ``name`` is the cleaned name the person gave it. It is stored through Django's
    default storage and served only through views that check access.
    """

    MAX_PER_PARENT = 20

    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("bijlage"), upload_to=attachment_upload_to, max_length=255)
    name = models.CharField(_("bestandsnaam"), max_length=255, validators=[validate_single_line])
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("grootte in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geplaatst door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(call__isnull=False, submission__isnull=True)
                | Q(call__isnull=True, submission__isnull=False),
                name="projects_attachment_one_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:attachment", kwargs={"pk": self.pk})

    @staticmethod
    def max_bytes() -> int:
        """Return the largest document accepted (setting ``PROJECTS_ATTACHMENT_MAX_BYTES``)."""
        return int(getattr(settings, "PROJECTS_ATTACHMENT_MAX_BYTES", DOCUMENT_MAX_BYTES))

    @property
    def parent(self) -> "Call | Submission":
        """Return the call or the submission the document is attached to."""
        return self.submission if self.submission_id is not None else self.call

"""Knowledge items (lessons, articles, models), open questions with answers, training offers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.validation import (
    validate_http_url,
    validate_plausible_year,
    validate_single_line,
    validate_text,
)
from bouwplaats.events.models import Session
from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.projects.models import Pilot, Submission

# Markdown bodies: long enough for an article, short enough to render on every page view.
BODY_MAX = 20000
QUESTION_MAX = 5000
ANSWER_MAX = 10000
LESSON_PART_MAX = 5000


def limited_text(label, limit: int, **kwargs) -> models.TextField:
    """Return a Markdown TextField refusing control characters and more than ``limit`` chars."""
    return models.TextField(
        label,
        max_length=limit,
        validators=[validate_text, MaxLengthValidator(limit)],
        **kwargs,
    )


class KnowledgeItem(models.Model):
    """A lesson learned, an article or a model, curated by the programme team."""

    class Type(models.TextChoices):
        LESSON = "les", _("Geleerde les")
        ARTICLE = "artikel", _("Artikel")
        MODEL = "model", _("Model")

    class Status(models.TextChoices):
        DRAFT = "concept", _("Concept")
        PUBLISHED = "gepubliceerd", _("Gepubliceerd")
        ARCHIVED = "gearchiveerd", _("Gearchiveerd")

    class Figure(models.TextChoices):
        NONE = "", _("Geen")
        COOPERATIVE_MODEL = (
            "cooperatief_programmamanagement",
            _("Coöperatief programmamanagement (model)"),
        )

    type = models.CharField(_("soort"), max_length=20, choices=Type.choices, default=Type.LESSON)
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    summary = models.CharField(
        _("samenvatting"), max_length=300, blank=True, validators=[validate_single_line]
    )
    body = limited_text(_("tekst"), BODY_MAX, blank=True, help_text=_("Markdown"))
    # The fixed form of a lesson (PRODUCT.md §4: an evaluation's lessons).
    context = limited_text(_("context"), LESSON_PART_MAX, blank=True)
    what_happened = limited_text(_("wat er gebeurde"), LESSON_PART_MAX, blank=True)
    do_differently = limited_text(_("wat u anders zou doen"), LESSON_PART_MAX, blank=True)
    evidence = limited_text(
        _("onderbouwing"), LESSON_PART_MAX, blank=True, help_text=_("Bron, meting of document")
    )
    figure = models.CharField(
        _("figuur"), max_length=60, choices=Figure.choices, blank=True, default=""
    )
    figure_text = limited_text(
        _("beschrijving van de figuur"),
        LESSON_PART_MAX,
        blank=True,
        help_text=_("Tekstalternatief: wat de figuur laat zien"),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), blank=True, related_name="knowledge_items"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_items",
    )
    sessions = models.ManyToManyField(
        Session, verbose_name=_("sessies"), blank=True, related_name="knowledge_items"
    )
    pilots = models.ManyToManyField(
        Pilot, verbose_name=_("pilots"), blank=True, related_name="knowledge_items"
    )
    submissions = models.ManyToManyField(
        Submission, verbose_name=_("projecten"), blank=True, related_name="knowledge_items"
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteurs"),
        blank=True,
        related_name="knowledge_items",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    featured = models.BooleanField(_("uitgelicht"), default=False)
    check_by = models.DateField(
        _("opnieuw bekijken vóór"),
        null=True,
        blank=True,
        validators=[validate_plausible_year],
        help_text=_("Wanneer het programmateam nagaat of dit nog klopt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kennisitem")
        verbose_name_plural = _("kennisitems")
        ordering = ["-featured", "-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "type"]),
            # The lists: one status, featured first, then newest (read backwards, no sort).
            models.Index(
                fields=["status", "featured", "published_at", "id"], name="knowledge_item_listed"
            ),
            # "Opnieuw bekijken": the few items whose check date has passed, by that date.
            models.Index(fields=["status", "check_by", "id"], name="knowledge_item_check_by"),
            # "Wie weet dit?" on a programme: its published items without reading their rows.
            models.Index(fields=["programme", "status", "id"], name="knowledge_item_programme"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:item", kwargs={"pk": self.pk})

    @property
    def is_lesson(self) -> bool:
        return self.type == self.Type.LESSON

    def clean(self) -> None:
        """Require the fixed form of a lesson, a body for others and a text with a figure.

        Raises ValidationError keyed by the field to fill in (source: PRODUCT.md §4, a lesson
        is context, what happened, what to do differently, theme and evidence; the theme is
        checked by the service, which sees the many-to-many values).
        """
        errors: dict[str, str] = {}
        if self.title is not None and self.title and not self.title.strip():
            errors["title"] = _("Geef een titel.")
        if self.type == self.Type.LESSON:
            for name, message in (
                ("context", _("Beschrijf de context van de les.")),
                ("what_happened", _("Beschrijf wat er gebeurde.")),
                ("do_differently", _("Beschrijf wat u anders zou doen.")),
                ("evidence", _("Geef de onderbouwing: een bron, meting of document.")),
            ):
                if not (getattr(self, name) or "").strip():
                    errors[name] = message
        elif not (self.body or "").strip():
            errors["body"] = _("Schrijf de tekst.")
        if self.figure and not (self.figure_text or "").strip():
            errors["figure_text"] = _("Beschrijf wat de figuur laat zien.")
        if errors:
            raise ValidationError(errors)


class Question(models.Model):
    """An open question of the field, asked by a member; others answer, one is accepted."""

    title = models.CharField(_("vraag"), max_length=200, validators=[validate_single_line])
    body = limited_text(_("toelichting"), QUESTION_MAX, blank=True, help_text=_("Markdown"))
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), blank=True, related_name="questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gesteld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    accepted_answer = models.OneToOneField(
        "Answer",
        verbose_name=_("geaccepteerd antwoord"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_for",
    )
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    #: When the asker was reminded to accept an answer (once; knowledge.mails).
    accept_reminder_sent_at = models.DateTimeField(
        _("herinnering om te accepteren verstuurd op"), null=True, blank=True
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="QuestionFollower",
        related_name="followed_questions",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["-created_at", "-id"]
        # The list, newest first (read backwards, no sort); also serves ranges of created_at.
        indexes = [
            models.Index(fields=["created_at", "id"], name="knowledge_question_listed"),
            # "Wie weet dit?" on a programme: only its questions with an accepted answer.
            models.Index(
                fields=["programme", "accepted_answer"], name="knowledge_question_accepted"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:question", kwargs={"pk": self.pk})

    def clean(self) -> None:
        """Refuse a question of only spaces (keyed by ``title``)."""
        if self.title and not self.title.strip():
            raise ValidationError({"title": _("Stel uw vraag.")})


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    body = limited_text(_("antwoord"), ANSWER_MAX, help_text=_("Markdown"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.question}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#antwoord-{self.pk}"

    def clean(self) -> None:
        """Refuse an empty answer (keyed by ``body``)."""
        if not (self.body or "").strip():
            raise ValidationError({"body": _("Schrijf uw antwoord.")})


class AnswerVote(models.Model):
    """One member's up-vote of one answer (one per member, never on their own answer)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")
        constraints = [
            models.UniqueConstraint(fields=["answer", "user"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.answer_id}"


class QuestionFollower(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="unique_question_follower")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.question_id}"


class TrainingOffer(models.Model):
    """A course or training offered by a knowledge institution or the programme (seed 002)."""

    class Kind(models.TextChoices):
        OPLEIDING = "opleiding", _("Opleiding")
        ON_THE_JOB = "on_the_job", _("Training on the job")
        OP_MAAT = "op_maat", _("Training op maat")
        ADVIES = "advies", _("Advisering")
        ROADSHOW = "roadshow", _("Roadshow")
        KENNISBIJEENKOMST = "kennisbijeenkomst", _("Kennisbijeenkomst")

    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    provider = models.CharField(
        _("aanbieder"), max_length=200, blank=True, validators=[validate_single_line]
    )
    description = limited_text(_("beschrijving"), LESSON_PART_MAX, blank=True)
    audience = models.CharField(
        _("voor wie"), max_length=300, blank=True, validators=[validate_single_line]
    )
    url = models.URLField(_("meer informatie"), blank=True, validators=[validate_http_url])
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_offers",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("thema's"), blank=True, related_name="+")
    active = models.BooleanField(_("in het aanbod"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("opleidings- of trainingsaanbod")
        verbose_name_plural = _("opleidings- en trainingsaanbod")
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

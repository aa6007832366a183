from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.validation import validate_plausible_year, validate_single_line, validate_text


class Theme(models.Model):
    name = models.CharField(
        _("naam"), max_length=100, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A region a programme works in (e.g. Regio Twente)."""

    name = models.CharField(
        _("naam"), max_length=100, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    name = models.CharField(
        _("naam"), max_length=200, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        _("samenvatting"), max_length=300, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(
        _("beschrijving"), blank=True, help_text=_("Markdown"), validators=[validate_text]
    )
    start_date = models.DateField(
        _("begint op"), null=True, blank=True, validators=[validate_plausible_year]
    )
    end_date = models.DateField(
        _("eindigt op"), null=True, blank=True, validators=[validate_plausible_year]
    )
    period_note = models.CharField(
        _("looptijd"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: vier jaar, met een evaluatie in het vierde jaar"),
        validators=[validate_single_line],
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), blank=True, related_name="programmes"
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regio's"), blank=True, related_name="programmes"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProgrammeMembership",
        related_name="team_programmes",
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        """Refuse an end date before the start date (keyed by ``end_date``)."""
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de begindatum.")})

    def is_team_member(self, user) -> bool:
        """Return True if ``user`` is on this programme's team (see permissions.is_team_member).

        Kept for the apps that ask the programme (newsletters); the rule is in permissions.py.
        """
        from .permissions import is_team_member

        return is_team_member(user, self)


class ProgrammeMembership(models.Model):
    class Role(models.TextChoices):
        PROGRAMMAMANAGER = "programmamanager", _("Programmamanager")
        SECRETARIS = "secretaris", _("Programmasecretaris")
        MEDEWERKER = "medewerker", _("Programmamedewerker")
        TREKKER = "trekker", _("Trekker")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lid van het programmateam")
        verbose_name_plural = _("programmateam")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="unique_programme_member")
        ]
        ordering = ["programme", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.programme})"


class ProgrammePartner(models.Model):
    """An organisation taking part in a programme, with its role (e.g. coördinerend
    kennispartner)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="programme_partnerships",
    )
    role = models.CharField(_("rol"), max_length=200, blank=True, validators=[validate_single_line])
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="programmes_one_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"


class GovernanceBody(models.Model):
    """A body that steers or runs a programme: its task, cadence, members and meetings."""

    class Kind(models.TextChoices):
        BESTUURLIJK_PLATFORM = "bestuurlijk_platform", _("Bestuurlijk platform")
        STUURGROEP = "stuurgroep", _("Stuurgroep")
        PROGRAMMADIRECTIE = "programmadirectie", _("Programmadirectie")
        PROGRAMMATEAM = "programmateam", _("Programmateam")
        ANDERS = "anders", _("Anders")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="governance_bodies"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200, validators=[validate_single_line])
    description = models.TextField(
        _("taak"),
        blank=True,
        help_text=_("Markdown"),
        max_length=5000,
        validators=[validate_text, MaxLengthValidator(5000)],
    )
    cadence = models.CharField(
        _("komt bijeen"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: één keer per jaar, of maandelijks"),
        validators=[validate_single_line],
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("bestuursorgaan")
        verbose_name_plural = _("aansturing en uitvoering")
        ordering = ["programme", "position", "id"]

    def __str__(self) -> str:
        return self.name


class GovernanceMember(models.Model):
    """A member of a governance body: a named person or a delegation, with role and
    organisation."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("naam"), max_length=200, validators=[validate_single_line])
    role = models.CharField(_("rol"), max_length=200, blank=True, validators=[validate_single_line])
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        ordering = ["body", "position", "id"]

    def __str__(self) -> str:
        return self.name


class GovernanceMeeting(models.Model):
    """A meeting date of a governance body."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("datum"), validators=[validate_plausible_year])
    note = models.CharField(
        _("onderwerp"), max_length=200, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")
        ordering = ["body", "date", "id"]

    def __str__(self) -> str:
        return f"{self.body} {self.date}"


class ProgrammeMilestone(models.Model):
    """A milestone on a programme's timeline (start, kick-off, evaluation, end)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("datum"), validators=[validate_plausible_year])
    title = models.CharField(_("mijlpaal"), max_length=200, validators=[validate_single_line])
    text = models.TextField(
        _("toelichting"),
        blank=True,
        max_length=2000,
        validators=[validate_text, MaxLengthValidator(2000)],
    )

    class Meta:
        verbose_name = _("mijlpaal van het programma")
        verbose_name_plural = _("tijdlijn")
        ordering = ["programme", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"

"""Verankering: each region's koffertje, and a programme's stakeholder field over time.

Koffertjes (seed 000): what a region of a programme wants to anchor after the programme ends,
as items of three elements. Stakeholder field (seed 004): organisations or groups rated on
interest and influence, with their step on the participatieladder and their direction; every
rating is kept as a dated row with its reason, so the grid shows each one's path over time.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.validation import validate_single_line, validate_text
from bouwplaats.programmes.models import Programme, Region
from bouwplaats.projects.models import Pilot

# Koffertjes ----------------------------------------------------------------------------------


class Koffertje(models.Model):
    """One region's koffertje in one programme, and who writes it.

    Writers are the verified members of ``organisations`` (the region's organisations) and the
    people the programme team names in ``writers``; everyone else reads.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="koffertjes"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="koffertjes"
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisaties van de regio"),
        blank=True,
        related_name="koffertjes",
        help_text=_("Hun geverifieerde leden vullen het koffertje"),
    )
    writers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door het programmateam aangewezen schrijvers"),
        blank=True,
        related_name="koffertjes",
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("koffertje")
        verbose_name_plural = _("koffertjes")
        ordering = ["programme", "region__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "region"], name="anchoring_one_koffertje_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} ({self.programme})"

    def get_absolute_url(self) -> str:
        return reverse(
            "anchoring:koffertje", kwargs={"slug": self.programme.slug, "region": self.region.slug}
        )


class KoffertjeItem(models.Model):
    """One thing in a koffertje: an element of the way of working, a partnership to continue or
    a next step, with its owner and how far the region is (idee → geborgd)."""

    class Element(models.TextChoices):
        WERKWIJZE = "werkwijze", _("Element van de werkwijze")
        SAMENWERKING = "samenwerking", _("Samenwerkingsverband om door te zetten")
        VERVOLGSTAP = "vervolgstap", _("Volgende stap")

    class Status(models.TextChoices):
        IDEE = "idee", _("Idee")
        BESPROKEN = "besproken", _("Besproken")
        BESLOTEN = "besloten", _("Besloten")
        GEBORGD = "geborgd", _("Geborgd")

    koffertje = models.ForeignKey(Koffertje, on_delete=models.CASCADE, related_name="items")
    element = models.CharField(_("onderdeel"), max_length=20, choices=Element.choices)
    text = models.TextField(
        _("wat de regio verankert"),
        max_length=2000,
        validators=[validate_text, MaxLengthValidator(2000)],
    )
    owner = models.CharField(
        _("eigenaar"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Wie het na het programma draagt, bijvoorbeeld de Taskforce Brabant"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEE
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bijgewerkt door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("onderdeel van het koffertje")
        verbose_name_plural = _("inhoud van het koffertje")
        ordering = ["koffertje", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_element_display()}: {self.text[:60]}"

    def clean(self) -> None:
        """Refuse a text of only spaces (keyed by ``text``)."""
        if self.text is not None and isinstance(self.text, str) and not self.text.strip():
            raise ValidationError({"text": _("Beschrijf wat de regio wil verankeren.")})


# Stakeholder field -------------------------------------------------------------------------

RATING_MIN, RATING_MAX = 1, 5


class Level(models.TextChoices):
    """The steps of the participatieladder (see PROMISES for what each one promises)."""

    INFORMEREN = "informeren", _("Informeren")
    RAADPLEGEN = "raadplegen", _("Raadplegen")
    ADVISEREN = "adviseren", _("Adviseren")
    COPRODUCEREN = "coproduceren", _("Coproduceren")
    MEEBESLISSEN = "meebeslissen", _("Meebeslissen")


# The promise each step makes to the stakeholder (participatieladder; IAP2's "promise to the
# public"): at adviseren a deviation from the advice is explained (REFERENCES.md §5).
PROMISES = {
    Level.INFORMEREN: _("Wij houden u op de hoogte van wat er besloten is en waarom."),
    Level.RAADPLEGEN: _(
        "Wij vragen uw mening, luisteren en laten weten wat we met uw inbreng hebben gedaan."
    ),
    Level.ADVISEREN: _("Uw advies weegt zwaar; wijken wij ervan af, dan leggen wij uit waarom."),
    Level.COPRODUCEREN: _(
        "Wij maken het samen: u bepaalt mee wat er komt, wij nemen de uitkomst zoveel "
        "mogelijk over."
    ),
    Level.MEEBESLISSEN: _("U beslist mee; wij voeren uit wat samen besloten is."),
}


class Direction(models.TextChoices):
    """Where a stakeholder stands in seed 004's model of coöperatief programmamanagement."""

    BOTTOM_UP = "bottom_up", _("Bottom-up: gemeenschap met drive en sociale cohesie")
    KLASSIEK = "klassiek", _("Daartussen: klassieke aanpak")
    TOP_DOWN = "top_down", _("Top-down: ambtelijke organisatie en belanghebbenden")


def _rating_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )


class Stakeholder(models.Model):
    """An organisation or group in a programme's (or one pilot's) stakeholder field.

    ``interest``, ``influence``, ``level`` and ``direction`` are the latest rating; every rating
    is also a :class:`StakeholderRating` row, the path over time.
    """

    class Kind(models.TextChoices):
        ORGANISATIE = "organisatie", _("Organisatie")
        GROEP = "groep", _("Groep")

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma"),
        on_delete=models.CASCADE,
        related_name="stakeholders",
    )
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stakeholders",
        help_text=_("Leeg: het hele programma"),
    )
    name = models.CharField(_("naam"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(
        _("soort"), max_length=20, choices=Kind.choices, default=Kind.ORGANISATIE
    )
    interest = _rating_field(_("belang (1–5)"))
    influence = _rating_field(_("invloed (1–5)"))
    level = models.CharField(
        _("trede op de participatieladder"), max_length=20, choices=Level.choices
    )
    direction = models.CharField(_("richting"), max_length=20, choices=Direction.choices)
    notes = models.TextField(
        _("notities"),
        blank=True,
        max_length=5000,
        validators=[validate_text, MaxLengthValidator(5000)],
    )
    rated_at = models.DateTimeField(_("laatst ingeschat op"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["programme", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("anchoring:stakeholder", kwargs={"slug": self.programme.slug, "pk": self.pk})

    def clean(self) -> None:
        """Refuse a pilot of another programme and a name of only spaces."""
        if self.name is not None and isinstance(self.name, str) and not self.name.strip():
            raise ValidationError({"name": _("Geef de stakeholder een naam.")})
        if self.pilot_id and self.programme_id and self.pilot.programme_id != self.programme_id:
            raise ValidationError({"pilot": _("Kies een pilot van dit programma.")})

    @property
    def promise(self) -> str:
        """Return the promise the stakeholder's step on the participatieladder makes."""
        return str(PROMISES.get(self.level, ""))

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        """Return True if the last rating is older than STAKEHOLDER_RERATE_DAYS (settings)."""
        days = getattr(settings, "STAKEHOLDER_RERATE_DAYS", 90)
        return (now or timezone.now()) - self.rated_at > datetime.timedelta(days=days)


class StakeholderRating(models.Model):
    """One dated rating of a stakeholder with its reason (never changed afterwards)."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="ratings")
    interest = _rating_field(_("belang (1–5)"))
    influence = _rating_field(_("invloed (1–5)"))
    level = models.CharField(
        _("trede op de participatieladder"), max_length=20, choices=Level.choices
    )
    direction = models.CharField(_("richting"), max_length=20, choices=Direction.choices)
    reason = models.CharField(
        _("reden van de inschatting"), max_length=500, validators=[validate_single_line]
    )
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
        verbose_name = _("inschatting")
        verbose_name_plural = _("inschattingen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.interest}/{self.influence} ({self.at:%Y-%m-%d})"

    def clean(self) -> None:
        """Refuse a reason of only spaces."""
        if self.reason is not None and isinstance(self.reason, str) and not self.reason.strip():
            raise ValidationError({"reason": _("Geef de reden van deze inschatting.")})


class StakeholderPerson(models.Model):
    """A named person at a stakeholder: seen by the programme team only (AVG: see avg.py)."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(_("naam"), max_length=200, validators=[validate_single_line])
    role = models.CharField(_("rol"), max_length=200, blank=True, validators=[validate_single_line])
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid van Bouwplaats"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stakeholder_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["stakeholder", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name is not None and isinstance(self.name, str) and not self.name.strip():
            raise ValidationError({"name": _("Geef de naam van de contactpersoon.")})

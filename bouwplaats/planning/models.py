"""Works in public space, joint works, combination requests and interest zones."""

import datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bouwplaats.accounts.models import Organisation
from bouwplaats.core.validation import validate_plausible_year, validate_single_line

from .fields import WkbField
from .geo import validate_area, validate_wgs84_geometry

# Long texts get a bound too: a description is read on a page, not a document store.
TEXT_MAX = 5000
# A TextField's max_length reaches only its form field: the model enforces it through this.
text_max = MaxLengthValidator(TEXT_MAX)


class Department(models.TextChoices):
    PROGRAMMERING = "programmering", _("Programmering")
    VERKEER = "verkeer", _("Verkeer")
    RUIMTELIJKE_PROJECTEN = "ruimtelijke projecten", _("Ruimtelijke projecten")
    WIJKBEHEER = "wijkbeheer", _("Wijkbeheer")


@lru_cache(maxsize=64)
def _department_label(value: str, language: str | None) -> str:
    return str(dict(Department.choices).get(value, value))


_MARK = "987654321"


@lru_cache(maxsize=32)
def _detail_pattern(language: str | None, prefix: str) -> tuple[str, str]:
    # The work page's URL reversed once, its id cut out: reverse() per work was half the
    # map's and the lists' remaining time.
    url = reverse("planning:detail", args=[int(_MARK)])
    before, _mark, after = url.partition(_MARK)
    return before, after


def validate_period(start, end, field: str = "end") -> None:
    """Raise ValidationError ``{field: …}`` (code ``end_before_start``) when ``end`` < ``start``.

    The one check of a period: works, joint periods, and the period filters of the maps, the
    list and the API (``from``/``to``). Either side missing is no error.
    """
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        raise ValidationError(
            {field: _("De einddatum ligt voor de begindatum.")}, code="end_before_start"
        )


def work_url(pk: int) -> str:
    """Return the work page's URL of the work ``pk`` (``Work.get_absolute_url``)."""
    before, after = _detail_pattern(get_language(), get_script_prefix())
    return f"{before}{pk}{after}"


class JointWork(models.Model):
    """Works of different owners combined after an accepted request; each keeps its history."""

    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    # The one period the owners agree on: one side proposes, another owner agrees.
    period_start = models.DateField(
        _("afgesproken begin"), null=True, blank=True, validators=[validate_plausible_year]
    )
    period_end = models.DateField(
        _("afgesproken einde"), null=True, blank=True, validators=[validate_plausible_year]
    )
    agreed_at = models.DateTimeField(_("afgesproken op"), null=True, blank=True)
    proposed_start = models.DateField(
        _("voorgesteld begin"), null=True, blank=True, validators=[validate_plausible_year]
    )
    proposed_end = models.DateField(
        _("voorgesteld einde"), null=True, blank=True, validators=[validate_plausible_year]
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorgesteld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation that proposed: another owner has to agree.
    proposed_for = models.ForeignKey(
        Organisation,
        verbose_name=_("voorgesteld namens"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("gezamenlijk werk")
        verbose_name_plural = _("gezamenlijke werken")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:joint", args=[self.pk])

    def clean(self) -> None:
        validate_period(self.period_start, self.period_end, "period_end")
        validate_period(self.proposed_start, self.proposed_end, "proposed_end")

    @property
    def agreed_period(self) -> tuple[datetime.date, datetime.date] | None:
        """Return the agreed (start, end), or None while the owners have not agreed one."""
        if self.period_start and self.period_end:
            return self.period_start, self.period_end
        return None


# What the map, the list and the API filter works by (selectors.Filters, and the residents'
# public works): each filter index holds all of them, so any combination of filters is
# checked inside one index and counted or walked in the lists' order (start, id) without
# reading a row that does not match.
WORK_FILTER_COLUMNS = ("end", "public", "status", "kind", "owner")


def _work_filter_indexes() -> list[models.Index]:
    """Return the lists' order index and one per equality filter (owner, kind, status), each
    led by its filter, then start and id (the order), then the other filter columns."""
    indexes = [
        models.Index(fields=["start", "id", *WORK_FILTER_COLUMNS], name="planning_work_order_all")
    ]
    for lead in ("owner", "kind", "status"):
        rest = [name for name in WORK_FILTER_COLUMNS if name != lead]
        indexes.append(
            models.Index(fields=[lead, "start", "id", *rest], name=f"planning_work_{lead}_all")
        )
    return indexes


class Work(models.Model):
    """A planned work in public space; geometry is GeoJSON in WGS84, cached in RD New."""

    class Kind(models.TextChoices):
        RIOLERING = "riolering", _("Riolering")
        ASFALT = "asfalt", _("Asfalt")
        KABELS = "kabels en leidingen", _("Kabels en leidingen")
        GROEN = "groen", _("Groen")
        VERKEER = "verkeer", _("Verkeer")
        WONINGBOUW = "woningbouw", _("Woningbouw")
        INITIATIEF = "initiatief", _("Bewonersinitiatief")
        ANDERS = "anders", _("Anders")

    class Status(models.TextChoices):
        IDEE = "idee", _("Idee")
        GEPLAND = "gepland", _("Gepland")
        IN_VOORBEREIDING = "in voorbereiding", _("In voorbereiding")
        IN_UITVOERING = "in uitvoering", _("In uitvoering")
        GEREED = "gereed", _("Gereed")

    class Initiative(models.TextChoices):
        NONE = "", _("Geen initiatief")
        PROPOSED = "proposed", _("Voorgesteld")
        ACCEPTED = "accepted", _("Geaccepteerd")
        DECLINED = "declined", _("Afgewezen")

    class Hindrance(models.TextChoices):
        GEEN = "geen", _("Geen hinder")
        BEPERKT = "beperkt", _("Beperkte hinder (stoep of fietspad)")
        RIJSTROOK = "rijstrook", _("Rijstrook dicht")
        AFSLUITING = "afsluiting", _("Afsluiting")

    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="planning_works",
        # planning_work_owner_all leads with the owner: it serves the foreign key's look-ups.
        db_index=False,
    )
    department = models.CharField(
        _("afdeling"), max_length=40, choices=Department.choices, blank=True
    )
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    description = models.TextField(
        _("omschrijving"), max_length=TEXT_MAX, blank=True, validators=[text_max]
    )
    kind = models.CharField(_("soort werk"), max_length=30, choices=Kind.choices)
    geometry = models.JSONField(
        _("geometrie (GeoJSON, WGS84)"), validators=[validate_wgs84_geometry]
    )
    # RD New (EPSG:28992) copies, kept in step by the services: the analysis works in metres
    # and the bounding box lets one saved work find its neighbours with an indexed query.
    rd_wkb = WkbField(editable=False)
    rd_minx = models.FloatField(editable=False)
    rd_miny = models.FloatField(editable=False)
    rd_maxx = models.FloatField(editable=False)
    rd_maxy = models.FloatField(editable=False)
    # The larger side of the bounding box: bounds the window one save has to read.
    rd_span = models.FloatField(editable=False, default=0.0, db_index=True)
    start = models.DateField(_("begin"), validators=[validate_plausible_year])
    end = models.DateField(_("einde"), validators=[validate_plausible_year])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GEPLAND
    )
    hindrance = models.CharField(
        _("hinder"), max_length=20, choices=Hindrance.choices, default=Hindrance.GEEN
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, validators=[validate_single_line]
    )
    external_id = models.CharField(
        _("extern kenmerk"), max_length=100, blank=True, validators=[validate_single_line]
    )
    public = models.BooleanField(_("openbaar"), default=True)
    joint = models.ForeignKey(
        JointWork,
        verbose_name=_("gezamenlijk werk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="works",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planning_works",
    )
    # A residents' initiative: proposed by any member to the organisation ``owner`` (the
    # municipality), non-public until one of its planners accepts it.
    initiative = models.CharField(
        _("bewonersinitiatief"),
        max_length=10,
        choices=Initiative.choices,
        blank=True,
        default=Initiative.NONE,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorgesteld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planning_initiatives",
    )
    # Why the municipality declined the initiative: the proposer reads it (list, mail).
    initiative_reason = models.TextField(
        _("reden van afwijzen"), max_length=TEXT_MAX, blank=True, validators=[text_max]
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("werk")
        verbose_name_plural = _("werken")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~Q(external_id=""),
                name="planning_work_external_id_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="planning_work_end_after_start"
            ),
        ]
        indexes = [
            # A window's works (selectors.in_bbox: the maps, GET /works?bbox, one save's
            # neighbours): the extent, the lists' order and every filter column in the
            # index, so a window is filtered, counted and ordered without reading a row.
            models.Index(
                fields=[
                    "rd_minx",
                    "rd_maxx",
                    "rd_miny",
                    "rd_maxy",
                    "start",
                    "id",
                    *WORK_FILTER_COLUMNS,
                ],
                name="planning_work_rd_box",
            ),
            *_work_filter_indexes(),
            # The residents' works (selectors.resident_works: public, neither an idea nor
            # finished) in a period: their count reads this small index instead of every
            # row. Not a partial index: SQLite cannot prove a condition on bound parameters
            # implies it.
            models.Index(
                fields=["public", "status", "start", "end"], name="planning_work_residents_period"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return work_url(self.pk)

    def clean(self) -> None:
        # Said here, beside the field, before the database's check constraint says it bare.
        validate_period(self.start, self.end)
        if self.initiative == self.Initiative.DECLINED and not self.initiative_reason.strip():
            raise ValidationError(
                {
                    "initiative_reason": _(
                        "Geef een reden op: de bewoner leest waarom het initiatief is afgewezen."
                    )
                },
                code="reason_required",
            )

    @property
    def owner_label(self) -> str:
        """Return the owner as shown: the organisation and, if set, its department."""
        if self.department:
            # A dict look-up: get_department_display() rebuilds the choices on every call,
            # which the map does for up to 2,000 works.
            label = _department_label(self.department, get_language())
            return f"{self.owner.name} ({label.lower()})"
        return self.owner.name

    @property
    def owner_key(self) -> str:
        """Identify the owner for combinations: departments of one organisation differ."""
        return f"{self.owner_id}:{self.department}"


class CombinationRequest(models.Model):
    """A planner asks the other owner to combine two works before ``deadline``."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Geaccepteerd")
        DECLINED = "declined", _("Afgewezen")

    from_work = models.ForeignKey(
        Work, verbose_name=_("van werk"), on_delete=models.CASCADE, related_name="requests_sent"
    )
    to_work = models.ForeignKey(
        Work,
        verbose_name=_("met werk"),
        on_delete=models.CASCADE,
        related_name="requests_received",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(
        _("toelichting"), max_length=TEXT_MAX, blank=True, validators=[text_max]
    )
    contact = models.CharField(
        _("contactpersoon"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Wie de andere eigenaar kan bellen of mailen over dit verzoek"),
    )
    deadline = models.DateField(_("antwoord graag voor"), validators=[validate_plausible_year])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reason = models.TextField(_("reden"), max_length=TEXT_MAX, blank=True, validators=[text_max])
    answer = models.TextField(
        _("bericht bij het antwoord"), max_length=TEXT_MAX, blank=True, validators=[text_max]
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwoord door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("combinatieverzoek")
        verbose_name_plural = _("combinatieverzoeken")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_work", "to_work"],
                condition=Q(status="open"),
                name="planning_one_open_request_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_work} + {self.to_work}"

    def clean(self) -> None:
        if self.from_work_id and self.from_work_id == self.to_work_id:
            raise ValidationError(
                {"to_work": _("Een werk kan niet met zichzelf worden gecombineerd.")}
            )


class InterestZone(models.Model):
    """An area an owner watches: its member is mailed when anyone plans a work inside."""

    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="planning_interest_zones",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        on_delete=models.CASCADE,
        related_name="planning_interest_zones",
    )
    name = models.CharField(_("naam"), max_length=200, validators=[validate_single_line])
    geometry = models.JSONField(_("gebied (GeoJSON, WGS84)"), validators=[validate_area])
    rd_wkb = models.BinaryField(editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("interessegebied")
        verbose_name_plural = _("interessegebieden")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class StreetFollow(models.Model):
    """A resident follows a street: mailed about new works there, after double opt-in.

    ``area`` is the place the locator found with its reach (planning.locator), in WGS84;
    ``token`` is the secret of the confirmation and unsubscribe links.
    """

    email = models.EmailField(_("e-mailadres"))
    place = models.CharField(_("straat"), max_length=200, validators=[validate_single_line])
    area = models.JSONField(_("gebied (GeoJSON, WGS84)"), validators=[validate_area])
    rd_wkb = models.BinaryField(editable=False)
    token = models.CharField(max_length=64, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("gevolgde straat")
        verbose_name_plural = _("gevolgde straten")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "place"], name="planning_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.email})"


class PairFacts(models.Model):
    """What both works of a stored pair share, for the filters of the list (selectors.Filters).

    A filter keeps a pair when both its works match it (``selectors.work_list``): both of
    that owner, of that kind, in that status, and both overlapping the period. Written with
    the pair by ``pairs.pairs_refresh`` and ``pairs.pairs_rebuild`` only (the work fields are
    in ``pairs.PAIR_INPUTS``), so a filtered list reads one indexed table, no work rows.
    """

    # The owner of both works, null when they differ.
    shared_owner = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The kind and the status of both works, empty when they differ.
    shared_kind = models.CharField(max_length=30, blank=True)
    shared_status = models.CharField(max_length=20, blank=True)
    # Both works overlap the period [from, to] exactly when latest_start <= to and
    # earliest_end >= from.
    latest_start = models.DateField()
    earliest_end = models.DateField()

    class Meta:
        abstract = True


PAIR_FACT_COLUMNS = (
    "public",
    "shared_owner",
    "shared_kind",
    "shared_status",
    "latest_start",
    "earliest_end",
)


def _pair_filter_indexes(prefix: str, rank: list[str]) -> list[models.Index]:
    """Return the filter indexes of a pair table ranked by ``rank``.

    One per equality filter (owner, kind, status), led by it, then the rank (a page walks it
    in order), then the other facts; and the rank with every fact (a period alone, or no
    filter): any combination is checked inside one index, no pair row read that does not
    match.
    """
    indexes = [models.Index(fields=[*rank, *PAIR_FACT_COLUMNS], name=f"{prefix}_rank_all")]
    for lead in ("shared_owner", "shared_kind", "shared_status"):
        rest = [name for name in PAIR_FACT_COLUMNS if name != lead]
        short = lead.removeprefix("shared_")
        indexes.append(models.Index(fields=[lead, *rank, *rest], name=f"{prefix}_{short}_all"))
    return indexes


class Combination(PairFacts):
    """A combination chance between two works at the default distance and gap (PRODUCT §6).

    Kept by ``pairs.pairs_refresh`` whenever a work is saved (and rebuilt by ``manage.py
    planning_rebuild_pairs``), so lists read it instead of recomputing the analysis.
    ``work_a`` is the lower id; ``public`` is true when both works are public (visitors).
    """

    work_a = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    work_b = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    distance_m = models.FloatField()
    gap_days = models.IntegerField()
    score = models.FloatField()
    public = models.BooleanField()

    class Meta:
        verbose_name = _("combinatiekans")
        verbose_name_plural = _("combinatiekansen")
        constraints = [
            models.UniqueConstraint(fields=["work_a", "work_b"], name="planning_combination_once"),
            models.CheckConstraint(
                condition=Q(work_a__lt=models.F("work_b")), name="planning_combination_a_lt_b"
            ),
        ]
        # The lists' order (analysis: best score, then closest, then ids), for all and public,
        # and under the filters.
        indexes = [
            models.Index(
                fields=["public", "-score", "distance_m", "work_a", "work_b"],
                name="planning_combo_public_rank",
            ),
            *_pair_filter_indexes("planning_combo", ["-score", "distance_m", "work_a", "work_b"]),
        ]

    def __str__(self) -> str:
        return f"{self.work_a_id} + {self.work_b_id}"


class Conflict(PairFacts):
    """A conflict (GIPOD) between two hindering works, kept as ``Combination`` is."""

    work_a = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    work_b = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    heavy = models.BooleanField()
    distance_m = models.FloatField()
    buffer_m = models.FloatField()
    overlap_start = models.DateField()
    overlap_end = models.DateField()
    public = models.BooleanField()

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicten")
        constraints = [
            models.UniqueConstraint(fields=["work_a", "work_b"], name="planning_conflict_once"),
            models.CheckConstraint(
                condition=Q(work_a__lt=models.F("work_b")), name="planning_conflict_a_lt_b"
            ),
        ]
        # Heavy first, then closest, then ids; for all, public, and under the filters.
        indexes = [
            models.Index(
                fields=["public", "-heavy", "distance_m", "work_a", "work_b"],
                name="planning_conflict_public_rank",
            ),
            *_pair_filter_indexes(
                "planning_conflict", ["-heavy", "distance_m", "work_a", "work_b"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_a_id} × {self.work_b_id}"

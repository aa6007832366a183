import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.validation import (
    validate_http_url,
    validate_plausible_year,
    validate_single_line,
    validate_text,
)
from bouwplaats.programmes.models import Programme, Theme

# The most seats a session can offer; more is a typing error, not a congress.
CAPACITY_MAX = 100_000


def limited_text(verbose_name, max_length: int, **kwargs) -> models.TextField:
    """Return a TextField whose ``max_length`` is also checked by full_clean() (Django checks
    a TextField's max_length only in forms)."""
    return models.TextField(
        verbose_name,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length), validate_text],
        **kwargs,
    )


@deconstructible
class TextListValidator:
    """Accept a list of at most ``max_items`` one-line texts of at most ``max_length`` each.

    Used for a session's criteria and questions (JSON lists). Raises ValidationError with
    code ``list`` (not a list of texts), ``max_items``, ``max_length`` or
    ``control_characters``; the message names the item's number.
    """

    def __init__(self, *, max_items: int, max_length: int):
        self.max_items = max_items
        self.max_length = max_length

    def __call__(self, value) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("Geef een lijst met teksten."), code="list")
        if len(value) > self.max_items:
            raise ValidationError(
                _("Geef hooguit %(max)s regels."), code="max_items", params={"max": self.max_items}
            )
        for number, item in enumerate(value, start=1):
            if len(item) > self.max_length:
                raise ValidationError(
                    _("Regel %(n)s is langer dan %(max)s tekens."),
                    code="max_length",
                    params={"n": number, "max": self.max_length},
                )
            try:
                validate_single_line(item)
            except ValidationError as exc:
                raise ValidationError(
                    _("Regel %(n)s bevat stuurtekens."), code=exc.code, params={"n": number}
                ) from exc

    def __eq__(self, other) -> bool:
        return isinstance(other, TextListValidator) and (self.max_items, self.max_length) == (
            other.max_items,
            other.max_length,
        )


# A part's time: a time of day ("13:45", "9.30 uur") or a span ("12:45 - 15:30u", as seed 001).
_CLOCK = r"(\d{1,2})[:.](\d{2})"
_PART_TIME = re.compile(rf"{_CLOCK}(?:\s*(?:-|–|—|tot)\s*{_CLOCK})?\s*(?:u|uur)?", re.IGNORECASE)


def validate_part_time(value: str) -> None:
    """Accept an empty text, a time of day or a span of two, ending after it begins.

    Forms: "13:45", "9.30 uur", "12:45 - 15:30u", "12:45–15:30". Raises ValidationError
    (code ``part_time``) for anything else, such as "25:99" or "14:00 - 13:00".
    """
    if not value or not value.strip():
        return
    found = _PART_TIME.fullmatch(value.strip())
    clocks = [int(n) for n in found.groups() if n is not None] if found else []
    pairs = list(zip(clocks[::2], clocks[1::2], strict=True))
    if (
        not pairs
        or any(hour > 23 or minute > 59 for hour, minute in pairs)
        or (len(pairs) == 2 and pairs[1] <= pairs[0])
    ):
        raise ValidationError(
            _("Geef een tijd als 13:45 of een tijdvak als 12:45 - 15:30."), code="part_time"
        )


class Session(models.Model):
    """A sessie: bouwsessie, leerplatformsessie, webinar, cursus, congres or bijeenkomst."""

    class Type(models.TextChoices):
        BOUWSESSIE = "bouwsessie", _("Bouwsessie")
        LEERPLATFORMSESSIE = "leerplatformsessie", _("Leerplatformsessie")
        WEBINAR = "webinar", _("Webinar")
        CURSUS = "cursus", _("Cursus")
        CONGRES = "congres", _("Congres")
        BIJEENKOMST = "bijeenkomst", _("Bijeenkomst")
        THEMABIJEENKOMST = "themabijeenkomst", _("Themabijeenkomst")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")
        CANCELLED = "cancelled", _("Geannuleerd")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Iedereen")
        PARTICIPANTS = "participants", _("Alleen deelnemers")
        HOSTS = "hosts", _("Alleen organisatoren")

    class Facilitation(models.TextChoices):
        NONE = "", _("Niet gevraagd")
        REQUESTED = "requested", _("Facilitering gevraagd")
        SENT_BACK = "sent_back", _("Teruggestuurd")
        ACCEPTED = "accepted", _("Gefaciliteerd")
        WITHOUT = "without", _("Gepubliceerd zonder facilitering")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.PROTECT, related_name="sessions"
    )
    type = models.CharField(_("soort"), max_length=30, choices=Type.choices)
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    intro = models.TextField(
        _("inleiding"), blank=True, help_text=_("Markdown"), validators=[validate_text]
    )
    goal = models.TextField(
        _("doel"), blank=True, help_text=_("Markdown"), validators=[validate_text]
    )
    audience = models.CharField(
        _("doelgroep"), max_length=300, blank=True, validators=[validate_single_line]
    )
    criteria = models.JSONField(
        _("criteria deelnemers"),
        default=list,
        blank=True,
        help_text=_("Eén criterium per regel"),
        validators=[TextListValidator(max_items=30, max_length=500)],
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bouwmeester"),
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
    )
    co_hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mede-organisatoren"),
        blank=True,
        related_name="co_hosted_sessions",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("thema's"), blank=True)
    start = models.DateTimeField(_("begint"), db_index=True, validators=[validate_plausible_year])
    end = models.DateTimeField(_("eindigt"), validators=[validate_plausible_year])
    location = models.CharField(
        _("locatie"), max_length=300, blank=True, validators=[validate_single_line]
    )
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(
        _("link naar de online bijeenkomst"), blank=True, validators=[validate_http_url]
    )
    capacity = models.PositiveIntegerField(
        _("maximum aantal deelnemers"),
        null=True,
        blank=True,
        help_text=_("Leeg: onbeperkt"),
        validators=[
            MinValueValidator(0, _("Het maximum aantal deelnemers kan niet negatief zijn.")),
            MaxValueValidator(
                CAPACITY_MAX, _("Het maximum aantal deelnemers is hooguit %(limit_value)s.")
            ),
        ],
    )
    registration_deadline = models.DateTimeField(
        _("aanmelden kan tot"), null=True, blank=True, validators=[validate_plausible_year]
    )
    requires_approval = models.BooleanField(_("organisator beoordeelt aanmeldingen"), default=False)
    questions = models.JSONField(
        _("vragen bij aanmelding"),
        default=list,
        blank=True,
        help_text=_("Eén vraag per regel"),
        validators=[TextListValidator(max_items=20, max_length=500)],
    )
    participant_visibility = models.CharField(
        _("deelnemerslijst zichtbaar voor"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    facilitation = models.CharField(
        _("facilitering"), max_length=20, choices=Facilitation.choices, blank=True, default=""
    )
    facilitation_note = limited_text(_("toelichting facilitering"), 2000, blank=True)
    # A request to the programme team (facilitation "requested") asks it to publish the
    # session; with this also to facilitate it (PRODUCT.md §1: "indien gewenst gefaciliteerd").
    facilitation_wanted = models.BooleanField(_("facilitering gewenst"), default=True)
    # The programme team's answer to a facilitation request: who facilitates, and what they say.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_sessions",
    )
    facilitation_answer = limited_text(_("antwoord van het programmateam"), 2000, blank=True)
    # Told to everyone registered and shown on the session's page.
    cancellation_reason = limited_text(_("reden van annulering"), 2000, blank=True)
    sequence = models.PositiveIntegerField(
        _("iCalendar-volgnummer"), default=0, help_text=_("Stijgt bij elke vastgelegde wijziging")
    )
    # Kept by the registration services under the session's row lock (see
    # events/services/registrations.py), so a registration reads its seat count with the lock
    # instead of counting rows; every change other than a new registration recounts.
    seats_confirmed = models.PositiveIntegerField(
        _("bevestigde plaatsen"), default=0, editable=False
    )
    # When a registration last queued the task that sends the session's owed mails; the task
    # clears it, under the same lock, once it finds none due.
    mail_task_queued_at = models.DateTimeField(
        _("berichtentaak in de wachtrij sinds"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})

    # "deze bouwsessie" but "dit congres": Dutch takes "dit" for het-words (issue 15 §8).
    THIS_TYPE = {
        Type.BOUWSESSIE: _("deze bouwsessie"),
        Type.LEERPLATFORMSESSIE: _("deze leerplatformsessie"),
        Type.WEBINAR: _("dit webinar"),
        Type.CURSUS: _("deze cursus"),
        Type.CONGRES: _("dit congres"),
        Type.BIJEENKOMST: _("deze bijeenkomst"),
        Type.THEMABIJEENKOMST: _("deze themabijeenkomst"),
    }

    @property
    def this_type(self) -> str:
        """Return the session named by its type with its demonstrative: "dit congres"."""
        return str(self.THIS_TYPE.get(self.type, _("deze sessie")))

    @property
    def ical_uid(self) -> str:
        """Return the iCalendar UID, stable for the life of the session."""
        return f"sessie-{self.pk}@bouwplaats"

    def clean(self) -> None:
        """Check the rules between fields; messages are keyed by the field to correct.

        Runs in full_clean() after the field checks, so any field may still be empty here.
        """
        errors: dict[str, str] = {}
        if self.title and not self.title.strip():
            errors["title"] = _("Geef de sessie een titel.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("De eindtijd moet na de begintijd liggen.")
        if self.end and self.registration_deadline and self.registration_deadline > self.end:
            errors["registration_deadline"] = _("Aanmelden moet sluiten voordat de sessie afloopt.")
        if not (self.location or "").strip() and not self.online:
            errors["location"] = _("Geef een locatie op of kies online (of allebei).")
        if errors:
            raise ValidationError(errors)

    # Other apps (spaces, the registration service) ask these; the rules are in permissions.py.
    def can_manage(self, user) -> bool:
        """Return True if ``user`` may edit this session (see permissions.can_manage_session)."""
        from .permissions import can_manage_session

        return can_manage_session(user, self)

    def is_participant(self, user) -> bool:
        """Return True if ``user`` is a confirmed participant (see permissions.is_participant)."""
        from .permissions import is_participant

        return is_participant(user, self)


# A label a host typed into a part's title ("Deel 1: Welkom", "Deel 2", "Part 3 -"): the
# platform numbers the parts itself, so the label is shown once (issue 17, "Deel 1: Deel 1").
_PART_LABEL = re.compile(r"\s*(?:deel|part)\s+\d+\s*(?:[:.\-–—]\s*|$)", re.IGNORECASE)


def part_heading(number: int, title: str) -> str:
    """Return a part's heading: "Deel 2: Structurele procesverbeteringen".

    A label already typed at the start of ``title`` ("Deel 2: …", "Deel 2") is left out, so
    that the number shows once: "Deel 2" for a title that is only its label.
    """
    label = str(_("Deel %(n)s")) % {"n": number}
    rest = _PART_LABEL.sub("", title, count=1).strip() if _PART_LABEL.match(title) else title
    return f"{label}: {rest}" if rest else label


class SessionPart(models.Model):
    """One part of a session's programme: "Deel 1: …"."""

    # The most parts one session's programme holds.
    MAX_PER_SESSION = 50

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=300, validators=[validate_single_line])
    time = models.CharField(
        _("tijd"),
        max_length=50,
        blank=True,
        validators=[validate_single_line, validate_part_time],
        help_text=_("Een tijd (13:45) of tijdvak (12:45 - 15:30)"),
    )
    text = limited_text(_("tekst"), 5000, blank=True, help_text=_("Markdown"))

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programma")
        ordering = ["session", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Highlight(models.Model):
    """A highlight of the programme: a speaker, their organisation and a quote."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="highlights")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    speaker = models.CharField(_("spreker"), max_length=200, validators=[validate_single_line])
    organisation = models.CharField(
        _("organisatie"), max_length=200, blank=True, validators=[validate_single_line]
    )
    quote = limited_text(_("citaat"), 2000, blank=True)

    class Meta:
        verbose_name = _("highlight")
        verbose_name_plural = _("highlights")
        ordering = ["session", "position", "id"]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.organisation})"


class Registration(models.Model):
    """A member's registration for a session ("Ja, ik praat mee")."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op beoordeling")
        CONFIRMED = "confirmed", _("Aangemeld")
        WAITLISTED = "waitlisted", _("Op de wachtlijst")
        DECLINED = "declined", _("Afgewezen")
        CANCELLED = "cancelled", _("Afgemeld")

    # Every read of registrations goes through a session: the unique constraint and the
    # (session, status, created_at) index below serve them, so no index of their own for
    # session, status or created_at (each would be one more write per registration).
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", db_index=False
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    answers = models.JSONField(_("antwoorden"), default=dict, blank=True)
    reason = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The mail the member is still owed about this registration ("confirmed", "promoted",
    # "cancelled", ...), written in the same transaction as the change it reports, so that a
    # mail is never lost between a commit and the queue; tasks.send_registration_mails sends it.
    mail_due = models.CharField(_("bericht te versturen"), max_length=20, blank=True)
    mail_due_at = models.DateTimeField(_("bericht verschuldigd sinds"), null=True, blank=True)
    # The SEQUENCE of the last calendar invitation or cancellation mailed to this member: the
    # next one is higher, so that a REQUEST after the member's own CANCEL (signing up again)
    # still counts in their calendar. Written by mails.py when it builds the message.
    ical_sequence = models.PositiveIntegerField(
        _("laatst verstuurd iCalendar-volgnummer"), default=0
    )
    # Who made the last change (the member, a host, the programme team; None: the platform):
    # the host notices and the daily overview leave out the host who acted. No index: it is
    # only read with its registration, and a deleted account (rare) may scan for its rows.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gewijzigd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="unique_registration"),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            models.Index(
                fields=["session", "mail_due_at"],
                condition=~models.Q(mail_due=""),
                name="registration_mail_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.session} ({self.status})"


class SessionChange(models.Model):
    """A recorded change to a published session's date, time, location or programme."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("veld"), max_length=50)
    old = models.TextField(_("oud"), blank=True)
    new = models.TextField(_("nieuw"), blank=True)
    changed_at = models.DateTimeField(_("gewijzigd op"), auto_now_add=True, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        ordering = ["session", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.session}: {self.field}"

    # How a start or end is recorded (services.common._show): the nieuwsflits compares its date
    # and clock parts, so the record keeps this form; people read the one Dutch format.
    RECORDED_MOMENT = "%d-%m-%Y %H:%M"

    def shown(self, value: str) -> str:
        """Return a recorded value as people read it ("dinsdag 15 december 2026, 09:30")."""
        if self.field in ("start", "end") and value:
            try:
                moment = datetime.datetime.strptime(value, self.RECORDED_MOMENT)  # noqa: DTZ007
            except ValueError:
                return value
            return date_format(moment, "DATETIME_FORMAT")
        return value

    @property
    def old_shown(self) -> str:
        return self.shown(self.old)

    @property
    def new_shown(self) -> str:
        return self.shown(self.new)


class CoHostInvitation(models.Model):
    """An invitation to organise a session along: the invited member accepts or declines.

    Made for any address a manager types, whether or not it belongs to an account (the answer
    must not tell which); only the member who has this address verified can accept it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op antwoord")
        ACCEPTED = "accepted", _("Aanvaard")
        DECLINED = "declined", _("Afgeslagen")
        WITHDRAWN = "withdrawn", _("Ingetrokken")

    # How long an invitation can be accepted.
    VALID_DAYS = 14

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="cohost_invitations"
    )
    email = models.EmailField(_("e-mailadres"), validators=[validate_single_line])
    # The link's token is not stored: only its SHA-256 digest, which the link is looked up by
    # (as accounts.ApiToken keeps its keys). The token is an HMAC of the random seed under
    # SECRET_KEY, so that the mail task can build the link from the invitation's id while the
    # database alone gives no working link. Invitations from before 0011 have no seed: their
    # link was mailed when they were made and works by its digest.
    token_seed = models.CharField(max_length=64, blank=True, default="", editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uitgenodigd op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("geldig tot"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging mede-organisator")
        verbose_name_plural = _("uitnodigingen mede-organisator")
        ordering = ["session", "created_at", "id"]
        constraints = [
            # One open invitation per address and session (addresses are stored lowercased).
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status="pending"),
                name="unique_open_cohost_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.session}"

    def get_absolute_url(self) -> str:
        """Return the invitation's link, or "" for one made before 0011 (only its mail has it)."""
        token = self.token
        return reverse("events:cohost_invitation", kwargs={"token": token}) if token else ""

    TOKEN_SALT = "bouwplaats.events.CoHostInvitation.token"

    @staticmethod
    def hash_token(token: str) -> str:
        """Return the hex SHA-256 digest the invitation with link token ``token`` is stored by."""
        # The token carries 256 bits from the seed: a fast digest is enough (no guessing).
        return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()

    @classmethod
    def token_for_seed(cls, seed: str) -> str:
        """Return the link token of ``seed``: 64 hex digits, an HMAC-SHA256 under SECRET_KEY."""
        return salted_hmac(cls.TOKEN_SALT, seed, algorithm="sha256").hexdigest()

    def set_new_token(self) -> str:
        """Give the invitation a new random seed and its digest; return the link token."""
        self.token_seed = secrets.token_urlsafe(32)
        token = self.token_for_seed(self.token_seed)
        self.token_hash = self.hash_token(token)
        return token

    @property
    def token(self) -> str:
        """Return the token of the invitation's link ("" for one made before 0011)."""
        return self.token_for_seed(self.token_seed) if self.token_seed else ""

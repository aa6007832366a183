from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bouwplaats.programmes.models import Programme, Theme


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

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.PROTECT, related_name="sessions"
    )
    type = models.CharField(_("soort"), max_length=30, choices=Type.choices)
    title = models.CharField(_("titel"), max_length=200)
    intro = models.TextField(_("inleiding"), blank=True, help_text=_("Markdown"))
    goal = models.TextField(_("doel"), blank=True, help_text=_("Markdown"))
    audience = models.CharField(_("doelgroep"), max_length=300, blank=True)
    criteria = models.JSONField(
        _("criteria deelnemers"), default=list, blank=True, help_text=_("Eén criterium per regel")
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
    start = models.DateTimeField(_("begint"), db_index=True)
    end = models.DateTimeField(_("eindigt"))
    location = models.CharField(_("locatie"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("link naar de online bijeenkomst"), blank=True)
    capacity = models.PositiveIntegerField(
        _("maximum aantal deelnemers"), null=True, blank=True, help_text=_("Leeg: onbeperkt")
    )
    registration_deadline = models.DateTimeField(_("aanmelden kan tot"), null=True, blank=True)
    requires_approval = models.BooleanField(_("organisator beoordeelt aanmeldingen"), default=False)
    questions = models.JSONField(
        _("vragen bij aanmelding"), default=list, blank=True, help_text=_("Eén vraag per regel")
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
    facilitation_note = models.TextField(_("toelichting facilitering"), blank=True)
    sequence = models.PositiveIntegerField(
        _("iCalendar-volgnummer"), default=0, help_text=_("Stijgt bij elke vastgelegde wijziging")
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

    @property
    def ical_uid(self) -> str:
        """Return the iCalendar UID, stable for the life of the session."""
        return f"sessie-{self.pk}@bouwplaats"

    # Access rules: pages and API both ask these.
    def is_host(self, user) -> bool:
        """Return True if ``user`` organises this session (bouwmeester or co-host)."""
        if not getattr(user, "is_authenticated", False):
            return False
        return self.host_id == user.pk or self.co_hosts.filter(pk=user.pk).exists()

    def can_manage(self, user) -> bool:
        """Return True if ``user`` may edit this session and handle its registrations."""
        return self.is_host(user) or self.programme.is_team_member(user)

    def can_view(self, user) -> bool:
        """Return True if ``user`` may see this session at all."""
        if self.status != self.Status.DRAFT:
            return True
        return self.can_manage(user)

    def is_participant(self, user) -> bool:
        """Return True if ``user`` has a confirmed registration for this session."""
        if not getattr(user, "is_authenticated", False):
            return False
        return self.registrations.filter(member=user, status=Registration.Status.CONFIRMED).exists()


class SessionPart(models.Model):
    """One part of a session's programme: "Deel 1: …"."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("titel"), max_length=300)
    time = models.CharField(_("tijd"), max_length=50, blank=True)
    text = models.TextField(_("tekst"), blank=True, help_text=_("Markdown"))

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
    speaker = models.CharField(_("spreker"), max_length=200)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    quote = models.TextField(_("citaat"), blank=True)

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

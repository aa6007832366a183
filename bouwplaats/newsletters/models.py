from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.mail import email_key, normalise_email
from bouwplaats.core.validation import validate_single_line, validate_text
from bouwplaats.programmes.models import Programme

# Longest intro and block text of an issue: a newsletter, not a book.
TEXT_MAX_LENGTH = 20_000
BLOCK_TITLE_MAX_LENGTH = 200
MAX_BLOCKS = 20
AGENDA_DAYS_MAX = 366


class NewsletterList(models.Model):
    """A programme's newsletter: "Nieuwsflits Leerplatform MIRT"."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programma"),
        on_delete=models.PROTECT,
        related_name="newsletter_lists",
    )
    name = models.CharField(_("naam"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("beschrijving"), blank=True, help_text=_("Markdown"))
    # Mail from a person (issue 15 §10): From carries this name at the platform's address,
    # Reply-To the trekker or programme team, so that an answer never goes to noreply@.
    sender_name = models.CharField(
        _("naam van de afzender"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Bijvoorbeeld Leerplatform MIRT; leeg: de naam van het programma"),
    )
    reply_to = models.EmailField(
        _("antwoorden gaan naar"),
        blank=True,
        help_text=_("Het adres van de trekker of het programmateam"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nieuwsbrief")
        verbose_name_plural = _("nieuwsbrieven")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsletters:list", kwargs={"slug": self.slug})

    @property
    def list_id(self) -> str:
        """Return the RFC 2919 List-Id value, stable for the life of the list."""
        return f"<{self.slug}.nieuwsflits.bouwplaats>"


class SubscriptionQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Create rows as save() would: stored address NFC, the matching key filled in."""
        objs = list(objs)
        for obj in objs:
            obj.normalise_address()
        return super().bulk_create(objs, *args, **kwargs)


class Subscription(models.Model):
    """One address on one list: a belangstellende, with the consent they gave.

    One mailbox, one subscription: ``email_key`` (core.mail.email_key: NFC, local part
    casefolded, IDNA domain) is unique per list, so ``Anna@Coöperatie.nl`` and
    ``anna@xn--cooperatie-….nl`` are one row however they were typed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op bevestiging")
        CONFIRMED = "confirmed", _("Aangemeld")
        UNSUBSCRIBED = "unsubscribed", _("Afgemeld")

    newsletter_list = models.ForeignKey(
        NewsletterList,
        verbose_name=_("nieuwsbrief"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    email = models.EmailField(
        _("e-mailadres"),
        error_messages={
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@organisatie.nl."),
            "blank": _("Vul uw e-mailadres in."),
        },
    )
    # Set from ``email`` on every save and bulk_create (see normalise_address).
    email_key = models.CharField(max_length=400, editable=False, db_index=True)
    # One line: the name goes into the To header and the greeting.
    name = models.CharField(
        _("naam"), max_length=200, blank=True, validators=[validate_single_line]
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    consent_at = models.DateTimeField(_("toestemming gegeven op"), null=True, blank=True)
    consent_source = models.CharField(
        _("bron van de toestemming"), max_length=100, blank=True, validators=[validate_single_line]
    )
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("bevestigingsmail verstuurd op"), null=True, blank=True
    )
    unsubscribed_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementen")
        ordering = ["newsletter_list", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter_list", "email_key"], name="unique_mailbox_per_list"
            ),
        ]
        indexes = [models.Index(fields=["newsletter_list", "status"])]

    def __str__(self) -> str:
        return f"{self.email} — {self.newsletter_list} ({self.status})"

    def save(self, *args, **kwargs):
        self.normalise_address()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_key"}
        super().save(*args, **kwargs)

    def normalise_address(self) -> None:
        """Store the address NFC with its domain in Unicode form; fill in its matching key."""
        self.email = normalise_email(self.email)
        self.email_key = email_key(self.email)


class Issue(models.Model):
    """One edition of a list: intro, free blocks, a generated agenda and a signature."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        SENDING = "sending", _("Wordt verzonden")
        SENT = "sent", _("Verzonden")

    newsletter_list = models.ForeignKey(
        NewsletterList,
        verbose_name=_("nieuwsbrief"),
        on_delete=models.CASCADE,
        related_name="issues",
    )
    # One line: the subject is a mail header.
    subject = models.CharField(
        _("onderwerp"),
        max_length=200,
        validators=[validate_single_line],
        error_messages={"blank": _("Geef de nieuwsflits een onderwerp.")},
    )
    intro = models.TextField(
        _("inleiding"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
        help_text=_("Markdown"),
    )
    blocks = models.JSONField(
        _("vrije blokken"), default=list, blank=True, help_text=_("Lijst van {title, text}")
    )
    signature_name = models.CharField(
        _("ondertekening: naam"), max_length=200, blank=True, validators=[validate_single_line]
    )
    signature_role = models.CharField(
        _("ondertekening: functie"), max_length=200, blank=True, validators=[validate_single_line]
    )
    agenda_days = models.PositiveIntegerField(
        _("agenda: aantal dagen vooruit"),
        default=90,
        validators=[MaxValueValidator(AGENDA_DAYS_MAX)],
        error_messages={
            "min_value": _("Het aantal dagen ligt tussen 0 en 366."),
            "max_value": _("Het aantal dagen ligt tussen 0 en 366."),
        },
    )
    # The agenda as it went out, frozen when sending starts, so the archive shows what was sent.
    agenda = models.JSONField(_("agenda zoals verzonden"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Sending starts by itself at this moment (issue 15 §11); empty: when the team presses send.
    scheduled_at = models.DateTimeField(_("verzenden op"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("verzending gestart op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True, db_index=True)
    # The worker sending right now ("host:pid:random") and when it last showed life: one
    # sender per issue, and a dead one's issue can be taken over.
    worker = models.CharField(max_length=200, blank=True)
    worker_seen_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(_("aantal ontvangers"), default=0)
    sent_count = models.PositiveIntegerField(_("verzonden"), default=0)
    failed_count = models.PositiveIntegerField(_("mislukt"), default=0)

    class Meta:
        verbose_name = _("uitgave")
        verbose_name_plural = _("uitgaven")
        ordering = ["-sent_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse(
            "newsletters:issue", kwargs={"slug": self.newsletter_list.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        """Refuse blocks that are not a short list of ``{"title": str, "text": str}``.

        Raises ValidationError on ``blocks`` (``blocks.<index>.<title|text>`` for one block's
        field): a title is one line of at most
        BLOCK_TITLE_MAX_LENGTH characters, a text at most TEXT_MAX_LENGTH.
        """
        blocks = self.blocks
        if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
            raise ValidationError(
                {"blocks": _("Gebruik hoogstens %(max)d vrije blokken.") % {"max": MAX_BLOCKS}}
            )
        shape = _("Een blok heeft alleen een titel en een tekst.")
        too_long = _(
            "Een bloktitel heeft hoogstens %(title)d tekens, een bloktekst hoogstens %(text)d."
        ) % {"title": BLOCK_TITLE_MAX_LENGTH, "text": TEXT_MAX_LENGTH}
        for position, block in enumerate(blocks):
            # A nested field is keyed by its dotted path, as the API's schema layer keys it.
            if not isinstance(block, dict) or set(block) - {"title", "text"}:
                raise ValidationError({f"blocks.{position}": shape})
            for name, limit, validate in (
                ("title", BLOCK_TITLE_MAX_LENGTH, validate_single_line),
                ("text", TEXT_MAX_LENGTH, validate_text),
            ):
                value = block.get(name, "")
                if not isinstance(value, str):
                    raise ValidationError({f"blocks.{position}.{name}": shape})
                if len(value) > limit:
                    raise ValidationError({f"blocks.{position}.{name}": too_long})
                try:
                    validate(value)
                except ValidationError as exc:
                    raise ValidationError({f"blocks.{position}.{name}": exc.messages}) from None


class Delivery(models.Model):
    """One issue to one subscriber; marked sent only after the SMTP server accepted it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht")
        SENT = "sent", _("Verzonden")
        FAILED = "failed", _("Mislukt")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bezorging")
        verbose_name_plural = _("bezorgingen")
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscription"], name="unique_delivery"),
        ]
        indexes = [models.Index(fields=["issue", "status", "id"])]

    def __str__(self) -> str:
        return f"{self.issue} → {self.subscription.email} ({self.status})"

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.uploads import random_storage_name
from bouwplaats.core.validation import validate_single_line
from bouwplaats.events.models import Session

from . import conf


def space_storage():
    """Return the storage for uploads: Django's storage API, so S3 works by configuration."""
    return storages[conf.storage_alias()]


def _random_name(prefix: str, filename: str) -> str:
    return random_storage_name(f"spaces/{prefix}", filename)


def photo_upload_to(instance, filename: str) -> str:
    return _random_name("photos", filename)


def thumbnail_upload_to(instance, filename: str) -> str:
    return _random_name("thumbnails", filename)


def document_upload_to(instance, filename: str) -> str:
    return _random_name("documents", filename)


class Level(models.TextChoices):
    """Who may do something in a session's space; each level includes those after it."""

    PUBLIC = "public", _("Iedereen, ook bezoekers")
    MEMBERS = "members", _("Ingelogde leden")
    PARTICIPANTS = "participants", _("Deelnemers (bevestigde aanmelding)")
    HOSTS = "hosts", _("Alleen organisatoren en programmateam")


POST_LEVELS = [choice for choice in Level.choices if choice[0] != Level.PUBLIC]


def _level(label, choices, default) -> models.CharField:
    return models.CharField(
        label,
        max_length=20,
        choices=choices,
        default=default,
        error_messages={"invalid_choice": _("Kies een van de mogelijkheden.")},
    )


class SpacePolicy(models.Model):
    """Who may view and post comments, photos and documents in one session's space."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="space_policy", primary_key=True
    )
    comments_view = _level(_("reacties bekijken"), Level.choices, Level.PARTICIPANTS)
    comments_post = _level(_("reacties plaatsen"), POST_LEVELS, Level.PARTICIPANTS)
    photos_view = _level(_("foto's bekijken"), Level.choices, Level.MEMBERS)
    photos_post = _level(_("foto's plaatsen"), POST_LEVELS, Level.MEMBERS)
    documents_view = _level(_("documenten bekijken"), Level.choices, Level.PARTICIPANTS)
    documents_post = _level(_("documenten plaatsen"), POST_LEVELS, Level.PARTICIPANTS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("toegang sessieruimte")
        verbose_name_plural = _("toegang sessieruimtes")

    def __str__(self) -> str:
        return str(self.session)

    def clean(self) -> None:
        """Refuse a policy where someone may post what they may not view.

        Raises ValidationError on the ``<kind>_post`` field concerned.
        """
        order = list(Level.values)
        errors = {}
        for kind in ("comments", "photos", "documents"):
            view, post = getattr(self, f"{kind}_view"), getattr(self, f"{kind}_post")
            if view in order and post in order and order.index(post) < order.index(view):
                errors[f"{kind}_post"] = _(
                    "Wie mag plaatsen, moet ook mogen bekijken: kies hier minstens „%(level)s”."
                ) % {"level": Level(view).label}
        if errors:
            raise ValidationError(errors)


class Comment(models.Model):
    """A reaction in a session's space, written in Markdown."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="space_comments")
    # Members are anonymised, never deleted: PROTECT keeps their content attached.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_comments"
    )
    body = models.TextField(
        _("reactie"),
        max_length=conf.COMMENT_MAX_LENGTH,
        validators=[MaxLengthValidator(conf.COMMENT_MAX_LENGTH)],
        error_messages={
            "blank": _("Schrijf eerst uw reactie."),
            "max_length": _(
                "Uw reactie is te lang: hoogstens %(limit_value)d tekens, nu %(show_value)d."
            ),
        },
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("bewerkt op"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(
        _("reden"),
        max_length=conf.HIDE_REASON_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "created_at"])]

    def __str__(self) -> str:
        return f"{self.author} — {self.session}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def clean(self) -> None:
        """Refuse hiding a comment without a reason (ValidationError on ``hidden_reason``)."""
        if self.hidden_at is not None and not self.hidden_reason.strip():
            raise ValidationError(
                {"hidden_reason": _("Geef een reden waarom u de reactie verbergt.")}
            )


class Photo(models.Model):
    """A photo in a session's space: re-encoded without metadata, with a thumbnail."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="space_photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_photos"
    )
    file = models.FileField(_("foto"), upload_to=photo_upload_to, storage=space_storage)
    thumbnail = models.FileField(
        _("miniatuur"), upload_to=thumbnail_upload_to, storage=space_storage, blank=True
    )
    # Set when no thumbnail can ever be made (the photo's file gone from storage, or bytes no
    # decoder reads): the photo itself stands in, and the owed-work timer stops asking.
    thumbnail_impossible = models.BooleanField(_("geen miniatuur mogelijk"), default=False)
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    caption = models.CharField(
        _("onderschrift"),
        max_length=conf.CAPTION_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )
    original_name = models.CharField(
        _("bestandsnaam"), max_length=255, blank=True, validators=[validate_single_line]
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption or self.original_name or f"foto {self.pk}"


class Document(models.Model):
    """A document in a session's space; its type was decided by its content."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="space_documents")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="space_documents"
    )
    file = models.FileField(_("document"), upload_to=document_upload_to, storage=space_storage)
    name = models.CharField(_("bestandsnaam"), max_length=255, validators=[validate_single_line])
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    description = models.CharField(
        _("omschrijving"),
        max_length=conf.CAPTION_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name


class DigestSubscription(models.Model):
    """A participant's opt-in to a daily mail of new comments and documents in one session."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="space_digest_subscriptions"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_digests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Alles tot dit moment is al gemaild")
    )

    class Meta:
        verbose_name = _("dagelijkse mail sessieruimte")
        verbose_name_plural = _("dagelijkse mails sessieruimte")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="unique_space_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.session}"

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.validation import validate_single_line


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTERIE = "ministerie", _("Ministerie")
        RIJKSDIENST = "rijksdienst", _("Rijksdienst")
        PROVINCIE = "provincie", _("Provincie")
        GEMEENTE = "gemeente", _("Gemeente")
        REGIO = "regio", _("Regio")
        MARKTPARTIJ = "marktpartij", _("Marktpartij")
        KENNISINSTELLING = "kennisinstelling", _("Kennisinstelling")
        WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
        NETBEHEERDER = "netbeheerder", _("Netbeheerder")
        BEWONERSINITIATIEF = "bewonersinitiatief", _("Bewonersinitiatief")
        ANDERS = "anders", _("Anders")

    name = models.CharField(
        _("naam"), max_length=200, unique=True, validators=[validate_single_line]
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices, default=Kind.ANDERS)
    contact = models.CharField(
        _("publiek contact"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Telefoon, e-mail of website voor vragen van bewoners en partners"),
    )
    # A name a member typed creates an unverified organisation: staff check it before it is
    # listed (API, owner choices) as a real one.
    verified = models.BooleanField(_("gecontroleerd"), default=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


validate_domain = RegexValidator(
    r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Geef een domeinnaam zoals ede.nl: alleen het deel na de @, zonder spaties."),
    code="invalid_domain",
)


class OrganisationDomain(models.Model):
    """A mail domain of an organisation: verified addresses on it make members at once."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    domain = models.CharField(
        _("domein"),
        max_length=253,
        unique=True,
        validators=[validate_domain],
        help_text=_("Bijvoorbeeld ede.nl: alleen het deel na de @"),
        error_messages={"unique": _("Dit domein is al aangemeld.")},
    )
    verified = models.BooleanField(
        _("gecontroleerd"),
        default=False,
        help_text=_("Alleen een gecontroleerd domein maakt leden zonder goedkeuring."),
    )

    class Meta:
        verbose_name = _("domein van een organisatie")
        verbose_name_plural = _("domeinen van organisaties")
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = (self.domain or "").strip().lower().lstrip("@")
        super().save(*args, **kwargs)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member: logs in by email; name, function and organisation make up the profile."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    # One line each: names and functions go into mail headers, greetings and exports.
    full_name = models.CharField(
        _("naam"), max_length=150, blank=True, validators=[validate_single_line]
    )
    function = models.CharField(
        _("functie"),
        max_length=150,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Bijvoorbeeld Communicatieadviseur"),
    )
    # The organisation the member states (shown beside their name): a claim, never a right.
    # Acting for an organisation reads OrganisationMembership (accounts.permissions).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie (opgegeven)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    # How a host hears of registrations that await approval and of cancellations.
    class HostNotices(models.TextChoices):
        MAIL = "mail", _("Per bericht, meteen")
        DIGEST = "digest", _("Eén overzicht per dag")

    host_notices = models.CharField(
        _("berichten over uw sessies"),
        max_length=10,
        choices=HostNotices.choices,
        default=HostNotices.MAIL,
    )
    host_digest_sent_at = models.DateTimeField(
        _("laatste dagoverzicht verstuurd op"), null=True, blank=True
    )
    # The secret of the personal calendar feed's address (Mijn Bouwplaats); a new one makes
    # the old address stop working.
    calendar_token = models.CharField(
        _("sleutel van de persoonlijke agenda"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )
    is_staff = models.BooleanField(_("beheerder"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    is_removed = models.BooleanField(_("verwijderd"), default=False)
    date_joined = models.DateTimeField(_("lid sinds"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Return the name shown beside the member's content ("verwijderd lid" once deleted)."""
        if self.is_removed:
            return str(_("verwijderd lid"))
        return self.full_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class OrganisationMembership(models.Model):
    """A member's verified link to an organisation: the only thing that lets them act for it.

    What a member types on the profile is a claim; this row, once ``approved`` (by one of the
    organisation's administrators, by staff, or at once through a verified mail domain), is
    the right. One row per member and organisation: a new request reopens a refused one.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Aangevraagd")
        APPROVED = "approved", _("Goedgekeurd")
        REFUSED = "refused", _("Geweigerd")
        REVOKED = "revoked", _("Ingetrokken")

    class Role(models.TextChoices):
        MEMBER = "member", _("Lid")
        ADMIN = "admin", _("Beheerder van de organisatie")

    user = models.ForeignKey(
        "User", verbose_name=_("lid"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    reason = models.TextField(
        _("reden"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    via_domain = models.BooleanField(_("via gecontroleerd domein"), default=False)
    decided_by = models.ForeignKey(
        "User",
        verbose_name=_("besloten door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("lidmaatschap van een organisatie")
        verbose_name_plural = _("lidmaatschappen van organisaties")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_one_membership_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_status_display()})"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal access token; only a SHA-256 digest of the secret is stored."""

    PREFIX = "bp_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        _("naam"),
        max_length=100,
        validators=[validate_single_line],
        error_messages={"blank": _("Geef de sleutel een naam.")},
    )
    key_prefix = models.CharField(_("begin van de sleutel"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        # The key is 256 random bits, so a fast digest is enough: no dictionary to guess from.
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

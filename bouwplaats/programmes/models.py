from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    description = models.TextField(_("beschrijving"), blank=True, help_text=_("Markdown"))
    start_date = models.DateField(_("begint op"), null=True, blank=True)
    end_date = models.DateField(_("eindigt op"), null=True, blank=True)
    period_note = models.CharField(
        _("looptijd"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: vier jaar, met een evaluatie in het vierde jaar"),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), blank=True, related_name="programmes"
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

    def is_team_member(self, user) -> bool:
        """Return True if ``user`` is on this programme's team (or a platform administrator)."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_staff:
            return True
        return self.memberships.filter(user=user).exists()


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

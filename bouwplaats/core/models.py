from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One recorded action: who did what to which object, and when."""

    action = models.CharField(_("actie"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    data = models.JSONField(_("gegevens"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("logregel")
        verbose_name_plural = _("logboek")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class SitePage(models.Model):
    """A page every Dutch government site must have; administrators edit its text (Markdown).

    The three pages (privacy statement, accessibility statement, contact) exist from the first
    migration with the texts of ``core.site_pages``; the footer links to each on every page.
    """

    class Slug(models.TextChoices):
        PRIVACY = "privacyverklaring", _("Privacyverklaring")
        ACCESSIBILITY = "toegankelijkheid", _("Toegankelijkheidsverklaring")
        CONTACT = "contact", _("Contact")

    slug = models.CharField(_("pagina"), max_length=40, choices=Slug.choices, unique=True)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(
        _("tekst"), max_length=50_000, help_text=_("Markdown: ## kopje, **vet**, [link](https://…)")
    )
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("vaste pagina")
        verbose_name_plural = _("vaste pagina's")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("site_page", args=[self.slug])


class OwedTask(models.Model):
    """A background task owed until it has run: the outbox of ``core.background``.

    Written in the transaction of the change that owes the task, so the task outlives a queue
    that is down at the commit and a worker killed while running it; deleted once it ran.
    ``task`` is the task's import path, ``args``/``kwargs`` its JSON arguments.
    """

    task = models.CharField(_("taak"), max_length=200)
    args = models.JSONField(_("argumenten"), default=list, blank=True)
    kwargs = models.JSONField(_("benoemde argumenten"), default=dict, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    due_at = models.DateTimeField(
        _("opnieuw in de wachtrij vanaf"),
        db_index=True,
        help_text=_("Staat de taak er dan nog, dan zet requeue_owed_work haar opnieuw klaar."),
    )
    leased_until = models.DateTimeField(_("bezig tot"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)

    class Meta:
        verbose_name = _("openstaande taak")
        verbose_name_plural = _("openstaande taken")
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.args}"

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import action_label
from .models import AuditEntry, OwedTask, SitePage
from .views import admin_login

# One login for the whole site: the admin's own form has no two-step code and no rate limit.
admin.site.login = admin_login

admin.site.site_header = _("Bouwplaats-beheer")
admin.site.site_title = _("Bouwplaats-beheer")
admin.site.index_title = _("Beheer")

# Libraries that speak English in the admin: their apps and models by the names a Dutch
# administrator uses. Only the admin's lists use these; the models themselves stay as the
# libraries define them (so no migration of theirs changes).
DUTCH_NAMES = {
    "account": (_("Inloggen en e-mailadressen"), {}),
    "mfa": (_("Tweestapsverificatie"), {"authenticator": _("Sleutels voor tweestapsverificatie")}),
    "socialaccount": (
        _("Inloggen via een identiteitsprovider"),
        {
            "socialaccount": _("Gekoppelde accounts"),
            "socialapp": _("Identiteitsproviders (OpenID Connect)"),
            "socialtoken": _("Sleutels van identiteitsproviders"),
        },
    ),
    "django_tasks_database": (_("Achtergrondtaken"), {"dbtaskresult": _("Taken en resultaten")}),
    "django_tasks_db": (_("Achtergrondtaken"), {"dbtaskresult": _("Taken en resultaten")}),
    "auth": (_("Rechten"), {"group": _("Groepen")}),
}

_get_app_list = admin.site.get_app_list


def get_app_list(request, app_label=None):
    """Return the admin's app list with every app and model named in Dutch."""
    app_list = _get_app_list(request, app_label)
    for app in app_list:
        name, models = DUTCH_NAMES.get(app["app_label"], (None, {}))
        if name is not None:
            app["name"] = name
        for model in app["models"]:
            key = model["object_name"].lower()
            if key in models:
                model["name"] = models[key]
    return app_list


admin.site.get_app_list = get_app_list


class ActionFilter(admin.SimpleListFilter):
    """Filter the audit log by action, each named in Dutch words (core.audit.action_label)."""

    title = _("actie")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True)
        labelled = [(action, action_label(action)) for action in actions.distinct()]
        return sorted(labelled, key=lambda pair: str(pair[1]).lower())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, with the actions in words; nothing is added or removed.

    Administrators filter it by action, by who acted (only people who appear in the log are
    offered) and by date (the date bar and the filter's periods).
    """

    list_display = ["created_at", "action_text", "actor", "object_type", "object_id"]
    list_filter = [
        ActionFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("created_at", admin.DateFieldListFilter),
    ]
    date_hierarchy = "created_at"
    search_fields = ["action", "object_id", "actor__email"]
    readonly_fields = [
        "created_at",
        "action_text",
        "action",
        "actor",
        "object_type",
        "object_id",
        "data",
    ]
    fields = readonly_fields
    list_select_related = ["actor"]

    @admin.display(description=_("actie"), ordering="action")
    def action_text(self, obj: AuditEntry) -> str:
        return action_label(obj.action)

    def get_search_results(self, request, queryset, search_term):
        """Also find entries whose action reads as the term in Dutch ("Lidmaatschap" finds
        accounts.membership.*): the codes whose action_label contains it, case-insensitive."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().lower()
        if term:
            actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
            labelled = [a for a in actions if term in str(action_label(a)).lower()]
            if labelled:
                # ``queryset`` carries the list's filters; the label match keeps them.
                found = found | queryset.filter(action__in=labelled)
        return found, may_have_duplicates

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    """The required pages: administrators edit their text; the three pages always exist."""

    list_display = ["title", "slug", "updated_at"]
    readonly_fields = ["slug", "updated_at"]
    fields = ["slug", "title", "body", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OwedTask)
class OwedTaskAdmin(admin.ModelAdmin):
    """Background tasks still owed (core.background's outbox): read-only; an administrator may
    delete one that keeps failing once its cause is known."""

    list_display = ["task", "args", "created_at", "due_at", "attempts"]
    list_filter = ["task"]
    readonly_fields = ["task", "args", "kwargs", "created_at", "due_at", "leased_until", "attempts"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

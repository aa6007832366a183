from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bouwplaats.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self):
        from . import lookups  # noqa: F401  (registers the lookups)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnchoringConfig(AppConfig):
    name = "bouwplaats.anchoring"
    label = "anchoring"
    verbose_name = _("Verankering")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "bouwplaats.projects"
    label = "projects"
    verbose_name = _("Oproepen en projecten")

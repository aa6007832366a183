from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bouwplaats.projects.reminders import pilot_reports_remind_due


class Command(BaseCommand):
    help = (
        "Remind pilot teams whose progress report is due within a week or overdue "
        "(at most once a week per pilot)."
    )

    def handle(self, *args, **options):
        sent = pilot_reports_remind_due()
        self.stdout.write(
            ngettext("%(count)s herinnering verstuurd.", "%(count)s herinneringen verstuurd.", sent)
            % {"count": sent}
        )

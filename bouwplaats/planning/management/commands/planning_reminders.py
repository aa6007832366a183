from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bouwplaats.planning.services import combination_requests_remind_due


class Command(BaseCommand):
    help = "Send due reminders of open combination requests (three days before the deadline)."

    def handle(self, *args, **options):
        sent = combination_requests_remind_due()
        self.stdout.write(
            ngettext("%(count)s herinnering verstuurd.", "%(count)s herinneringen verstuurd.", sent)
            % {"count": sent}
        )

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bouwplaats.events.mails import send_host_digests


class Command(BaseCommand):
    help = (
        "Mail each host who chose the daily overview what waits at their sessions "
        "(registrations to approve, cancellations); run once a day."
    )

    def handle(self, *args, **options):
        sent = send_host_digests()
        self.stdout.write(
            ngettext("%(count)s overzicht gemaild.", "%(count)s overzichten gemaild.", sent)
            % {"count": sent}
        )

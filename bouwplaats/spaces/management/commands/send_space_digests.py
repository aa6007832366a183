from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bouwplaats.spaces.digest import digest_send_all


class Command(BaseCommand):
    help = "Mail participants who asked for it the new comments and documents (run daily)."

    def handle(self, *args, **options):
        sent = digest_send_all()
        self.stdout.write(
            ngettext("%(count)s overzicht gemaild.", "%(count)s overzichten gemaild.", sent)
            % {"count": sent}
        )

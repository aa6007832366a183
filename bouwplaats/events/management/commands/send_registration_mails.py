from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bouwplaats.events import outbox


class Command(BaseCommand):
    help = "Send the registration mails still owed (after a restart, or every few minutes)."

    def handle(self, *args, **options):
        sessions = outbox.sessions_with_due_mails()
        for session_id in sessions:
            outbox.send_due_mails(session_id)
        self.stdout.write(
            ngettext(
                "Aanmeldberichten verstuurd voor %(count)s sessie.",
                "Aanmeldberichten verstuurd voor %(count)s sessies.",
                len(sessions),
            )
            % {"count": len(sessions)}
        )

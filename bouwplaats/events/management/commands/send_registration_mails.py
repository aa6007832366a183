from django.core.management.base import BaseCommand

from bouwplaats.events import outbox


class Command(BaseCommand):
    help = "Send the registration mails still owed (after a restart, or every few minutes)."

    def handle(self, *args, **options):
        sessions = outbox.sessions_with_due_mails()
        for session_id in sessions:
            outbox.send_due_mails(session_id)
        self.stdout.write(f"Sessies met verstuurde aanmeldberichten: {len(sessions)}")

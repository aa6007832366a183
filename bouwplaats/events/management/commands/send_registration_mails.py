from django.core.management.base import BaseCommand

from bouwplaats.events import tasks
from bouwplaats.events.models import Registration


class Command(BaseCommand):
    help = "Send the registration mails still owed (after a restart, or every few minutes)."

    def handle(self, *args, **options):
        sessions = sorted(
            set(Registration.objects.exclude(mail_due="").values_list("session_id", flat=True))
        )
        for session_id in sessions:
            tasks.send_registration_mails.call(session_id)
        self.stdout.write(f"Sessies met verstuurde aanmeldberichten: {len(sessions)}")

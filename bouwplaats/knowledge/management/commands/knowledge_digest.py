from django.core.management.base import BaseCommand

from bouwplaats.knowledge.mails import send_unanswered_digest


class Command(BaseCommand):
    help = (
        "Mail each programme team the questions unanswered for longer than "
        "KNOWLEDGE_UNANSWERED_DAYS (run daily)."
    )

    def handle(self, *args, **options):
        sent = send_unanswered_digest()
        self.stdout.write(f"{sent} mail(s) sent.")

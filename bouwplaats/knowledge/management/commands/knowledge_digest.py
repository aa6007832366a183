from django.core.management.base import BaseCommand

from bouwplaats.knowledge.mails import send_unanswered_digest
from bouwplaats.knowledge.services import question_accept_reminders_send


class Command(BaseCommand):
    help = (
        "Mail each programme team the questions unanswered for longer than "
        "KNOWLEDGE_UNANSWERED_DAYS, and remind askers once to accept an answer when none is "
        "accepted KNOWLEDGE_ACCEPT_REMINDER_DAYS after an answer (run daily)."
    )

    def handle(self, *args, **options):
        sent = send_unanswered_digest()
        reminded = question_accept_reminders_send()
        self.stdout.write(f"{sent} digest mail(s), {reminded} accept reminder(s) sent.")

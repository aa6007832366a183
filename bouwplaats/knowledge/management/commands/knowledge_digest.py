from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

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
        digests = ngettext(
            "%(count)s overzicht van open vragen gemaild",
            "%(count)s overzichten van open vragen gemaild",
            sent,
        ) % {"count": sent}
        reminders = ngettext(
            "%(count)s herinnering om een antwoord te accepteren verstuurd.",
            "%(count)s herinneringen om een antwoord te accepteren verstuurd.",
            reminded,
        ) % {"count": reminded}
        self.stdout.write(f"{digests}, {reminders}")

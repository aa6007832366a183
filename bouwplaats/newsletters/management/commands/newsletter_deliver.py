from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from bouwplaats.newsletters import delivery


class Command(BaseCommand):
    help = "Send (or resume sending) newsletter issues that are being sent."

    def add_arguments(self, parser):
        parser.add_argument("--issue", type=int, help="only this issue (primary key)")
        parser.add_argument("--batch-size", type=int, default=delivery.BATCH_SIZE)

    def handle(self, *args, issue=None, batch_size=delivery.BATCH_SIZE, **options):
        if issue is not None:
            delivery.issue_deliver(issue, batch_size=batch_size)
            pks = [issue]
        else:
            pks = delivery.deliver_all_sending(batch_size=batch_size)
        issues = ", ".join(map(str, pks)) or gettext("geen")
        self.stdout.write(gettext("Verzonden of hervat: %(issues)s") % {"issues": issues})

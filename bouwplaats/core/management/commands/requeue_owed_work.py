"""Queue again the background work the apps have on record as owed (a timer, every 5 minutes).

Work is owed when its task was never queued (the queue was down at the commit) or its worker
died with it (an RQ job of a killed worker is not run again). The outbox of core.background
(``core.OwedTask`` rows, for the one-off mails of accounts, projects, knowledge and planning)
is queued first; then each app with an ``owed`` module answers ``requeue() -> int``: it queues
a task per owed item in its own rows and returns how many. The tasks are safe to run twice.
One part whose enqueue fails does not keep the others from queueing.
"""

import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from bouwplaats.core.background import requeue_owed_tasks
from bouwplaats.core.hooks import app_modules

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue again the background work on record as owed (mails, sends, thumbnails)."

    def handle(self, *args, **options):
        queued, failed = 0, []
        try:
            queued += requeue_owed_tasks()
        except Exception:
            logger.exception("Owed tasks of the outbox (core.OwedTask) not queued")
            failed.append("bouwplaats.core")
        for app, module in app_modules("owed"):
            try:
                queued += module.requeue()
            except Exception:
                logger.exception("Owed work of %s not queued", app)
                failed.append(app)
        self.stdout.write(
            ngettext(
                "Opnieuw in de wachtrij: %(count)s taak",
                "Opnieuw in de wachtrij: %(count)s taken",
                queued,
            )
            % {"count": queued}
        )
        if failed:
            raise CommandError(
                gettext("Niet in de wachtrij gezet (is de wachtrij bereikbaar?): %(apps)s")
                % {"apps": ", ".join(failed)}
            )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from bouwplaats.core.demo import demo_load

NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


class Command(BaseCommand):
    help = (
        "(Re)load the demo content taken from the seeds; safe to run again. It creates an "
        "administrator with the published password and queues mails (sent through EMAIL_URL), "
        f"so with DEBUG off it runs only with {NOT_PRODUCTION_FLAG}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            NOT_PRODUCTION_FLAG,
            action="store_true",
            dest="not_production",
            help="Load the demo content with DEBUG off (a trial installation, make run).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING or options["not_production"]):
            raise CommandError(
                gettext(
                    "load_demo maakt een beheerder met het gepubliceerde wachtwoord "
                    "'bouwplaats-demo' en zet mails klaar die via EMAIL_URL verstuurd worden. "
                    "DEBUG staat uit: is dit een proefinstallatie en geen productie, start het "
                    "dan opnieuw met %(flag)s."
                )
                % {"flag": NOT_PRODUCTION_FLAG}
            )
        loaded = demo_load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Demo-inhoud geladen (%(count)s app).",
                    "Demo-inhoud geladen (%(count)s apps).",
                    len(loaded),
                )
                % {"count": len(loaded)}
            )
        )

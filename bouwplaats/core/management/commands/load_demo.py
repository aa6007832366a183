from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
                "load_demo creates an administrator with the published password "
                "'bouwplaats-demo' and queues mails that go out through EMAIL_URL. DEBUG is "
                f"off: if this is a trial installation and not production, run it again with "
                f"{NOT_PRODUCTION_FLAG}."
            )
        loaded = demo_load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(loaded)} apps)."))

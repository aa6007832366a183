from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from bouwplaats.core.volume import volume_load


class Command(BaseCommand):
    help = (
        "Replace the production-volume data set (issue 17) by a fresh one: at --scale 1.0 "
        "10,000 sessions, 200,000 registrations, 100,000 subscribers, 100,000 works, 50,000 "
        "knowledge items and 50,000 questions. Running it again replaces, never adds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1.0: production; 0.01: CI")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same rows")
        parser.add_argument(
            "--no-search", action="store_true", help="leave the search index to search_rebuild"
        )

    def handle(self, *args, scale, seed, no_search, **options):
        if not 0 < scale <= 10:
            raise CommandError(gettext("--scale moet tussen 0 en 10 liggen."))
        seconds = volume_load(scale=scale, seed=seed, stdout=self.stdout)
        if not no_search:
            # By name: core sits below search in the layers and does not import it.
            call_command("search_rebuild", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Volumeset geladen op schaal %(scale)s (%(seconds).1f s).")
                % {"scale": scale, "seconds": sum(seconds.values())}
            )
        )

from django.core.management.base import BaseCommand

from bouwplaats.core.demo import demo_load


class Command(BaseCommand):
    help = "(Re)load the demo content taken from the seeds; safe to run again."

    def handle(self, *args, **options):
        loaded = demo_load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded ({len(loaded)} apps)."))

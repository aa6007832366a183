from django.core.management.base import BaseCommand

from bouwplaats.planning.pairs import pairs_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the stored combinations and conflicts of werk-met-werk from all works "
        "(idempotent; every save keeps them current, this is for a restore or new rules)."
    )

    def handle(self, *args, **options):
        combinations, conflicts = pairs_rebuild()
        self.stdout.write(f"{combinations} combinatie(s), {conflicts} conflict(en) opgeslagen.")

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from bouwplaats.planning.pairs import pairs_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the stored combinations and conflicts of werk-met-werk from all works "
        "(idempotent; every save keeps them current, this is for a restore or new rules)."
    )

    def handle(self, *args, **options):
        combinations, conflicts = pairs_rebuild()
        pairs = ngettext("%(count)s combinatie", "%(count)s combinaties", combinations) % {
            "count": combinations
        }
        clashes = ngettext(
            "%(count)s conflict opgeslagen.", "%(count)s conflicten opgeslagen.", conflicts
        ) % {"count": conflicts}
        self.stdout.write(f"{pairs}, {clashes}")

"""``manage.py search_rebuild [kind …]``: re-index every document from the apps, then compact
the full-text index and refresh the statistics (``search_index_optimize``)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext

from bouwplaats.search.registry import providers
from bouwplaats.search.services import search_index_optimize, search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every app's search_documents (or the kinds named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="only these kinds (default: all)")

    def handle(self, *args, kinds, **options):
        unknown = sorted(set(kinds) - set(providers()))
        if unknown:
            raise CommandError(
                gettext("Onbekende soorten: %(unknown)s (bekend: %(known)s)")
                % {"unknown": ", ".join(unknown), "known": ", ".join(providers())}
            )
        counts = search_rebuild(kinds=kinds or None)
        search_index_optimize()
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")

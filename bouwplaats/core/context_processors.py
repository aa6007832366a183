from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The main navigation: an item shows once its app has the page.
NAVIGATION = [
    ("events:list", _("Sessies")),
    ("programmes:list", _("Programma's")),
    ("projects:calls", _("Oproepen")),
    ("pilots:list", _("Pilots")),
    ("knowledge:index", _("Kennis")),
    ("planning:map", _("Werk-met-werk")),
    ("newsletters:index", _("Nieuwsflits")),
]

# Pages that live under another item's address but belong to this item: a pilot's own pages
# sit under /oproepen/pilots/ (links in mails already sent keep working) yet are "Pilots".
ALSO_UNDER = {"pilots:list": ("projects:pilot",)}


def _prefixes(name: str, url: str) -> list[str]:
    prefixes = [url]
    for other in ALSO_UNDER.get(name, ()):
        try:
            # The detail address without its id: the folder all such pages share.
            prefixes.append(reverse(other, args=[1]).rsplit("1/", 1)[0])
        except NoReverseMatch:
            continue
    return prefixes


def _navigation(request):
    items, best = [], ("", None)
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        item = {"url": url, "label": label, "current": False}
        items.append(item)
        for prefix in _prefixes(name, url):
            # The longest matching address wins, so /oproepen/pilots/7/ is not "Oproepen".
            if request.path.startswith(prefix) and len(prefix) > len(best[0]):
                best = (prefix, item)
    if best[1] is not None:
        best[1]["current"] = True
    return items


def site(request):
    """Expose the site's address, map settings and the main navigation to templates."""
    return {
        "SITE_URL": settings.SITE_URL,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "navigation": _navigation(request),
    }

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


def _navigation(request):
    items, best = [], ("", None)
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        item = {"url": url, "label": label, "current": False}
        items.append(item)
        # The longest matching address wins, so a deeper item beats its parent folder.
        if request.path.startswith(url) and len(url) > len(best[0]):
            best = (url, item)
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

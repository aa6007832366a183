"""The front page: composed from the apps, so it lives beside urls.py, above them all."""

from django.shortcuts import render

from bouwplaats.events.selectors import session_list
from bouwplaats.newsletters.selectors import list_all
from bouwplaats.programmes.selectors import programme_list

HOME_SESSIONS = 3


def home(request):
    """Show what Bouwplaats is, the next sessions, the programmes and the newsletters."""
    return render(
        request,
        "core/home.html",
        {
            "sessions": list(session_list(upcoming=True)[:HOME_SESSIONS]),
            "programmes": programme_list(),
            "newsletter_lists": list_all(),
        },
    )

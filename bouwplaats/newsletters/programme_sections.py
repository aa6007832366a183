"""The programme page's nieuwsflits sign-up (hook, see programmes.sections)."""

from bouwplaats.programmes.sections import Section

from .forms import SubscribeForm
from .models import NewsletterList


def sections(*, programme, user) -> list[Section]:
    """Return one section with a sign-up form per nieuwsflits of ``programme`` (none without)."""
    lists = list(NewsletterList.objects.filter(programme=programme).order_by("name"))
    if not lists:
        return []
    initial = {}
    if getattr(user, "is_authenticated", False):
        initial = {"email": user.email, "name": user.full_name}
    # The prefix is the one the subscribe view reads (one form per list on a page).
    forms = [(item, SubscribeForm(initial=initial, prefix=f"list{item.pk}")) for item in lists]
    return [
        Section(template="newsletters/_programme_signup.html", context={"lists": forms}, order=20)
    ]

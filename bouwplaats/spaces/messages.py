"""The sentences that tell a person why they cannot see or post something (seed 000's words)."""

from django.utils.translation import gettext as _

from bouwplaats.events.permissions import registration_open

from .models import Level
from .permissions import SpaceAccess


def _sentences(kind: str, this_session: str) -> dict[str, str]:
    """Return the refusals for ``kind``; ``this_session`` names it ("deze bouwsessie")."""
    named = {"this": this_session}
    if kind == "comments":
        return {
            Level.MEMBERS: _("Om reacties te bekijken of te plaatsen moet u eerst inloggen."),
            # Only what applies to the person: a visitor logs in first, a member signs up.
            Level.PARTICIPANTS: _(
                "Om reacties te bekijken of te plaatsen moet u inloggen en zich aanmelden voor "
                "%(this)s."
            )
            % named,
            "sign_up": _("Meld u aan voor %(this)s om reacties te bekijken of te plaatsen.")
            % named,
            "participants_only": _(
                "Alleen wie aan %(this)s deelneemt, kan reacties bekijken of plaatsen."
            )
            % named,
            Level.HOSTS: _("Alleen de organisatoren en het programmateam zien de reacties."),
            "post_hosts": _("Alleen de organisatoren en het programmateam plaatsen hier reacties."),
        }
    if kind == "photos":
        return {
            Level.MEMBERS: _("Om foto's te bekijken of te plaatsen moet u eerst inloggen."),
            # Only what applies to the person: a visitor logs in first, a member signs up.
            Level.PARTICIPANTS: _(
                "Om foto's te bekijken of te plaatsen moet u inloggen en zich aanmelden voor "
                "%(this)s."
            )
            % named,
            "sign_up": _("Meld u aan voor %(this)s om foto's te bekijken of te plaatsen.") % named,
            "participants_only": _(
                "Alleen wie aan %(this)s deelneemt, kan foto's bekijken of plaatsen."
            )
            % named,
            Level.HOSTS: _("Alleen de organisatoren en het programmateam zien de foto's."),
            "post_hosts": _("Alleen de organisatoren en het programmateam plaatsen hier foto's."),
        }
    return {
        Level.MEMBERS: _("Om documenten te bekijken of te plaatsen moet u eerst inloggen."),
        # Only what applies to the person: a visitor logs in first, a member signs up.
        Level.PARTICIPANTS: _(
            "Om documenten te bekijken of te plaatsen moet u inloggen en zich aanmelden voor "
            "%(this)s."
        )
        % named,
        "sign_up": _("Meld u aan voor %(this)s om documenten te bekijken of te plaatsen.") % named,
        "participants_only": _(
            "Alleen wie aan %(this)s deelneemt, kan documenten bekijken of plaatsen."
        )
        % named,
        Level.HOSTS: _("Alleen de organisatoren en het programmateam zien de documenten."),
        "post_hosts": _("Alleen de organisatoren en het programmateam plaatsen hier documenten."),
    }


def refusal(access: SpaceAccess, kind: str) -> str:
    """Return the sentence that explains what ``access``'s person still has to do for ``kind``."""
    # Seed 000 says "deze bouwsessie"; other types name themselves (issue 15 §8).
    sentences = _sentences(kind, access.session.this_type)
    if not access.session_visible:
        return _("Deze sessie is niet gevonden.")
    if access.can_view(kind):
        level = Level(getattr(access.policy, f"{kind}_post"))
        if level == Level.HOSTS:
            return sentences["post_hosts"]
    else:
        level = Level(getattr(access.policy, f"{kind}_view"))
    if level == Level.PUBLIC:
        level = Level.MEMBERS
    if level == Level.PARTICIPANTS and access.is_member:
        # Logged in already: signing up is what is left, while the session takes sign-ups.
        return sentences["sign_up" if registration_open(access.session) else "participants_only"]
    return sentences[level]

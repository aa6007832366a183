"""AVG: what the newsletters app holds about a member, and forgetting it.

A member's subscriptions are those on the addresses they verified: a subscription of an
address they typed for someone else is that person's consent record, not theirs.
"""

from .models import Subscription
from .selectors import own_subscriptions


def export(*, user) -> dict:
    """Return the member's newsletter subscriptions with their consent."""
    return {
        "nieuwsbrieven": [
            {
                "nieuwsbrief": s.newsletter_list.name,
                "email": s.email,
                "naam": s.name,
                "status": s.status,
                "toestemming_op": s.consent_at.isoformat() if s.consent_at else None,
                "bron_toestemming": s.consent_source,
                "afgemeld_op": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            }
            for s in own_subscriptions(user).select_related("newsletter_list")
        ]
    }


def forget(*, user) -> None:
    """Delete the member's subscriptions (and with them their delivery rows).

    Others' subscriptions that the member once typed in keep their consent, without the link
    to this member.
    """
    own_subscriptions(user).delete()
    Subscription.objects.filter(member=user).update(member=None)

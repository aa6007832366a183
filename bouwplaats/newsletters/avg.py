"""AVG: what the newsletters app holds about a member, and forgetting it."""

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
    """Delete the member's subscriptions (and with them their delivery rows)."""
    own_subscriptions(user).delete()

"""The mails of werk-met-werk: who hears about what, and the texts they read.

Each ``send_…`` function takes fresh model instances and sends at once; the tasks in
``tasks.py`` load the rows by primary key and call these after the write has committed.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bouwplaats.accounts.permissions import is_verified_member, verified_members
from bouwplaats.core.mail import send_to_reachable

from .models import CombinationRequest, InterestZone, JointWork, StreetFollow, Work

REQUEST_INTRO = gettext_noop(
    "%(owner)s wil een werk met dat van u combineren, zodat de straat maar één keer open gaat."
)


def _url(path: str) -> str:
    return settings.SITE_URL + path


def work_recipients(work: Work) -> list[str]:
    """Return who hears about a work: its author while they act for its owner, else the owner's
    verified members.

    Never the members who merely state the organisation on their profile: the mails name
    non-public works (accounts.permissions.verified_members).
    """
    author = work.created_by
    if (
        author is not None
        and author.is_active
        and not author.is_removed
        and is_verified_member(author, work.owner)
    ):
        return [author.email]
    return list(verified_members(work.owner).values_list("email", flat=True))


def _work_line(work: Work) -> str:
    return _("%(title)s — %(owner)s, %(start)s t/m %(end)s") % {
        "title": work.title,
        "owner": work.owner_label,
        "start": date_format(work.start),
        "end": date_format(work.end),
    }


def _request_summary(req: CombinationRequest) -> str:
    sender = req.requested_by.display_name if req.requested_by is not None else ""
    return _(
        "Werk van de aanvrager: %(from)s\nGevraagd te combineren met: %(to)s\n"
        "Verstuurd door: %(sender)s\nContactpersoon: %(contact)s\n"
        "Antwoord graag voor: %(deadline)s\nVerzoeken: %(url)s"
    ) % {
        "from": _work_line(req.from_work),
        "to": _work_line(req.to_work),
        "sender": sender or "—",
        "contact": req.contact or "—",
        "deadline": date_format(req.deadline, "l j F Y"),
        "url": _url(reverse("planning:requests")),
    }


def send_request_sent(req: CombinationRequest) -> None:
    """Tell the other owner about a new combination request (one message to its parties)."""
    summary = _request_summary(req)
    note = ("\n\n" + _("Toelichting:") + "\n" + req.message) if req.message else ""
    send_to_reachable(
        work_recipients(req.to_work),
        _("Combinatieverzoek: %(title)s") % {"title": req.to_work.title},
        _(REQUEST_INTRO) % {"owner": req.from_work.owner_label} + "\n\n" + summary + note,
    )


def send_request_confirmation(req: CombinationRequest) -> None:
    """Confirm a sent combination request to the member who sent it."""
    if req.requested_by is not None:
        send_to_reachable(
            [req.requested_by.email],
            _("Verstuurd: combinatieverzoek voor %(title)s") % {"title": req.to_work.title},
            _("Uw combinatieverzoek is verstuurd.") + "\n\n" + _request_summary(req),
        )


def _answerer(req: CombinationRequest) -> str:
    return req.answered_by.display_name if req.answered_by is not None else req.to_work.owner_label


def send_request_answered(req: CombinationRequest) -> None:
    """Tell both sides that a combination request was accepted or declined."""
    if req.status == CombinationRequest.Status.OPEN:
        return
    if req.status == CombinationRequest.Status.ACCEPTED:
        subject = _("Geaccepteerd: combinatie %(a)s en %(b)s")
        body = _("Het combinatieverzoek is geaccepteerd: de werken zijn nu één gezamenlijk werk.")
        if req.answer:
            body += "\n\n" + _("Bericht van %(name)s:") % {"name": _answerer(req)}
            body += "\n" + req.answer
        if req.to_work.joint_id:
            body += "\n" + _url(reverse("planning:joint", args=[req.to_work.joint_id]))
    else:
        subject = _("Afgewezen: combinatie %(a)s en %(b)s")
        body = _("Het combinatieverzoek is afgewezen. Reden: %(reason)s") % {"reason": req.reason}
    recipients = set(work_recipients(req.to_work))
    if req.requested_by is not None:
        recipients.add(req.requested_by.email)
    if req.answered_by is not None:
        recipients.add(req.answered_by.email)
    send_to_reachable(
        sorted(recipients),
        subject % {"a": req.from_work.title, "b": req.to_work.title},
        body + "\n\n" + _request_summary(req),
    )


def send_reminder(req: CombinationRequest) -> None:
    """Remind the other owner that the request's deadline is three days away."""
    send_to_reachable(
        work_recipients(req.to_work),
        _("Herinnering: combinatieverzoek voor %(title)s") % {"title": req.to_work.title},
        _("Over drie dagen verloopt de termijn van dit combinatieverzoek.")
        + "\n\n"
        + _request_summary(req),
    )


def send_zone_notice(work: Work, zone: InterestZone) -> None:
    """Tell the member of ``zone`` (one the work lies in) about a new work."""
    member = zone.member
    if not member.is_active or member.is_removed or member == work.created_by:
        return
    send_to_reachable(
        [member.email],
        _("Nieuw werk in %(zone)s: %(title)s") % {"zone": zone.name, "title": work.title},
        _("Er is een werk gepland in uw interessegebied „%(zone)s”.") % {"zone": zone.name}
        + "\n\n"
        + _work_line(work)
        + "\n"
        + _url(work.get_absolute_url()),
    )


def send_joint_period(joint: JointWork, *, agreed: bool) -> None:
    """Tell every owner of ``joint`` its proposed period (to agree to) or its agreed period."""
    recipients = []
    for work in Work.objects.filter(joint=joint).select_related("owner", "created_by"):
        recipients.extend(work_recipients(work))
    url = _url(joint.get_absolute_url())
    if agreed:
        subject = _("Periode afgesproken: %(title)s") % {"title": joint.title}
        body = _("De eigenaren hebben één periode afgesproken: %(start)s t/m %(end)s.") % {
            "start": date_format(joint.period_start, "l j F Y"),
            "end": date_format(joint.period_end, "l j F Y"),
        }
    else:
        subject = _("Voorstel voor de periode: %(title)s") % {"title": joint.title}
        body = _("%(name)s stelt voor het werk samen uit te voeren van %(start)s t/m %(end)s.") % {
            "name": joint.proposed_by.display_name if joint.proposed_by else "",
            "start": date_format(joint.proposed_start, "l j F Y"),
            "end": date_format(joint.proposed_end, "l j F Y"),
        }
        body += "\n" + _("Gaat u akkoord? Open het gezamenlijke werk:")
    send_to_reachable(recipients, subject, body + "\n" + url)


def send_street_follow_confirm(follow: StreetFollow) -> None:
    """Ask the resident to confirm following a street (double opt-in)."""
    send_to_reachable(
        [follow.email],
        _("Bevestig: werk in %(place)s volgen") % {"place": follow.place},
        _(
            "U vroeg om bericht over nieuw werk in %(place)s. Bevestig dat via deze link:\n"
            "%(url)s\n\nVroeg u dit niet? Dan hoeft u niets te doen; u krijgt geen berichten."
        )
        % {
            "place": follow.place,
            "url": _url(reverse("planning:follow_confirm", args=[follow.token])),
        },
    )


def send_street_notice(work: Work, follow: StreetFollow) -> None:
    """Tell the follower of a street about a new work there, with a way to stop."""
    send_to_reachable(
        [follow.email],
        _("Nieuw werk in %(place)s: %(title)s") % {"place": follow.place, "title": work.title},
        _("Er is werk gepland in %(place)s:\n%(line)s\n\nMeer: %(url)s")
        % {
            "place": follow.place,
            "line": _work_line(work),
            "url": _url(work.get_absolute_url()),
        }
        + "\n\n"
        + _("Geen berichten meer over deze straat? %(url)s")
        % {"url": _url(reverse("planning:follow_stop", args=[follow.token]))},
    )


def _initiative_line(work: Work) -> str:
    return _("%(title)s, %(start)s t/m %(end)s") % {
        "title": work.title,
        "start": date_format(work.start, "l j F Y"),
        "end": date_format(work.end, "l j F Y"),
    }


def send_initiative_proposed(work: Work) -> None:
    """Tell the planners of the municipality ``work`` is addressed to about a new initiative:
    who proposes what, where (the work's page with its map) and where to decide."""
    if work.initiative != Work.Initiative.PROPOSED:
        return
    proposer = work.proposed_by.display_name if work.proposed_by is not None else "—"
    body = _(
        "%(name)s stelt een bewonersinitiatief voor aan %(owner)s:\n%(line)s\n\n"
        "Waar: %(where)s\nAccepteren of afwijzen: %(decide)s"
    ) % {
        "name": proposer,
        "owner": work.owner.name,
        "line": _initiative_line(work),
        "where": _url(work.get_absolute_url()),
        "decide": _url(reverse("planning:initiatives")),
    }
    if work.description:
        body += "\n\n" + _("Omschrijving:") + "\n" + work.description
    send_to_reachable(
        list(verified_members(work.owner).values_list("email", flat=True)),
        _("Nieuw bewonersinitiatief: %(title)s") % {"title": work.title},
        body,
    )


def send_initiative_decided(work: Work) -> None:
    """Tell the proposer that the municipality accepted or declined their initiative (with the
    reason when declined)."""
    proposer = work.proposed_by
    if proposer is None or not proposer.is_active or proposer.is_removed:
        return
    link = _url(reverse("planning:initiative", args=[work.pk]))
    if work.initiative == Work.Initiative.ACCEPTED:
        subject = _("Uw initiatief is geaccepteerd: %(title)s") % {"title": work.title}
        body = _(
            "%(owner)s heeft uw initiatief geaccepteerd. Het staat nu op de kaart voor "
            "bewoners:\n%(line)s\n\n%(url)s"
        ) % {"owner": work.owner.name, "line": _initiative_line(work), "url": link}
    elif work.initiative == Work.Initiative.DECLINED:
        subject = _("Uw initiatief is afgewezen: %(title)s") % {"title": work.title}
        body = _(
            "%(owner)s heeft uw initiatief afgewezen:\n%(line)s\n\nReden:\n%(reason)s\n\n%(url)s"
        ) % {
            "owner": work.owner.name,
            "line": _initiative_line(work),
            "reason": work.initiative_reason,
            "url": link,
        }
    else:
        return
    send_to_reachable([proposer.email], subject, body)

"""The mails of the knowledge app: a new answer to the followers of a question, an accepted
answer to its author, the daily digest of unanswered questions to the programme teams, and the
reminder to accept an answer.

tasks.py and the ``knowledge_digest`` command call these; rows are read fresh here.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bouwplaats.core.mail import AddressError, build_message
from bouwplaats.programmes.models import ProgrammeMembership

from .models import Answer, Question

logger = logging.getLogger(__name__)


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _excerpt(text: str, limit: int = 600) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def new_answer_message(answer: Answer, follower):
    """Return the mail telling ``follower`` about ``answer`` on a question they follow."""
    question = answer.question
    author = answer.author.display_name if answer.author else _("een lid")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Bouwplaats] Nieuw antwoord op ‘%(title)s’") % {"title": question.title}
        lines = [
            _("Beste %(name)s,") % {"name": follower.display_name},
            "",
            _("%(author)s heeft een vraag beantwoord die u volgt: ‘%(title)s’.")
            % {"author": author, "title": question.title},
            "",
            _excerpt(answer.body),
            "",
            _("Lees het hele antwoord: %(url)s") % {"url": _url(answer.get_absolute_url())},
            "",
            _(
                "U krijgt deze mail omdat u deze vraag volgt. Stoppen met volgen kan op de "
                "pagina van de vraag."
            ),
        ]
    return build_message(
        subject=subject, body="\n".join(lines), to=[(follower.email, follower.display_name)]
    )


def _followers_to_mail(answer: Answer):
    """Return the users mailed about ``answer``: its question's active followers but its author."""
    return (
        get_user_model()
        .objects.filter(question_follows__question_id=answer.question_id, is_active=True)
        .exclude(pk=answer.author_id)
    )


def new_answer_followers(answer_id: int) -> list[int]:
    """Return the ids of who is mailed about answer ``answer_id``: the question's active
    followers but the answer's author (none when the answer is gone)."""
    answer = Answer.objects.filter(pk=answer_id).only("question_id", "author_id").first()
    if answer is None:
        return []
    return list(_followers_to_mail(answer).order_by("pk").values_list("pk", flat=True))


def send_new_answer_to(answer_id: int, follower_id: int) -> bool:
    """Mail follower ``follower_id`` about answer ``answer_id``; return whether it was sent.

    A message of their own (followers don't see each other's addresses). Nothing is sent
    when the answer is gone or the follower no longer follows (or is inactive); an address
    that cannot be mailed is logged and skipped.
    """
    answer = Answer.objects.select_related("question", "author").filter(pk=answer_id).first()
    follower = None if answer is None else _followers_to_mail(answer).filter(pk=follower_id).first()
    if follower is None:
        return False
    try:
        new_answer_message(answer, follower).send()
    except AddressError as error:
        logger.warning("Answer %s not mailed to follower %s: %s", answer_id, follower_id, error)
        return False
    return True


def answer_accepted_message(answer: Answer):
    """Return the mail telling the author of ``answer`` that the question's asker accepted it."""
    question, author = answer.question, answer.author
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Bouwplaats] Uw antwoord op ‘%(title)s’ is geaccepteerd") % {
            "title": question.title
        }
        lines = [
            _("Beste %(name)s,") % {"name": author.display_name},
            "",
            _(
                "Uw antwoord op de vraag ‘%(title)s’ is geaccepteerd: het heeft geholpen. "
                "Anderen met dezelfde vraag zien het nu als eerste."
            )
            % {"title": question.title},
            "",
            _("Bekijk de vraag: %(url)s") % {"url": _url(answer.get_absolute_url())},
            "",
            _("Dank u wel voor het delen van uw kennis."),
        ]
    return build_message(
        subject=subject, body="\n".join(lines), to=[(author.email, author.display_name)]
    )


def send_answer_accepted(answer_id: int) -> bool:
    """Mail the author of answer ``answer_id`` that it was accepted; return whether it was sent.

    Nothing is sent when the answer is gone, no longer the accepted one, its author is gone or
    inactive, or the author accepted it themselves; an address that cannot be mailed is logged.
    """
    answer = (
        Answer.objects.select_related("question", "author")
        .filter(pk=answer_id, question__accepted_answer_id=answer_id)
        .first()
    )
    if answer is None or answer.author is None or not answer.author.is_active:
        return False
    if answer.author_id == answer.question.asked_by_id:
        return False
    try:
        answer_accepted_message(answer).send()
    except AddressError as error:
        logger.warning("Accepted answer %s not mailed to its author: %s", answer_id, error)
        return False
    return True


def unanswered_questions(now=None):
    """Return the questions without any answer asked more than KNOWLEDGE_UNANSWERED_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.KNOWLEDGE_UNANSWERED_DAYS)
    return (
        Question.objects.filter(created_at__lt=cutoff, answers__isnull=True)
        .select_related("programme")
        .order_by("created_at", "pk")
    )


def digest_message(member, questions: list[Question], now):
    """Return the digest mail listing ``questions`` for ``member`` of a programme team."""
    with translation.override(settings.LANGUAGE_CODE):
        count = len(questions)
        subject = ngettext(
            "[Bouwplaats] %(count)d vraag wacht op een antwoord",
            "[Bouwplaats] %(count)d vragen wachten op een antwoord",
            count,
        ) % {"count": count}
        lines = [
            _("Beste %(name)s,") % {"name": member.display_name},
            "",
            ngettext(
                "Deze vraag is langer dan %(days)d dag(en) onbeantwoord:",
                "Deze vragen zijn langer dan %(days)d dag(en) onbeantwoord:",
                count,
            )
            % {"days": settings.KNOWLEDGE_UNANSWERED_DAYS},
            "",
        ]
        for question in questions:
            age = (now - question.created_at).days
            lines += [
                f"- {question.title}",
                "  "
                + _("gesteld op %(date)s (%(age)d dagen geleden)")
                % {
                    "date": formats.date_format(timezone.localtime(question.created_at), "l j F Y"),
                    "age": age,
                },
                "  " + _url(question.get_absolute_url()),
                "",
            ]
        lines.append(
            _("Weet u wie het antwoord weet? Op de pagina van elke vraag staat ‘Wie weet dit?’.")
        )
    return build_message(
        subject=subject, body="\n".join(lines), to=[(member.email, member.display_name)]
    )


def send_unanswered_digest(now=None) -> int:
    """Mail each programme team member the unanswered questions of their programmes (platform
    administrators those without programme); return the number of mails sent."""
    now = now or timezone.now()
    questions = list(unanswered_questions(now))
    if not questions:
        return 0
    by_programme: dict[int | None, list[Question]] = {}
    for question in questions:
        by_programme.setdefault(question.programme_id, []).append(question)
    recipients: dict[int, tuple] = {}
    memberships = ProgrammeMembership.objects.filter(
        programme_id__in=[pid for pid in by_programme if pid is not None], user__is_active=True
    ).select_related("user")
    for membership in memberships:
        member, found = recipients.setdefault(membership.user_id, (membership.user, []))
        found.extend(by_programme[membership.programme_id])
    if None in by_programme:
        staff = get_user_model().objects.filter(Q(is_staff=True), is_active=True)
        for member in staff:
            _member, found = recipients.setdefault(member.pk, (member, []))
            found.extend(by_programme[None])
    sent = 0
    for member, found in recipients.values():
        found = sorted(set(found), key=lambda q: (q.created_at, q.pk))
        try:
            digest_message(member, found, now).send()
        except AddressError as error:
            logger.warning("Unanswered digest not mailed to %s: %s", member.pk, error)
            continue
        sent += 1
    return sent


def accept_reminders_due(now=None):
    """Return the questions whose asker is to be reminded to accept an answer: none accepted,
    an answer by someone else older than KNOWLEDGE_ACCEPT_REMINDER_DAYS, not reminded before,
    an active asker; with ``answer_count``."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.KNOWLEDGE_ACCEPT_REMINDER_DAYS)
    old_answer = Answer.objects.filter(question=OuterRef("pk"), created_at__lt=cutoff).exclude(
        author_id=OuterRef("asked_by_id")
    )
    return (
        Question.objects.filter(
            Exists(old_answer),
            accepted_answer__isnull=True,
            accept_reminder_sent_at__isnull=True,
            asked_by__is_active=True,
        )
        .select_related("asked_by")
        .annotate(answer_count=Count("answers"))
        .order_by("created_at", "pk")
    )


def accept_reminder_message(question: Question):
    """Return the mail asking the asker of ``question`` to accept the answer that helped."""
    asker = question.asked_by
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Bouwplaats] Heeft een antwoord op ‘%(title)s’ u geholpen?") % {
            "title": question.title
        }
        lines = [
            _("Beste %(name)s,") % {"name": asker.display_name},
            "",
            ngettext(
                "Uw vraag ‘%(title)s’ heeft %(count)d antwoord gekregen.",
                "Uw vraag ‘%(title)s’ heeft %(count)d antwoorden gekregen.",
                question.answer_count,
            )
            % {"title": question.title, "count": question.answer_count},
            "",
            _(
                "Heeft een antwoord u geholpen? Accepteer het dan op de pagina van de vraag. "
                "Zo zien anderen met dezelfde vraag meteen welk antwoord werkte, en vindt de "
                "zoekfunctie het eerder."
            ),
            "",
            _url(question.get_absolute_url()),
            "",
            _("U krijgt deze herinnering één keer voor deze vraag."),
        ]
    return build_message(
        subject=subject, body="\n".join(lines), to=[(asker.email, asker.display_name)]
    )

"""Actions on knowledge items, questions, answers, votes and follows: one transaction each.

Every action checks permissions.py, validates the model's rules with ``validate_instance`` and
enqueues mail after commit; the search index follows the saves in the same transaction
(search_documents.WATCH).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.background import enqueue_owed_on_commit
from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.mail import AddressError
from bouwplaats.core.page_cache import bump_visitor_pages
from bouwplaats.core.validation import validate_instance
from bouwplaats.events.models import Session
from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.projects.models import Pilot, Submission

from . import permissions as perms
from .models import Answer, AnswerVote, KnowledgeItem, Question, QuestionFollower

logger = logging.getLogger(__name__)

ACCEPT_REFUSED = _("Alleen wie de vraag stelde of het programmateam accepteert een antwoord.")


def _enqueue(task, *args) -> None:
    # The answer's mails (followers, accepted), owed through core's outbox (core.background).
    enqueue_owed_on_commit(task, *args)


# Knowledge items ------------------------------------------------------------------------------


ITEM_TEXT_FIELDS = (
    "type",
    "title",
    "summary",
    "body",
    "context",
    "what_happened",
    "do_differently",
    "evidence",
    "figure",
    "figure_text",
    "check_by",
)


def _require_lesson_theme(item: KnowledgeItem, themes) -> None:
    if item.type == KnowledgeItem.Type.LESSON and not themes:
        raise InvalidInput({"themes": [_("Kies ten minste één thema voor de les.")]})


def _set_links(item: KnowledgeItem, *, themes, sessions, pilots, submissions, authors) -> None:
    if themes is not None:
        item.themes.set(themes)
    if sessions is not None:
        item.sessions.set(sessions)
    if pilots is not None:
        item.pilots.set(pilots)
    if submissions is not None:
        item.submissions.set(submissions)
    if authors is not None:
        item.authors.set(authors)


@transaction.atomic
def knowledge_item_create(
    *,
    actor,
    type: str,
    title: str,
    programme: Programme | None = None,
    themes: Iterable[Theme] = (),
    sessions: Iterable[Session] = (),
    pilots: Iterable[Pilot] = (),
    submissions: Iterable[Submission] = (),
    authors: Iterable = (),
    publish: bool = False,
    **fields,
) -> KnowledgeItem:
    """Create a knowledge item as a draft (or published, when ``publish`` and ``actor`` is on
    the programme's team); ``actor`` is an author.

    ``fields`` are the text fields of ITEM_TEXT_FIELDS. Raises NotAllowed for a visitor or a
    pilot the actor may not write lessons of, InvalidInput naming each refused field.
    """
    bump_visitor_pages("knowledge")
    if not perms.can_create_item(actor):
        raise NotAllowed(_("Log in om kennis te delen."))
    unknown = set(fields) - set(ITEM_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"knowledge_item_create got unknown fields {sorted(unknown)}")
    pilots = list(pilots)
    for pilot in pilots:
        if not perms.can_write_pilot_lesson(actor, pilot):
            raise NotAllowed(
                _("Alleen het team van de pilot of het programmateam legt lessen ervan vast.")
            )
    item = KnowledgeItem(type=type, title=title, programme=programme, created_by=actor, **fields)
    validate_instance(item)
    themes = list(themes)
    _require_lesson_theme(item, themes)
    if publish:
        if not perms.can_curate_item(actor, item):
            raise NotAllowed(_("Alleen het programmateam publiceert kennis."))
        item.status = KnowledgeItem.Status.PUBLISHED
        item.published_at = timezone.now()
    item.save()
    _set_links(
        item,
        themes=themes,
        sessions=list(sessions),
        pilots=pilots,
        submissions=list(submissions),
        authors={actor, *authors},
    )
    return item


@transaction.atomic
def knowledge_item_update(
    *,
    actor,
    item: KnowledgeItem,
    programme: Programme | None | bool = False,
    themes: Iterable[Theme] | None = None,
    sessions: Iterable[Session] | None = None,
    pilots: Iterable[Pilot] | None = None,
    submissions: Iterable[Submission] | None = None,
    **fields,
) -> KnowledgeItem:
    """Change the item's text and links (``None``/``False``: leave as is); authors and team.

    Raises NotAllowed, InvalidInput naming each refused field.
    """
    bump_visitor_pages("knowledge")
    item = KnowledgeItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if not perms.can_edit_item(actor, item):
        raise NotAllowed(_("Alleen de auteurs en het programmateam wijzigen dit kennisitem."))
    unknown = set(fields) - set(ITEM_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"knowledge_item_update got unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(item, name, value)
    if programme is not False:
        item.programme = programme
    validate_instance(item)
    new_themes = list(themes) if themes is not None else list(item.themes.all())
    _require_lesson_theme(item, new_themes)
    item.save()
    _set_links(
        item,
        themes=themes if themes is None else new_themes,
        sessions=sessions,
        pilots=pilots,
        submissions=submissions,
        authors=None,
    )
    return item


@transaction.atomic
def knowledge_item_curate(
    *,
    actor,
    item: KnowledgeItem,
    status: str | None = None,
    featured: bool | None = None,
    check_by: datetime.date | None | bool = False,
) -> KnowledgeItem:
    """Publish, archive or return to draft, feature or not, and date a check; programme team.

    Raises NotAllowed for anyone else, InvalidInput for an unknown status or implausible date.
    """
    bump_visitor_pages("knowledge")
    item = KnowledgeItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if not perms.can_curate_item(actor, item):
        raise NotAllowed(_("Alleen het programmateam publiceert, licht uit en archiveert."))
    before = (item.status, item.featured, item.check_by)
    if status is not None:
        if status not in KnowledgeItem.Status.values:
            raise InvalidInput({"status": [_("Kies concept, gepubliceerd of gearchiveerd.")]})
        if status == KnowledgeItem.Status.PUBLISHED and item.published_at is None:
            item.published_at = timezone.now()
        item.status = status
    if featured is not None:
        item.featured = featured
    if check_by is not False:
        item.check_by = check_by
    validate_instance(item)
    if item.status != KnowledgeItem.Status.PUBLISHED:
        item.featured = False  # Only what everybody sees is put in the spotlight.
    item.save()
    _log_curation(actor, item, before)
    return item


# The audit code of each status a curator gives an item.
_STATUS_ACTIONS = {
    KnowledgeItem.Status.DRAFT: "knowledge.item.drafted",
    KnowledgeItem.Status.PUBLISHED: "knowledge.item.published",
    KnowledgeItem.Status.ARCHIVED: "knowledge.item.archived",
}


def _log_curation(actor, item: KnowledgeItem, before: tuple) -> None:
    """Record each change of status, spotlight and check date ``knowledge_item_curate`` made."""
    status, featured, check_by = before
    if item.status != status:
        log_action(_STATUS_ACTIONS[item.status], actor=actor, obj=item, data={"from": status})
    if item.featured != featured:
        action = "knowledge.item.featured" if item.featured else "knowledge.item.unfeatured"
        log_action(action, actor=actor, obj=item)
    if item.check_by != check_by:
        when = item.check_by.isoformat() if item.check_by else None
        log_action("knowledge.item.check_dated", actor=actor, obj=item, data={"check_by": when})


# Questions ------------------------------------------------------------------------------------


@transaction.atomic
def question_create(
    *,
    actor,
    title: str,
    body: str = "",
    programme: Programme | None = None,
    themes: Iterable[Theme] = (),
) -> Question:
    """Ask a question; the asker follows it. Raises NotAllowed (visitor), InvalidInput."""
    bump_visitor_pages("knowledge")
    if not perms.can_ask(actor):
        raise NotAllowed(_("Log in om een vraag te stellen."))
    question = Question(title=title, body=body, programme=programme, asked_by=actor)
    validate_instance(question)
    question.save()
    question.themes.set(list(themes))
    QuestionFollower.objects.create(question=question, user=actor)
    return question


@transaction.atomic
def question_update(
    *,
    actor,
    question: Question,
    title: str,
    body: str,
    programme: Programme | None = None,
    themes: Iterable[Theme] = (),
) -> Question:
    """Change a question's text, programme and themes: the asker or the programme team.

    Raises NotAllowed, InvalidInput.
    """
    bump_visitor_pages("knowledge")
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    if not perms.can_edit_question(actor, question):
        raise NotAllowed(_("Alleen wie de vraag stelde en het programmateam wijzigen haar."))
    question.title, question.body, question.programme = title, body, programme
    validate_instance(question)
    question.save()
    question.themes.set(list(themes))
    return question


@transaction.atomic
def answer_create(*, actor, question: Question, body: str) -> Answer:
    """Answer ``question``; its followers (not the author) are mailed after commit.

    Raises NotAllowed (visitor), InvalidInput (empty, too long, control characters).
    """
    bump_visitor_pages("knowledge")
    from . import tasks

    if not perms.can_answer(actor, question):
        raise NotAllowed(_("Log in om te antwoorden."))
    answer = Answer(question=question, author=actor, body=body)
    validate_instance(answer)
    answer.save()
    Question.objects.filter(pk=question.pk).update(updated_at=timezone.now())
    # Who answers follows the question from then on (as on Stack Overflow and Discourse), so
    # replies and the accepted answer reach them; the follow button still stops it.
    QuestionFollower.objects.get_or_create(question=question, user=actor)
    _enqueue(tasks.send_new_answer_mail, answer.pk)
    return answer


@transaction.atomic
def answer_update(*, actor, answer: Answer, body: str) -> Answer:
    """Change an answer's text: its author only. Raises NotAllowed, InvalidInput."""
    bump_visitor_pages("knowledge")
    answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
    if not perms.can_edit_answer(actor, answer):
        raise NotAllowed(_("Alleen de auteur wijzigt dit antwoord."))
    answer.body = body
    validate_instance(answer)
    answer.save()
    return answer


@transaction.atomic
def answer_accept(*, actor, answer: Answer) -> Question:
    """Make ``answer`` the question's accepted answer (replacing one accepted before): the
    asker or the programme team.

    Raises NotAllowed for anyone else.
    """
    bump_visitor_pages("knowledge")
    from . import tasks

    question = Question.objects.select_for_update(of=("self",)).get(pk=answer.question_id)
    if not perms.can_accept(actor, question):
        raise NotAllowed(ACCEPT_REFUSED)
    newly = question.accepted_answer_id != answer.pk
    question.accepted_answer = answer
    question.accepted_at = timezone.now()
    question.save(update_fields=["accepted_answer", "accepted_at", "updated_at"])
    if newly and answer.author_id not in (None, actor.pk):
        # The author hears that the answer helped (once per acceptance, not per click).
        _enqueue(tasks.send_answer_accepted_mail, answer.pk)
    return question


@transaction.atomic
def answer_unaccept(*, actor, question: Question) -> Question:
    """Withdraw the accepted answer of ``question``: the asker or the programme team."""
    bump_visitor_pages("knowledge")
    question = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    if not perms.can_accept(actor, question):
        raise NotAllowed(ACCEPT_REFUSED)
    question.accepted_answer = None
    question.accepted_at = None
    question.save(update_fields=["accepted_answer", "accepted_at", "updated_at"])
    return question


@transaction.atomic
def answer_promote(*, actor, answer: Answer) -> KnowledgeItem:
    """Turn ``answer`` into a draft article with the question's title, themes and programme,
    the answer's author and ``actor`` as authors: the programme team, in one click.

    Raises NotAllowed for anyone else.
    """
    bump_visitor_pages("knowledge")
    if not perms.can_promote_answer(actor, answer):
        raise NotAllowed(_("Alleen het programmateam legt een antwoord vast als kennis."))
    question = answer.question
    body = "\n\n".join(part for part in (f"> {question.title}", question.body, answer.body)
                        if part.strip())  # fmt: skip
    item = KnowledgeItem(
        type=KnowledgeItem.Type.ARTICLE,
        title=question.title,
        summary="",
        body=body[: KnowledgeItem._meta.get_field("body").max_length],
        programme=question.programme,
        created_by=actor,
    )
    validate_instance(item)
    item.save()
    item.themes.set(list(question.themes.all()))
    item.authors.set([a for a in (answer.author, actor) if a is not None])
    return item


def answer_vote(*, actor, answer: Answer) -> int:
    """Vote ``answer`` up once; return its number of votes.

    Raises NotAllowed (visitor, own answer), DomainError 409 code ``vote`` for a second vote.
    """
    if not perms.can_vote(actor, answer):
        if getattr(actor, "is_authenticated", False):
            raise NotAllowed(_("U kunt niet op uw eigen antwoord stemmen."), code="vote")
        raise NotAllowed(_("Log in om te stemmen."))
    try:
        with transaction.atomic():
            AnswerVote.objects.create(answer=answer, user=actor)
    except IntegrityError:
        raise DomainError(
            _("U heeft al op dit antwoord gestemd."), code="vote", status_code=409
        ) from None
    return AnswerVote.objects.filter(answer=answer).count()


@transaction.atomic
def question_follow(*, actor, question: Question, follow: bool = True) -> bool:
    """Follow (or stop following) ``question``; return whether ``actor`` follows it now."""
    if not perms.can_follow(actor, question):
        raise NotAllowed(_("Log in om deze vraag te volgen."))
    if follow:
        QuestionFollower.objects.get_or_create(question=question, user=actor)
    else:
        QuestionFollower.objects.filter(question=question, user=actor).delete()
    return follow


def _claim_accept_reminder(question: Question, now: datetime.datetime) -> bool:
    claimed = Question.objects.filter(pk=question.pk, accept_reminder_sent_at__isnull=True).update(
        accept_reminder_sent_at=now
    )
    return bool(claimed)


def question_accept_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each asker of a question in ``mails.accept_reminders_due`` once to accept an
    answer; return how many mails were sent.

    Each question is marked in the transaction that sends its mail: a mail the server refuses
    is tried again the next run; an address that cannot be mailed at all is marked and logged.
    """
    from . import mails

    now = now or timezone.now()
    sent = 0
    for question in mails.accept_reminders_due(now):
        try:
            with transaction.atomic():
                if not _claim_accept_reminder(question, now):
                    continue
                mails.accept_reminder_message(question).send()
        except AddressError as error:
            _claim_accept_reminder(question, now)
            logger.warning("Accept reminder for question %s not mailed: %s", question.pk, error)
            continue
        sent += 1
    return sent

"""Who may see and change knowledge items, questions and answers: each rule once, as an object
check and (for what lists show) a queryset, used by pages, API, search and selectors alike.

Knowledge items: published ones are public; drafts and archived ones are seen by their authors
and the programme team (of the item's programme; platform administrators when it has none).
Questions and answers are public; members ask, answer, vote and follow.
"""

from django.db.models import Q, QuerySet

from bouwplaats.programmes.permissions import is_team_member, programmes_with_team_member
from bouwplaats.projects.models import Pilot
from bouwplaats.projects.permissions import can_report_on_pilot, can_view_pilot

from .models import Answer, KnowledgeItem, Question


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_team_of(user, programme) -> bool:
    """Return True if ``user`` curates what belongs to ``programme`` (administrators: all)."""
    if not _signed_in(user):
        return False
    if programme is None:
        return bool(user.is_staff)
    return is_team_member(user, programme)


# Knowledge items ------------------------------------------------------------------------------


def is_author(user, item: KnowledgeItem) -> bool:
    """Return True if ``user`` is one of the item's authors (or created it)."""
    if not _signed_in(user):
        return False
    if item.created_by_id == user.pk:
        return True
    return item.authors.filter(pk=user.pk).exists()


def can_curate_item(user, item: KnowledgeItem) -> bool:
    """Return True if ``user`` publishes, features and archives ``item``: the programme team."""
    return _is_team_of(user, item.programme)


def can_view_item(user, item: KnowledgeItem) -> bool:
    """Return True if ``user`` may read ``item``: published for all, else authors and team."""
    if item.status == KnowledgeItem.Status.PUBLISHED:
        return True
    return can_curate_item(user, item) or is_author(user, item)


def items_visible_to(user, qs: QuerySet[KnowledgeItem] | None = None) -> QuerySet[KnowledgeItem]:
    """Return the items (of ``qs``, default all) ``user`` may read."""
    qs = KnowledgeItem.objects.all() if qs is None else qs
    published = Q(status=KnowledgeItem.Status.PUBLISHED)
    if not _signed_in(user):
        return qs.filter(published)
    if user.is_staff:
        return qs
    authored = KnowledgeItem.authors.through.objects.filter(user_id=user.pk)
    return qs.filter(
        published
        | Q(created_by=user)
        | Q(pk__in=authored.values("knowledgeitem_id"))
        | Q(programme__in=programmes_with_team_member(user))
    )


def items_of_status_visible_to(
    user, status: str, qs: QuerySet[KnowledgeItem] | None = None
) -> QuerySet[KnowledgeItem]:
    """Return the items (of ``qs``) with ``status`` that ``user`` may read: all published ones
    (public, as ``can_view_item``), else as ``items_visible_to``.

    The same rows as ``items_visible_to(user, qs).filter(status=status)``; for published ones
    without the OR of the other branches, so the database counts and orders them by index.
    """
    qs = KnowledgeItem.objects.all() if qs is None else qs
    qs = qs.filter(status=status)
    if status == KnowledgeItem.Status.PUBLISHED:
        return qs
    return items_visible_to(user, qs)


def can_edit_item(user, item: KnowledgeItem) -> bool:
    """Return True if ``user`` may change ``item``'s text: its authors and the programme team."""
    return can_curate_item(user, item) or is_author(user, item)


def can_create_item(user) -> bool:
    """Return True if ``user`` may write a knowledge item (as a draft): any member."""
    return _signed_in(user)


def is_on_a_team(user) -> bool:
    """Return True if ``user`` is on any programme's team (or a platform administrator)."""
    if not _signed_in(user):
        return False
    return bool(user.is_staff) or programmes_with_team_member(user).exists()


def can_write_pilot_lesson(user, pilot: Pilot) -> bool:
    """Return True if ``user`` may record a lesson of ``pilot``: its team or the programme team."""
    return can_report_on_pilot(user, pilot) or _is_team_of(user, pilot.programme)


def can_see_pilot(user, pilot: Pilot) -> bool:
    """Return True if ``user`` may see ``pilot`` (the projects app's rule)."""
    return can_view_pilot(user, pilot)


# Questions and answers ------------------------------------------------------------------------


def can_ask(user) -> bool:
    """Return True if ``user`` may ask a question: any member."""
    return _signed_in(user)


def can_answer(user, question: Question) -> bool:
    """Return True if ``user`` may answer ``question``: any member."""
    return _signed_in(user)


def can_edit_question(user, question: Question) -> bool:
    """Return True if ``user`` may change ``question``: the asker and the programme team."""
    if not _signed_in(user):
        return False
    return question.asked_by_id == user.pk or _is_team_of(user, question.programme)


def can_accept(user, question: Question) -> bool:
    """Return True if ``user`` may accept an answer of ``question``: the asker or the programme
    team (administrators for a question without programme)."""
    return can_edit_question(user, question)


def can_promote_answer(user, answer: Answer) -> bool:
    """Return True if ``user`` may turn ``answer`` into a knowledge item: the programme team."""
    return _is_team_of(user, answer.question.programme)


def can_edit_answer(user, answer: Answer) -> bool:
    """Return True if ``user`` may change ``answer``: its author."""
    return _signed_in(user) and answer.author_id == user.pk


def can_vote(user, answer: Answer) -> bool:
    """Return True if ``user`` may vote ``answer`` up: a member, not on their own answer."""
    return _signed_in(user) and answer.author_id != user.pk


def can_follow(user, question: Question) -> bool:
    """Return True if ``user`` may follow ``question``: any member."""
    return _signed_in(user)


def questions_curated_by(user, qs: QuerySet[Question] | None = None) -> QuerySet[Question]:
    """Return the questions (of ``qs``) whose programme team ``user`` is on."""
    qs = Question.objects.all() if qs is None else qs
    if not _signed_in(user):
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(programme__in=programmes_with_team_member(user))

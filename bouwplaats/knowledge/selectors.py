"""Reads of the knowledge app: lists with their filters, one item or question, related
lessons, "wie weet dit?" and the course catalogue. Access comes from permissions.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from bouwplaats.events.models import Session
from bouwplaats.events.permissions import sessions_visible_to
from bouwplaats.projects.models import Pilot

from . import permissions as perms
from .models import Answer, AnswerVote, KnowledgeItem, Question, QuestionFollower, TrainingOffer

RELATED_LIMIT = 5


def item_list(
    *,
    user,
    type: str | None = None,
    theme: str | None = None,
    programme: int | None = None,
    pilot: int | None = None,
    status: str | None = None,
) -> QuerySet[KnowledgeItem]:
    """Return the items ``user`` may read, filtered; published ones unless ``status`` is given
    (drafts and archived ones only as far as ``user`` may see them)."""
    qs = perms.items_visible_to(user)
    qs = qs.filter(status=status or KnowledgeItem.Status.PUBLISHED)
    if type:
        qs = qs.filter(type=type)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if programme:
        qs = qs.filter(programme_id=programme)
    if pilot:
        qs = qs.filter(pilots__id=pilot)
    return (
        qs.distinct()
        .select_related("programme")
        .prefetch_related("themes", "authors")
        .order_by("-featured", "-published_at", "-id")
    )


def item_get(*, user, pk: int) -> KnowledgeItem:
    """Return item ``pk`` with its links if ``user`` may read it; else raise DoesNotExist."""
    item = (
        KnowledgeItem.objects.select_related("programme", "created_by")
        .prefetch_related("themes", "authors", "submissions")
        .get(pk=pk)
    )
    if not perms.can_view_item(user, item):
        raise KnowledgeItem.DoesNotExist
    return item


def item_sessions(*, user, item: KnowledgeItem) -> list[Session]:
    """Return the sessions ``item`` came from that ``user`` may see."""
    return list(sessions_visible_to(user, item.sessions.all()).order_by("start"))


def item_pilots(*, user, item: KnowledgeItem) -> list[Pilot]:
    """Return the pilots ``item`` came from that ``user`` may see."""
    return [
        pilot
        for pilot in item.pilots.select_related("programme")
        if perms.can_see_pilot(user, pilot)
    ]


def related_lessons(
    *, themes: list[int], programme_id: int | None, exclude: int | None = None
) -> list[KnowledgeItem]:
    """Return up to RELATED_LIMIT published lessons on one of ``themes`` or of the programme,
    the ones sharing most themes first."""
    match = Q(themes__in=themes) if themes else Q(pk__in=[])
    if programme_id:
        match |= Q(programme_id=programme_id)
    qs = (
        KnowledgeItem.objects.filter(status=KnowledgeItem.Status.PUBLISHED, type="les")
        .filter(match)
        .exclude(pk=exclude)
        .annotate(shared=Count("themes", filter=Q(themes__in=themes)))
        .order_by("-shared", "-featured", "-published_at", "-id")
    )
    # Two steps: the annotated query finds the ids, the second reads them without duplicates.
    ids = list(dict.fromkeys(qs.values_list("pk", flat=True)))[:RELATED_LIMIT]
    found = {i.pk: i for i in KnowledgeItem.objects.filter(pk__in=ids).select_related("programme")}
    return [found[pk] for pk in ids]


def items_due_for_check(*, user) -> QuerySet[KnowledgeItem]:
    """Return the published items of ``user``'s programmes whose "check again by" has passed."""
    today = timezone.localdate()
    curated = perms.items_visible_to(user).filter(
        status=KnowledgeItem.Status.PUBLISHED, check_by__lte=today
    )
    if not user.is_staff:
        from bouwplaats.programmes.permissions import programmes_with_team_member

        curated = curated.filter(programme__in=programmes_with_team_member(user))
    return curated.order_by("check_by", "pk")


# Questions ------------------------------------------------------------------------------------


def question_list(
    *,
    theme: str | None = None,
    programme: int | None = None,
    unanswered: bool = False,
) -> QuerySet[Question]:
    """Return the questions, newest first, with ``answer_count``; filtered."""
    qs = Question.objects.all()
    if theme:
        qs = qs.filter(themes__slug=theme)
    if programme:
        qs = qs.filter(programme_id=programme)
    qs = qs.annotate(answer_count=Count("answers", distinct=True))
    if unanswered:
        qs = qs.filter(answer_count=0)
    return (
        qs.select_related("programme", "asked_by")
        .prefetch_related("themes")
        .order_by("-created_at", "-id")
    )


def question_get(*, pk: int) -> Question:
    """Return question ``pk`` with its themes and asker; Question.DoesNotExist if none."""
    return (
        Question.objects.select_related("programme", "asked_by", "accepted_answer")
        .prefetch_related("themes")
        .get(pk=pk)
    )


def question_answers(*, question: Question, user=None) -> list[Answer]:
    """Return the answers: the accepted one first, then by votes and age; each with ``vote_count``
    and ``voted`` (whether ``user`` voted it)."""
    qs = question.answers.select_related("author").annotate(vote_count=Count("votes"))
    if getattr(user, "is_authenticated", False):
        qs = qs.annotate(voted=Exists(AnswerVote.objects.filter(answer=OuterRef("pk"), user=user)))
    answers = list(qs.order_by("-vote_count", "created_at", "id"))
    for answer in answers:
        answer.voted = getattr(answer, "voted", False)
        answer.is_accepted = answer.pk == question.accepted_answer_id
    answers.sort(key=lambda a: not a.is_accepted)
    return answers


def is_following(*, question: Question, user) -> bool:
    """Return True if ``user`` follows ``question``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return QuestionFollower.objects.filter(question=question, user=user).exists()


@dataclass
class Expert:
    """A member with what they contributed on a question's themes."""

    user: object
    accepted_answers: int
    lessons: int
    pilots: int
    sessions: int

    @property
    def score(self) -> int:
        # An accepted answer shows the member solved a question of this kind: weigh it most.
        return 3 * self.accepted_answers + 2 * self.lessons + 2 * self.pilots + self.sessions


def who_knows(*, question: Question, limit: int = 5) -> list[Expert]:
    """Return up to ``limit`` members ranked by what they contributed on the question's themes
    (or, without themes, its programme): accepted answers, published lessons and articles,
    pilots they submitted, published sessions they led. The asker is left out.

    Four grouped queries plus one for the members, however many contributions there are.
    """
    themes = [t.pk for t in question.themes.all()]
    if not themes and not question.programme_id:
        return []
    if themes:
        q_match = Q(question__themes__in=themes)
        item_match = Q(themes__in=themes)
        session_match = Q(themes__in=themes)
        pilot_match = Q(programme__themes__in=themes)
    else:
        q_match = Q(question__programme_id=question.programme_id)
        item_match = Q(programme_id=question.programme_id)
        session_match = Q(programme_id=question.programme_id)
        pilot_match = Q(programme_id=question.programme_id)
    counts: dict[int, dict[str, int]] = {}

    def add(rows, key):
        for user_id, n in rows:
            if user_id is not None:
                counts.setdefault(user_id, {})[key] = n

    add(
        Answer.objects.filter(q_match, accepted_for__isnull=False)
        .values_list("author_id")
        .annotate(n=Count("pk", distinct=True)),
        "accepted_answers",
    )
    add(
        KnowledgeItem.objects.filter(item_match, status=KnowledgeItem.Status.PUBLISHED)
        .values_list("authors")
        .annotate(n=Count("pk", distinct=True)),
        "lessons",
    )
    add(
        Pilot.objects.filter(pilot_match)
        .values_list("submission__submitted_by")
        .annotate(n=Count("pk", distinct=True)),
        "pilots",
    )
    add(
        Session.objects.filter(session_match, status=Session.Status.PUBLISHED)
        .values_list("host")
        .annotate(n=Count("pk", distinct=True)),
        "sessions",
    )
    counts.pop(question.asked_by_id, None)
    if not counts:
        return []
    users = (
        get_user_model()
        .objects.select_related("organisation")
        .in_bulk(list(counts), field_name="pk")
    )
    experts = [
        Expert(
            user=users[pk],
            accepted_answers=found.get("accepted_answers", 0),
            lessons=found.get("lessons", 0),
            pilots=found.get("pilots", 0),
            sessions=found.get("sessions", 0),
        )
        for pk, found in counts.items()
        if pk in users and users[pk].is_active
    ]
    experts.sort(key=lambda e: (-e.score, e.user.display_name, e.user.pk))
    return experts[:limit]


# Courses --------------------------------------------------------------------------------------


def course_sessions(*, user) -> QuerySet[Session]:
    """Return the upcoming published sessions of type cursus that ``user`` may see."""
    from bouwplaats.events.selectors import with_counts

    qs = sessions_visible_to(user).filter(
        type=Session.Type.CURSUS, status=Session.Status.PUBLISHED, end__gte=timezone.now()
    )
    return with_counts(qs.select_related("programme").prefetch_related("themes")).order_by(
        "start", "id"
    )


def training_offers() -> QuerySet[TrainingOffer]:
    """Return the active training offers in the catalogue's order."""
    return (
        TrainingOffer.objects.filter(active=True)
        .select_related("programme")
        .prefetch_related("themes")
        .order_by("position", "title")
    )


def prefetch_answers_for_api() -> Prefetch:
    """Return the prefetch of answers with their authors (for the API's question detail)."""
    return Prefetch("answers", queryset=Answer.objects.select_related("author"))

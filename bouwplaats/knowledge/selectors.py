"""Reads of the knowledge app: lists with their filters, one item or question, related
lessons, "wie weet dit?" and the course catalogue. Access comes from permissions.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bouwplaats.events.models import Session
from bouwplaats.events.permissions import sessions_visible_to
from bouwplaats.projects.models import Pilot
from bouwplaats.projects.permissions import pilots_visible_to, submissions_visible_to

from . import permissions as perms
from .models import Answer, AnswerVote, KnowledgeItem, Question, QuestionFollower, TrainingOffer

RELATED_LIMIT = 5


def sees_links_as_visitor(user) -> bool:
    """Return True if the knowledge list's items and links ``user`` may see are a visitor's.

    Published items are everyone's (perms.items_of_status_visible_to); of the links, a visitor
    sees every session but drafts (events.permissions.sessions_visible_to) and no pilot or
    submission: so a member who may see no draft session, pilot or submission sees the
    same list. One query for a member, none for a visitor.
    """
    if not getattr(user, "is_authenticated", False):
        return True
    more = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            sees_drafts=Exists(sessions_visible_to(user).filter(status=Session.Status.DRAFT)),
            sees_pilots=Exists(pilots_visible_to(user)),
            sees_submissions=Exists(submissions_visible_to(user)),
        )
        .values_list("sees_drafts", "sees_pilots", "sees_submissions")
        .first()
    )
    return more is not None and not any(more)


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
    (drafts and archived ones only as far as ``user`` may see them).

    Featured first, then newest (the index ``knowledge_item_listed``). Each filter matches an
    item at most once (a theme's slug and an item's pilot are unique), so no DISTINCT.
    """
    qs = perms.items_of_status_visible_to(user, status or KnowledgeItem.Status.PUBLISHED)
    if type:
        qs = qs.filter(type=type)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if programme:
        qs = qs.filter(programme_id=programme)
    if pilot:
        qs = qs.filter(pilots__id=pilot)
    return (
        qs.select_related("programme")
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
    the ones sharing most themes first, then featured and newest.

    Two bounded reads instead of ranking every lesson of the programme: the lessons sharing a
    theme (grouped over the themes' rows), then, when fewer than RELATED_LIMIT share one, the
    programme's other lessons in the list's index order.
    """
    lessons = KnowledgeItem.objects.filter(
        status=KnowledgeItem.Status.PUBLISHED, type=KnowledgeItem.Type.LESSON
    )
    if exclude is not None:
        lessons = lessons.exclude(pk=exclude)
    ids: list[int] = []
    if len(themes) == 1:
        # One theme: every match shares exactly one, so the list's index order ranks them,
        # read until RELATED_LIMIT are found.
        ids = list(
            lessons.filter(themes=themes[0])
            .order_by("-featured", "-published_at", "-id")
            .values_list("pk", flat=True)[:RELATED_LIMIT]
        )
    elif themes:
        through = KnowledgeItem.themes.through
        ids = list(
            through.objects.filter(theme_id__in=themes, knowledgeitem__in=lessons.values("pk"))
            .values_list("knowledgeitem_id", flat=True)
            .annotate(shared=Count("theme_id"))
            .order_by(
                "-shared",
                "-knowledgeitem__featured",
                "-knowledgeitem__published_at",
                "-knowledgeitem_id",
            )[:RELATED_LIMIT]
        )
    if programme_id and len(ids) < RELATED_LIMIT:
        # Every lesson sharing a theme is in ``ids`` already: the rest share none.
        ids += list(
            lessons.filter(programme_id=programme_id)
            .exclude(pk__in=ids)
            .order_by("-featured", "-published_at", "-id")
            .values_list("pk", flat=True)[: RELATED_LIMIT - len(ids)]
        )
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


def with_answer_count(qs: QuerySet[Question]) -> QuerySet[Question]:
    """Annotate ``answer_count`` (int) per question: a correlated count, so a page of the
    list counts the answers of its own rows only (no GROUP BY over every question)."""
    answers = (
        Answer.objects.filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(answer_count=Coalesce(Subquery(answers), 0))


def question_list(
    *,
    theme: str | None = None,
    programme: int | None = None,
    unanswered: bool = False,
) -> QuerySet[Question]:
    """Return the questions, newest first (the index ``knowledge_question_listed``), with
    ``answer_count``; filtered (a theme's slug is unique: no duplicates)."""
    qs = Question.objects.all()
    if theme:
        qs = qs.filter(themes__slug=theme)
    if programme:
        qs = qs.filter(programme_id=programme)
    if unanswered:
        qs = qs.filter(~Exists(Answer.objects.filter(question=OuterRef("pk"))))
    return (
        with_answer_count(qs)
        .select_related("programme", "asked_by")
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

    # An accepted answer shows the member solved a question of this kind: weigh it most.
    WEIGHTS = {"accepted_answers": 3, "lessons": 2, "pilots": 2, "sessions": 1}

    @property
    def score(self) -> int:
        return sum(weight * getattr(self, key) for key, weight in self.WEIGHTS.items())


def who_knows(*, question: Question, limit: int = 5) -> list[Expert]:
    """Return up to ``limit`` active members ranked by what they contributed on the question's
    themes (or, without themes, its programme): accepted answers, published lessons and
    articles, pilots they submitted, published sessions they led; ties by name, then id. The
    asker is left out.

    Four grouped queries (one row per contributor, no model instances); names are read for
    the highest scores only, and only the ``limit`` members shown are loaded.
    """
    themes = [t.pk for t in question.themes.all()]
    if not themes and not question.programme_id:
        return []
    if themes:
        accepted_match = Q(themes__in=themes)
        on_themes = KnowledgeItem.themes.through.objects.filter(theme_id__in=themes)
        author_match = Q(knowledgeitem_id__in=on_themes.values("knowledgeitem_id"))
        session_match = Q(themes__in=themes)
        pilot_match = Q(programme__themes__in=themes)
    else:
        accepted_match = Q(programme_id=question.programme_id)
        author_match = Q(knowledgeitem__programme_id=question.programme_id)
        session_match = Q(programme_id=question.programme_id)
        pilot_match = Q(programme_id=question.programme_id)
    # An accepted answer belongs to the question that accepted it (services.answer_accept):
    # read from the questions with one, through the unique accepted_answer. Authors come from
    # the (item, author) rows: one per pair (the items on the themes as a subquery, so an item
    # on two of them still counts once), no DISTINCT.
    sources = {
        "accepted_answers": Question.objects.filter(accepted_match, accepted_answer__isnull=False)
        .values_list("accepted_answer__author_id")
        .annotate(n=Count("accepted_answer_id", distinct=True)),
        "lessons": KnowledgeItem.authors.through.objects.filter(
            author_match, knowledgeitem__status=KnowledgeItem.Status.PUBLISHED
        )
        .values_list("user_id")
        .annotate(n=Count("knowledgeitem_id")),
        "pilots": Pilot.objects.filter(pilot_match)
        .values_list("submission__submitted_by")
        .annotate(n=Count("pk", distinct=True)),
        "sessions": Session.objects.filter(session_match, status=Session.Status.PUBLISHED)
        .values_list("host")
        .annotate(n=Count("pk", distinct=True)),
    }
    # Plain dicts of (member id -> count) and one score per member: thousands of contributors
    # on a programme, so no object per contributor.
    found = {key: dict(qs.order_by()) for key, qs in sources.items()}
    scores: dict[int, int] = {}
    for key, per_member in found.items():
        per_member.pop(None, None)
        weight = Expert.WEIGHTS[key]
        for pk, n in per_member.items():
            scores[pk] = scores.get(pk, 0) + weight * n
    scores.pop(question.asked_by_id, None)
    users = _top_members(scores, limit)
    return [
        Expert(user=user, **{key: found[key].get(user.pk, 0) for key in Expert.WEIGHTS})
        for user in users
    ]


def _top_members(scores: dict[int, int], limit: int) -> list:
    """Return the ``limit`` active members with the highest ``scores`` (member id -> score),
    ties by display name and id, loaded with their organisation.

    Names are read only for the members scoring at least the ``limit``-th score (all of a tie,
    as the name decides it); lower scores only when some of those are inactive.
    """
    User = get_user_model()
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    batch = max(1, (connection.features.max_query_params or 1000) - 1)
    chosen: list[int] = []
    start = 0
    while start < len(ranked) and len(chosen) < limit:
        need = limit - len(chosen)
        cutoff = scores[ranked[min(start + need, len(ranked)) - 1]]
        end = start
        while end < len(ranked) and scores[ranked[end]] >= cutoff:
            end += 1
        ids = ranked[start:end]
        named = []
        for first in range(0, len(ids), batch):
            for pk, full_name, email, is_removed in (
                User.objects.filter(pk__in=ids[first : first + batch], is_active=True)
                .order_by()
                .values_list("pk", "full_name", "email", "is_removed")
            ):
                # An unsaved member gives display_name without loading the whole row.
                name = User(pk=pk, full_name=full_name, email=email, is_removed=is_removed)
                named.append((-scores[pk], name.display_name, pk))
        named.sort()
        chosen += [pk for _score, _name, pk in named[:need]]
        start = end
    users = User.objects.select_related("organisation").in_bulk(chosen)
    return [users[pk] for pk in chosen]


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

"""REST API for knowledge items, questions and answers (see API.md): thin, over selectors and
services; access rules from permissions.py, as the pages."""

import datetime
from typing import Annotated, Literal

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.markdown import render_markdown
from bouwplaats.core.page_cache import shared_api_cache
from bouwplaats.core.pagination import LimitOffsetPagination
from bouwplaats.core.schemas import DbId, Slug, model_field
from bouwplaats.events.permissions import sessions_visible_to
from bouwplaats.programmes.models import Programme, Theme
from bouwplaats.projects.permissions import pilots_visible_to, submissions_visible_to

from . import selectors, services
from .models import Answer, KnowledgeItem, Question

router = Router(tags=["knowledge"])


def _member(request):
    if not request.user.is_authenticated:
        raise NotAllowed(_("Log in met een API-sleutel."), status_code=401)
    return request.user


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


class ThemeOut(Schema):
    slug: str
    name: str


class PersonOut(Schema):
    name: str
    function: str

    @staticmethod
    def resolve_name(obj):
        return obj.display_name

    @staticmethod
    def resolve_function(obj):
        return getattr(obj, "function", "") or ""


class LinksOut(Schema):
    sessions: list[int]
    pilots: list[int]
    projects: list[int]


# Knowledge items ------------------------------------------------------------------------------


class KnowledgeOut(Schema):
    id: int
    type: str
    title: str
    summary: str
    body: str
    html: str
    lesson: dict[str, str] | None = Field(
        None, description="a lesson's fixed form: context, what_happened, do_differently, evidence"
    )
    themes: list[ThemeOut]
    programme: int | None = Field(None, alias="programme_id")
    status: str
    featured: bool
    check_by: datetime.date | None
    published_at: datetime.datetime | None
    authors: list[PersonOut]
    links: LinksOut
    url: str

    @staticmethod
    def resolve_html(obj):
        return render_markdown(obj.body)

    @staticmethod
    def resolve_lesson(obj):
        if obj.type != KnowledgeItem.Type.LESSON:
            return None
        return {name: getattr(obj, name) for name in
                ("context", "what_happened", "do_differently", "evidence")}  # fmt: skip

    @staticmethod
    def resolve_themes(obj):
        return obj.api_themes

    @staticmethod
    def resolve_authors(obj):
        return obj.api_authors

    @staticmethod
    def resolve_links(obj):
        return {
            "sessions": [s.pk for s in obj.api_sessions],
            "pilots": [p.pk for p in obj.api_pilots],
            "projects": [s.pk for s in obj.api_submissions],
        }

    @staticmethod
    def resolve_url(obj):
        return _absolute(obj.get_absolute_url())


def _with_links(qs, user):
    """Prefetch the themes, authors and the links the caller may see into lists (``api_*``):
    one query each, however many items, and no related manager built per item and relation
    (which, at 50 items a page, cost more than the queries)."""
    return qs.prefetch_related(None).prefetch_related(
        Prefetch("themes", to_attr="api_themes"),
        Prefetch("authors", to_attr="api_authors"),
        Prefetch("sessions", queryset=sessions_visible_to(user).only("pk"), to_attr="api_sessions"),
        Prefetch("pilots", queryset=pilots_visible_to(user).only("pk"), to_attr="api_pilots"),
        Prefetch(
            "submissions",
            queryset=submissions_visible_to(user).only("pk"),
            to_attr="api_submissions",
        ),
    )


class KnowledgeFilters(Schema):
    type: Literal["les", "artikel", "model"] | None = None
    theme: Slug | None = None
    programme: DbId | None = None
    pilot: DbId | None = None


@router.get("/knowledge", response=list[KnowledgeOut])
# The same answer for every caller who sees the links a visitor sees; the links' sessions
# are the events area's (a session published or made a draft again bumps it).
@shared_api_cache(
    "knowledge", "events", shared=lambda request: selectors.sees_links_as_visitor(request.user)
)
@paginate(LimitOffsetPagination)
def list_knowledge(request, filters: Query[KnowledgeFilters]):
    """Return the published lessons, articles and models, featured and newest first; filters
    ``type``, ``theme`` (slug), ``programme``, ``pilot``."""
    qs = selectors.item_list(
        user=request.user,
        type=filters.type,
        theme=filters.theme,
        programme=filters.programme,
        pilot=filters.pilot,
    )
    return _with_links(qs, request.user)


@router.get("/knowledge/{item_id}", response=KnowledgeOut)
def get_knowledge(request, item_id: DbId):
    """Return one item (drafts and archived ones only for their authors and the team: 404)."""
    try:
        item = selectors.item_get(user=request.user, pk=item_id)
    except KnowledgeItem.DoesNotExist as exc:
        raise Http404 from exc
    return _with_links(KnowledgeItem.objects.filter(pk=item.pk), request.user).get()


# Questions ------------------------------------------------------------------------------------


class AnswerOut(Schema):
    id: int
    question: int = Field(..., alias="question_id")
    body: str
    html: str
    author: PersonOut | None
    votes: int
    accepted: bool
    created_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_html(obj):
        return render_markdown(obj.body)

    @staticmethod
    def resolve_votes(obj):
        found = getattr(obj, "vote_count", None)
        return found if found is not None else obj.votes.count()

    @staticmethod
    def resolve_accepted(obj):
        return obj.question.accepted_answer_id == obj.pk

    @staticmethod
    def resolve_url(obj):
        return _absolute(obj.get_absolute_url())


class QuestionOut(Schema):
    id: int
    title: str
    body: str
    html: str
    programme: int | None = Field(None, alias="programme_id")
    themes: list[ThemeOut]
    asked_by: PersonOut | None
    created_at: datetime.datetime
    answer_count: int
    accepted_answer: int | None = Field(None, alias="accepted_answer_id")
    url: str

    @staticmethod
    def resolve_html(obj):
        return render_markdown(obj.body)

    @staticmethod
    def resolve_themes(obj):
        return list(obj.themes.all())

    @staticmethod
    def resolve_answer_count(obj):
        found = getattr(obj, "answer_count", None)
        return found if found is not None else obj.answers.count()

    @staticmethod
    def resolve_url(obj):
        return _absolute(obj.get_absolute_url())


class QuestionDetailOut(QuestionOut):
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj):
        return obj.api_answers


class QuestionFilters(Schema):
    theme: Slug | None = None
    programme: DbId | None = None
    unanswered: bool = False


@router.get("/questions", response=list[QuestionOut])
@shared_api_cache("knowledge")  # the same list for every caller (selectors.question_list)
@paginate(LimitOffsetPagination)
def list_questions(request, filters: Query[QuestionFilters]):
    """Return the questions, newest first, with ``answer_count``; filters ``theme`` (slug),
    ``programme``, ``unanswered``."""
    return selectors.question_list(
        theme=filters.theme, programme=filters.programme, unanswered=filters.unanswered
    )


def _question_detail(request, question_id: int) -> Question:
    try:
        question = selectors.question_get(pk=question_id)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    question.answer_count = question.answers.count()
    question.api_answers = selectors.question_answers(question=question, user=request.user)
    for answer in question.api_answers:
        answer.question = question
    return question


@router.get("/questions/{question_id}", response=QuestionDetailOut)
def get_question(request, question_id: DbId):
    """Return one question with its answers (the accepted one first, then by votes)."""
    return _question_detail(request, question_id)


class QuestionIn(Schema):
    title: model_field(Question, "title")
    body: model_field(Question, "body") = ""
    programme: DbId | None = None
    themes: Annotated[list[Slug], Field(max_length=20)] = []


def _themes(slugs: list[str]) -> list[Theme]:
    found = {t.slug: t for t in Theme.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise InvalidInput({"themes": [_("Onbekend thema: %(slug)s") % {"slug": unknown[0]}]})
    return [found[slug] for slug in dict.fromkeys(slugs)]


@router.post("/questions", response={201: QuestionDetailOut})
def create_question(request, payload: QuestionIn):
    """Ask a question (members; the asker follows it); 422 naming the refused field."""
    member = _member(request)
    programme = None
    if payload.programme is not None:
        programme = Programme.objects.filter(pk=payload.programme).first()
        if programme is None:
            raise InvalidInput({"programme": [_("Onbekend programma.")]})
    question = services.question_create(
        actor=member,
        title=payload.title,
        body=payload.body,
        programme=programme,
        themes=_themes(payload.themes),
    )
    return Status(201, _question_detail(request, question.pk))


class AnswerIn(Schema):
    body: model_field(Answer, "body")


def _answer(answer_id: int) -> Answer:
    answer = (
        Answer.objects.select_related("question", "author")
        .annotate(vote_count=Count("votes"))
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise Http404
    return answer


@router.post("/questions/{question_id}/answers", response={201: AnswerOut})
def create_answer(request, question_id: DbId, payload: AnswerIn):
    """Answer a question (members); followers are mailed; 422 naming ``body``."""
    member = _member(request)
    try:
        question = selectors.question_get(pk=question_id)
    except Question.DoesNotExist as exc:
        raise Http404 from exc
    answer = services.answer_create(actor=member, question=question, body=payload.body)
    return Status(201, _answer(answer.pk))


@router.post("/answers/{answer_id}/accept", response=QuestionDetailOut)
def accept_answer(request, answer_id: DbId):
    """Accept an answer (the asker or the programme team: else 403); returns the question."""
    member = _member(request)
    answer = _answer(answer_id)
    services.answer_accept(actor=member, answer=answer)
    return _question_detail(request, answer.question_id)


class VoteOut(Schema):
    id: int
    votes: int


@router.post("/answers/{answer_id}/vote", response=VoteOut)
def vote_answer(request, answer_id: DbId):
    """Vote an answer up: once per member (409 the second time), never one's own (403)."""
    member = _member(request)
    answer = _answer(answer_id)
    votes = services.answer_vote(actor=member, answer=answer)
    return {"id": answer.pk, "votes": votes}

"""What the knowledge app contributes to the search (bouwplaats.search.documents).

Kinds: lessons, articles and models (one kind per type of knowledge item, so the search's
type filter and counts tell them apart), questions and answers. Access mirrors
``permissions.items_visible_to``: a published item is public; a draft or archived one is found
by its authors (``user:<id>``), its programme team (``team:<programme id>``) and administrators
(``staff``). Questions and answers are public. An accepted answer gets ``boost`` 1.5.
"""

import html
from collections.abc import Iterable, Iterator

from django.db.models import Count
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from bouwplaats.core.markdown import render_markdown
from bouwplaats.programmes.permissions import programmes_with_team_member
from bouwplaats.search.documents import PUBLIC, SearchDocument

from .models import Answer, KnowledgeItem, Question

ITEM_KINDS = {
    KnowledgeItem.Type.LESSON: "lesson",
    KnowledgeItem.Type.ARTICLE: "article",
    KnowledgeItem.Type.MODEL: "model",
}
KINDS = {
    "lesson": _("Geleerde les"),
    "article": _("Artikel"),
    "model": _("Model"),
    "question": _("Vraag"),
    "answer": _("Antwoord"),
}
ACCEPTED_BOOST = 1.5


def plain(markdown: str) -> str:
    """Return Markdown ``markdown`` as plain text (rendered, tags stripped, entities decoded)."""
    return html.unescape(strip_tags(render_markdown(markdown or ""))).strip()


def _item_access(item: KnowledgeItem) -> frozenset[str]:
    if item.status == KnowledgeItem.Status.PUBLISHED:
        return frozenset({PUBLIC})
    keys = {"staff"}
    if item.programme_id:
        keys.add(f"team:{item.programme_id}")
    if item.created_by_id:
        keys.add(f"user:{item.created_by_id}")
    keys.update(f"user:{author.pk}" for author in item.authors.all())
    return frozenset(keys)


def _with_themes(body: str, themes) -> str:
    """Return ``body`` followed by the theme names its page shows (one per line)."""
    return "\n".join([body, *(theme.name for theme in themes)]).strip()


def _items(kind: str, ids: list[int] | None) -> Iterator[SearchDocument]:
    item_type = next(t for t, k in ITEM_KINDS.items() if k == kind)
    qs = KnowledgeItem.objects.filter(type=item_type).prefetch_related("themes", "authors")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for item in qs.order_by("pk").iterator(chunk_size=500):
        themes = list(item.themes.all())
        parts = [item.summary, item.context, item.what_happened, item.do_differently,
                 item.evidence, item.body, item.figure_text]  # fmt: skip
        yield SearchDocument(
            kind=kind,
            object_id=item.pk,
            title=item.title,
            body=_with_themes("\n".join(plain(p) for p in parts if p), themes),
            url=item.get_absolute_url(),
            access=_item_access(item),
            updated_at=item.updated_at,
            programme_id=item.programme_id,
            themes=tuple(theme.slug for theme in themes),
            boost=1.2 if item.featured else 1.0,
        )


def _questions(ids: list[int] | None) -> Iterator[SearchDocument]:
    qs = Question.objects.prefetch_related("themes")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for question in qs.order_by("pk").iterator(chunk_size=500):
        themes = list(question.themes.all())
        yield SearchDocument(
            kind="question",
            object_id=question.pk,
            title=question.title,
            body=_with_themes(plain(question.body), themes),
            url=question.get_absolute_url(),
            access=frozenset({PUBLIC}),
            updated_at=question.updated_at,
            programme_id=question.programme_id,
            themes=tuple(theme.slug for theme in themes),
            # An answered question is the better find for the one who searches.
            boost=1.2 if question.accepted_answer_id else 1.0,
        )


def _answers(ids: list[int] | None) -> Iterator[SearchDocument]:
    qs = (
        Answer.objects.select_related("question")
        .prefetch_related("question__themes")
        .annotate(vote_count=Count("votes"))
    )
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    for answer in qs.order_by("pk"):
        question = answer.question
        accepted = question.accepted_answer_id == answer.pk
        themes = list(question.themes.all())
        yield SearchDocument(
            kind="answer",
            object_id=answer.pk,
            title=question.title,
            body=_with_themes(plain(answer.body), themes),
            url=answer.get_absolute_url(),
            access=frozenset({PUBLIC}),
            updated_at=answer.updated_at,
            programme_id=question.programme_id,
            themes=tuple(theme.slug for theme in themes),
            boost=ACCEPTED_BOOST if accepted else 1.0,
        )


def documents(*, kind: str, ids: Iterable[int] | None = None) -> Iterator[SearchDocument]:
    """Yield the documents of ``kind`` (those of ``ids``, or all)."""
    ids = None if ids is None else list(ids)
    if kind in ITEM_KINDS.values():
        return _items(kind, ids)
    return {"question": _questions, "answer": _answers}[kind](ids)


def viewer_keys(user) -> set[str]:
    """Return ``user:<id>``, ``team:<programme id>`` per programme team, ``staff``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_staff:
        return {f"user:{user.pk}", "staff"}
    teams = programmes_with_team_member(user).values_list("pk", flat=True)
    return {f"user:{user.pk}", *(f"team:{pk}" for pk in teams)}


def _item_changed(item: KnowledgeItem) -> list[tuple[str, int]]:
    # Its type may have changed: every item kind is refreshed, the others drop it.
    return [(kind, item.pk) for kind in ITEM_KINDS.values()]


def _question_changed(question: Question) -> list[tuple[str, int]]:
    # The accepted answer's boost and the answers' title and themes come from the question.
    answers = Answer.objects.filter(question_id=question.pk).values_list("pk", flat=True)
    return [("question", question.pk), *(("answer", pk) for pk in answers)]


def _theme_changed(theme) -> list[tuple[str, int]]:
    # A renamed theme changes the text of everything tagged with it.
    items = KnowledgeItem.objects.filter(themes=theme).values_list("pk", flat=True)
    questions = Question.objects.filter(themes=theme).values_list("pk", flat=True)
    answers = Answer.objects.filter(question__themes=theme).values_list("pk", flat=True)
    return [
        *((kind, pk) for pk in items for kind in ITEM_KINDS.values()),
        *(("question", pk) for pk in questions),
        *(("answer", pk) for pk in answers),
    ]


WATCH = {
    "programmes.Theme": _theme_changed,
    "knowledge.KnowledgeItem": _item_changed,
    "knowledge.Question": _question_changed,
    "knowledge.Answer": lambda answer: [("answer", answer.pk), ("question", answer.question_id)],
}

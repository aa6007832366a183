"""Pages of the knowledge base, open questions and the course catalogue: thin, they ask
permissions/selectors and call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bouwplaats.core.errors import DomainError
from bouwplaats.core.page_cache import visitor_page_cache
from bouwplaats.core.pagination import paginate
from bouwplaats.core.validation import BIGINT_MAX
from bouwplaats.projects.models import Pilot

from . import permissions as perms
from . import selectors, services
from .forms import AnswerForm, CurateForm, ItemFilterForm, KnowledgeItemForm, QuestionForm
from .models import Answer, KnowledgeItem, Question

SIMILAR_LIMIT = 5


def _int_param(value) -> int | None:
    """Return a query-string id as int, or None when it is not a plausible id."""
    if value and str(value).isascii() and str(value).isdigit() and 0 < int(value) <= BIGINT_MAX:
        return int(value)
    return None


def _pilot_param(request) -> Pilot | None:
    """Return the pilot named by ``?pilot=`` if the user may see it, else None."""
    pk = _int_param(request.GET.get("pilot"))
    if pk is None:
        return None
    pilot = Pilot.objects.select_related("programme").filter(pk=pk).first()
    if pilot is None or not perms.can_see_pilot(request.user, pilot):
        return None
    return pilot


# Knowledge items ------------------------------------------------------------------------------


@visitor_page_cache("knowledge")
def index(request):
    """List the published knowledge (filters: soort, thema, programma, ``?pilot=``), the newest
    questions, and for the programme team the drafts and the items due for a check."""
    filters = ItemFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    pilot_pk = _int_param(request.GET.get("pilot"))
    pilot = _pilot_param(request)
    items = selectors.item_list(
        user=request.user,
        type=values.get("type") or None,
        theme=values.get("theme") or None,
        programme=_int_param(values.get("programme")),
        pilot=pilot_pk,
    )
    page = paginate(request, items)
    context = {
        "filters": filters,
        "page": page,
        "pilot": pilot,
        "pilot_pk": pilot_pk,
        "questions": list(selectors.question_list()[:5]),
        "may_create": perms.can_create_item(request.user),
    }
    if request.user.is_authenticated:
        context["drafts"] = list(
            selectors.item_list(user=request.user, status=KnowledgeItem.Status.DRAFT)[:20]
        )
        context["due"] = list(selectors.items_due_for_check(user=request.user)[:20])
    return render(request, "knowledge/index.html", context)


def _item(request, pk: int) -> KnowledgeItem:
    try:
        return selectors.item_get(user=request.user, pk=pk)
    except KnowledgeItem.DoesNotExist as exc:
        raise Http404 from exc


# Its "Uit de sessies" links follow the events area: a session published or made a draft.
@visitor_page_cache("knowledge", "events")
def item_detail(request, pk: int):
    """Show a knowledge item with its lesson form, figure, links and related lessons."""
    item = _item(request, pk)
    curate_form = CurateForm(instance=item) if perms.can_curate_item(request.user, item) else None
    return render(
        request,
        "knowledge/item_detail.html",
        {
            "item": item,
            "sessions": selectors.item_sessions(user=request.user, item=item),
            "pilots": selectors.item_pilots(user=request.user, item=item),
            "related": selectors.related_lessons(
                themes=[t.pk for t in item.themes.all()],
                programme_id=item.programme_id,
                exclude=item.pk,
            ),
            "may_edit": perms.can_edit_item(request.user, item),
            "curate_form": curate_form,
        },
    )


def _item_form_page(request, *, item: KnowledgeItem | None, pilot: Pilot | None = None):
    # Whether the team's "publish at once" box is offered; the service checks the programme.
    may_publish = perms.is_on_a_team(request.user)
    initial = {}
    if item is None and pilot is not None:
        initial = {"type": KnowledgeItem.Type.LESSON, "programme": pilot.programme_id,
                   "pilots": [pilot.pk]}  # fmt: skip
    form = KnowledgeItemForm(
        request.POST or None,
        instance=item,
        initial=initial,
        user=request.user,
        may_publish=may_publish and item is None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "summary",
                "body",
                "context",
                "what_happened",
                "do_differently",
                "evidence",
                "check_by",
            )  # fmt: skip
        }
        pilots = list(data["pilots"])
        if pilot is not None and pilot not in pilots:
            pilots.append(pilot)
        try:
            if item is None:
                item = services.knowledge_item_create(
                    actor=request.user,
                    type=data["type"],
                    title=data["title"],
                    programme=data["programme"],
                    themes=data["themes"],
                    sessions=data["sessions"],
                    pilots=pilots,
                    submissions=data["submissions"],
                    publish=data.get("publish", False),
                    **fields,
                )
                message = (
                    _("Het kennisitem is gepubliceerd.")
                    if item.status == KnowledgeItem.Status.PUBLISHED
                    else _("Opgeslagen als concept; het programmateam publiceert het.")
                )
            else:
                item = services.knowledge_item_update(
                    actor=request.user,
                    item=item,
                    type=data["type"],
                    title=data["title"],
                    programme=data["programme"],
                    themes=data["themes"],
                    sessions=data["sessions"],
                    pilots=pilots,
                    submissions=data["submissions"],
                    **fields,
                )
                message = _("Het kennisitem is bijgewerkt.")
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, message)
            return redirect(item)
    return render(request, "knowledge/item_form.html", {"form": form, "item": item, "pilot": pilot})


@login_required
def item_create(request):
    """Write a lesson, article or model (a draft unless the programme team publishes it)."""
    if not perms.can_create_item(request.user):
        raise PermissionDenied
    return _item_form_page(request, item=None)


@login_required
def lesson_create(request):
    """Record a lesson in the fixed form; ``?pilot=<id>`` links it to that pilot (its team or
    the programme team only)."""
    pilot = None
    if request.GET.get("pilot"):
        pilot = _pilot_param(request)
        if pilot is None:
            raise Http404
        if not perms.can_write_pilot_lesson(request.user, pilot):
            raise PermissionDenied(
                _("Alleen het team van de pilot of het programmateam legt lessen ervan vast.")
            )
    return _item_form_page(request, item=None, pilot=pilot)


@login_required
def item_edit(request, pk: int):
    """Change a knowledge item: its authors and the programme team."""
    item = _item(request, pk)
    if not perms.can_edit_item(request.user, item):
        raise PermissionDenied
    return _item_form_page(request, item=item)


@login_required
@require_POST
def item_curate(request, pk: int):
    """Publish, archive, feature and date a check: the programme team."""
    item = _item(request, pk)
    if not perms.can_curate_item(request.user, item):
        raise PermissionDenied
    form = CurateForm(request.POST, instance=KnowledgeItem.objects.get(pk=item.pk))
    if form.is_valid():
        try:
            services.knowledge_item_curate(
                actor=request.user,
                item=item,
                status=form.cleaned_data["status"],
                featured=form.cleaned_data["featured"],
                check_by=form.cleaned_data["check_by"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De instellingen van het kennisitem zijn opgeslagen."))
            return redirect(item)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(item)


# Questions ------------------------------------------------------------------------------------


def question_list(request):
    """List the open questions, newest first; ``?onbeantwoord=1`` only those without answer;
    filters thema and programma (a refused value is ignored)."""
    unanswered = request.GET.get("onbeantwoord") == "1"
    filters = ItemFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    questions = selectors.question_list(
        unanswered=unanswered,
        theme=values.get("theme") or None,
        programme=_int_param(values.get("programme")),
    )
    return render(
        request,
        "knowledge/question_list.html",
        {
            "page": paginate(request, questions),
            "unanswered": unanswered,
            "filters": filters,
            "may_ask": perms.can_ask(request.user),
        },
    )


@login_required
def question_create(request):
    """Ask a question; while typing, likely duplicates appear beside it (htmx)."""
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                programme=form.cleaned_data["programme"],
                themes=form.cleaned_data["themes"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Uw vraag staat online. U volgt haar: nieuwe antwoorden krijgt u per mail."),
            )
            return redirect(question)
    similar = _similar(request, form.data.get("title", "")) if form.is_bound else []
    return render(request, "knowledge/question_form.html", {"form": form, "question": None,
                                                           "similar": similar})  # fmt: skip


def _question(pk: int) -> Question:
    try:
        return selectors.question_get(pk=pk)
    except Question.DoesNotExist as exc:
        raise Http404 from exc


def _question_page(request, question: Question, *, answer_form=None, status=200):
    user = request.user
    return render(
        request,
        "knowledge/question_detail.html",
        {
            "question": question,
            "answers": selectors.question_answers(question=question, user=user),
            "answer_form": answer_form
            or (AnswerForm() if perms.can_answer(user, question) else None),
            "may_accept": perms.can_accept(user, question),
            "may_promote": perms.is_on_a_team(user)
            and perms.can_promote_answer(user, Answer(question=question)),
            "may_edit": perms.can_edit_question(user, question),
            "following": selectors.is_following(question=question, user=user),
            "may_follow": perms.can_follow(user, question),
            "experts": selectors.who_knows(question=question),
            "related": selectors.related_lessons(
                themes=[t.pk for t in question.themes.all()], programme_id=question.programme_id
            ),
        },
        status=status,
    )


def question_detail(request, pk: int):
    """Show a question with its answers (accepted first), votes, "Wie weet dit?" and lessons."""
    return _question_page(request, _question(pk))


@login_required
def question_edit(request, pk: int):
    """Change a question: the asker or the programme team."""
    question = _question(pk)
    if not perms.can_edit_question(request.user, question):
        raise PermissionDenied
    form = QuestionForm(request.POST or None, instance=Question.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=request.user,
                question=question,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                programme=form.cleaned_data["programme"],
                themes=form.cleaned_data["themes"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Uw vraag is bijgewerkt."))
            return redirect(question)
    return render(request, "knowledge/question_form.html", {"form": form, "question": question,
                                                           "similar": []})  # fmt: skip


@login_required
@require_POST
def answer_create(request, pk: int):
    """Answer a question; a refused answer shows the question page with the error (200)."""
    question = _question(pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_create(
                actor=request.user, question=question, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _(
                    "Uw antwoord staat online. U volgt deze vraag nu: nieuwe antwoorden krijgt "
                    "u per mail."
                ),
            )
            return redirect(answer.get_absolute_url())
    return _question_page(request, question, answer_form=form)


def _answer(pk: int) -> Answer:
    answer = Answer.objects.select_related("question").filter(pk=pk).first()
    if answer is None:
        raise Http404
    return answer


@login_required
def answer_edit(request, pk: int):
    """Change an answer: its author."""
    answer = _answer(pk)
    if not perms.can_edit_answer(request.user, answer):
        raise PermissionDenied
    form = AnswerForm(request.POST or None, instance=Answer.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_update(
                actor=request.user, answer=answer, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Uw antwoord is bijgewerkt."))
            return redirect(answer.get_absolute_url())
    return render(request, "knowledge/answer_form.html", {"form": form, "answer": answer})


@login_required
@require_POST
def answer_accept(request, pk: int):
    """Accept an answer (or, with ``intrekken``, withdraw the acceptance): asker or team."""
    answer = _answer(pk)
    if not perms.can_accept(request.user, answer.question):
        raise PermissionDenied
    try:
        if "intrekken" in request.POST:
            services.answer_unaccept(actor=request.user, question=answer.question)
            messages.success(request, _("Het antwoord is niet langer geaccepteerd."))
        else:
            services.answer_accept(actor=request.user, answer=answer)
            messages.success(request, _("Het antwoord is geaccepteerd."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def answer_promote(request, pk: int):
    """Turn an answer into a draft article and open it for editing: the programme team."""
    answer = _answer(pk)
    if not perms.can_promote_answer(request.user, answer):
        raise PermissionDenied
    item = services.answer_promote(actor=request.user, answer=answer)
    messages.success(request, _("Het antwoord staat als concept-artikel klaar; vul het aan."))
    return redirect("knowledge:item_edit", pk=item.pk)


@login_required
@require_POST
def answer_vote(request, pk: int):
    """Vote an answer up (once per member, not one's own)."""
    answer = _answer(pk)
    try:
        services.answer_vote(actor=request.user, answer=answer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uw stem is geteld."))
    return redirect(answer.get_absolute_url())


@login_required
@require_POST
def question_follow(request, pk: int):
    """Follow a question (``volgen=0``: stop following)."""
    question = _question(pk)
    follow = request.POST.get("volgen", "1") != "0"
    try:
        services.question_follow(actor=request.user, question=question, follow=follow)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("U volgt deze vraag: nieuwe antwoorden krijgt u per mail.")
            if follow
            else _("U volgt deze vraag niet meer."),
        )
    return redirect(question)


def _similar(request, text: str) -> list:
    """Return up to SIMILAR_LIMIT questions like ``text`` (the search's Dutch matching)."""
    text = (text or "").strip()[:300]
    if len(text) < 3:
        return []
    try:
        from bouwplaats.search.selectors import search_similar
    except ImportError:
        return []
    return list(
        search_similar(user=request.user, text=text, kinds=("question",), limit=SIMILAR_LIMIT)
    )


@require_GET
def question_similar(request):
    """Return the list of likely duplicates of ``?title=`` (htmx, while typing a question)."""
    similar = _similar(request, request.GET.get("title", ""))
    return render(request, "knowledge/_similar.html", {"similar": similar})


# Courses --------------------------------------------------------------------------------------


def courses(request):
    """The education offer (seed 002): upcoming sessions of type cursus and training offers."""
    return render(
        request,
        "knowledge/courses.html",
        {
            "sessions": list(selectors.course_sessions(user=request.user)),
            "offers": list(selectors.training_offers()),
        },
    )

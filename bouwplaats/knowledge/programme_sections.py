"""The programme page's block of its knowledge and open questions (hook, see
programmes.sections): lessons come back where the programme's work happens."""

from bouwplaats.programmes.sections import Section

from . import selectors

SHOWN = 5


def sections(*, programme, user) -> list[Section]:
    """Return one section: the programme's newest published knowledge and open questions."""
    items = list(selectors.item_list(user=user, programme=programme.pk)[:SHOWN])
    questions = list(selectors.question_list(programme=programme.pk)[:SHOWN])
    return [
        Section(
            template="knowledge/_programme_knowledge.html",
            context={"programme": programme, "items": items, "questions": questions},
            order=30,
        )
    ]

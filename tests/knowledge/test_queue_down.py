"""With the task queue (Redis) unreachable, an answer still stands."""

from bouwplaats.knowledge import services
from bouwplaats.knowledge.models import Answer


def test_an_answer_is_stored_and_the_failed_enqueue_is_logged(
    asker, answerer, programme, queue_down, caplog, django_capture_on_commit_callbacks
):
    question = services.question_create(actor=asker, title="Wie kent de regeling?",
                                        programme=programme)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = services.answer_create(actor=answerer, question=question, body="BZK kent haar.")
    assert callbacks, "the mail task is queued after commit"
    assert Answer.objects.filter(pk=answer.pk).exists()
    assert "not queued" in caplog.text

"""Background work of the knowledge app: each task takes primary keys and calls mails.py.

The services enqueue these after their transaction commits.
"""

from django_tasks import task

from . import mails


@task()
def send_new_answer_mail(answer_id: int) -> None:
    """Mail the question's followers (not the answer's author) about answer ``answer_id``."""
    mails.send_new_answer_mail(answer_id)

"""Background work of the knowledge app: each task takes primary keys and calls mails.py.

The services enqueue these after their transaction commits.
"""

from django_tasks import task

from bouwplaats.core.background import owe_each

from . import mails


@task()
def send_new_answer_mail(answer_id: int) -> None:
    """Owe one mail per follower of the question (not the answer's author) about answer
    ``answer_id`` (core.background.owe_each: a crash re-mails nobody twice)."""
    followers = mails.new_answer_followers(answer_id)
    owe_each((mail_new_answer_to, (answer_id, pk)) for pk in followers)


@task()
def mail_new_answer_to(answer_id: int, follower_id: int) -> None:
    """Mail follower ``follower_id`` about answer ``answer_id``."""
    mails.send_new_answer_to(answer_id, follower_id)


@task()
def send_answer_accepted_mail(answer_id: int) -> None:
    """Mail the author of answer ``answer_id`` that it was accepted."""
    mails.send_answer_accepted(answer_id)

"""Background work for submissions: each task takes primary keys and calls mails.py.

The services enqueue these after their transaction commits.
"""

from django_tasks import task

from . import mails


@task()
def send_step_mail(step_id: int) -> None:
    """Mail the submitter about one review step (SubmissionStep id)."""
    mails.send_step_mail(step_id)

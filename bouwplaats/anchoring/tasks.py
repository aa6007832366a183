"""Background work of verankering: each task takes primary keys and calls mails.py.

The services enqueue these after their transaction commits.
"""

from django_tasks import task

from . import mails


@task()
def send_writer_mail(koffertje_id: int, user_id: int) -> None:
    """Mail a member named as writer of a koffertje (Koffertje id, User id)."""
    mails.send_writer_mail(koffertje_id, user_id)

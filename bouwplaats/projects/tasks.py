"""Background work for submissions: each task takes primary keys and calls mails.py.

The services enqueue these after their transaction commits.
"""

from django_tasks import task

from . import mails, reminders


@task()
def send_step_mail(step_id: int) -> None:
    """Mail the submitter about one review step (SubmissionStep id)."""
    mails.send_step_mail(step_id)


@task()
def send_support_request_mail(request_id: int) -> None:
    """Mail the programme team about a new support request (SupportRequest id)."""
    mails.send_support_request_mail(request_id)


@task()
def send_support_answer_mail(request_id: int) -> None:
    """Mail the pilot team member who asked about the answer (SupportRequest id)."""
    mails.send_support_answer_mail(request_id)


@task()
def remind_pilot_report(pilot_id: int) -> None:
    """Remind the pilot's team that its progress report is due (at most once a week)."""
    reminders.pilot_report_remind(pilot_id=pilot_id)

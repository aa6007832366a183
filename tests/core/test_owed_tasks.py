"""The outbox of core.background: a task owed until it ran, queued again by the timer, run
once per job taken, run again after a runner died (at most one duplicate per crash)."""

import datetime

import pytest
from django.core import mail
from django.core.management.base import CommandError
from django.utils import timezone

from bouwplaats.accounts import mails as account_mails
from bouwplaats.accounts import services
from bouwplaats.accounts import tasks as account_tasks
from bouwplaats.core.background import enqueue_owed_on_commit, run_owed
from bouwplaats.core.models import OwedTask
from tests.factories import OrganisationFactory, UserFactory
from tests.owed_work import queue_back, requeue

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def membership(settings, django_capture_on_commit_callbacks):
    """A membership request of Sanne whose mail to the staff member is queued, not yet run."""
    settings.TASKS = DUMMY  # queued; no worker ran it yet
    UserFactory(email="beheer@bouwplaats.nl", is_staff=True)
    user = UserFactory(email="sanne@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.membership_request(
            user=user, organisation=OrganisationFactory(name="Gemeente Deventer")
        )
    mail.outbox.clear()
    return membership


def _past(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def test_the_owed_task_is_on_record_until_its_job_ran_and_two_jobs_run_it_once(membership):
    [owed] = OwedTask.objects.all()
    assert owed.task == "bouwplaats.accounts.tasks.mail_membership_requested"
    assert owed.args == [membership.pk]
    assert run_owed(owed.pk) is True
    assert run_owed(owed.pk) is False  # the timer's second job finds it done
    assert len(mail.outbox) == 1
    assert not OwedTask.objects.exists()


def test_a_queued_task_is_not_queued_again_before_its_job_had_time_to_run(membership, settings):
    queue_back(settings)
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()
    OwedTask.objects.update(due_at=_past(seconds=1))  # its job was lost with a worker
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    assert len(mail.outbox) == 1
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()


def test_a_runner_killed_mid_task_leaves_it_owed_for_one_run_more(
    membership, settings, monkeypatch
):
    send = account_mails.send_membership_requested

    def send_then_die(found):
        send(found)
        raise SystemExit  # the worker killed after the mail went, before the row was cleared

    monkeypatch.setattr(account_mails, "send_membership_requested", send_then_die)
    [owed] = OwedTask.objects.all()
    with pytest.raises(SystemExit):
        run_owed(owed.pk)
    monkeypatch.setattr(account_mails, "send_membership_requested", send)
    queue_back(settings)
    assert "Opnieuw in de wachtrij: 0 taken" in requeue(), "not while its lease runs"
    assert run_owed(owed.pk) is False, "nor by a second job while its lease runs"
    OwedTask.objects.update(leased_until=_past(seconds=1), due_at=_past(seconds=1))
    assert "Opnieuw in de wachtrij: 1 taak" in requeue()
    assert len(mail.outbox) == 2, "one duplicate for the one crash"
    assert not OwedTask.objects.exists()
    assert "Opnieuw in de wachtrij: 0 taken" in requeue()


def test_a_failing_task_is_tried_a_few_times_then_left_on_record(
    membership, settings, monkeypatch, caplog
):
    def refuse(found):
        raise ConnectionError("mail server away")

    monkeypatch.setattr(account_mails, "send_membership_requested", refuse)
    settings.OWED_TASK_MAX_ATTEMPTS = 3
    queue_back(settings)
    for _attempt in range(4):
        OwedTask.objects.update(leased_until=_past(seconds=1), due_at=_past(seconds=1))
        requeue()
    owed = OwedTask.objects.get()
    assert owed.attempts == 3
    assert "failed 3 times" in caplog.text


def test_the_timer_says_so_while_the_queue_is_down_and_keeps_the_record(
    queue_down, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sanne@voorbeeld.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_request(user=user, organisation=OrganisationFactory(name="Ede"))
    owed = OwedTask.objects.get()
    assert owed.due_at <= timezone.now(), "owed at once after the failed enqueue"
    with pytest.raises(CommandError, match="bouwplaats.core"):
        requeue()
    assert OwedTask.objects.get().due_at == owed.due_at


def test_deferred_tasks_and_arguments_that_are_no_json_are_refused(membership):
    later = account_tasks.mail_membership_decided.using(run_after=timezone.now())
    with pytest.raises(ValueError):
        enqueue_owed_on_commit(later, membership.pk)
    with pytest.raises(TypeError):
        enqueue_owed_on_commit(account_tasks.mail_membership_decided, membership)


def test_administrators_see_the_owed_tasks_and_cannot_change_them(client, admin_user, membership):
    client.force_login(admin_user)
    page = client.get("/beheer/core/owedtask/")
    assert page.status_code == 200
    assert "bouwplaats.accounts.tasks.mail_membership_requested" in page.content.decode()
    owed = OwedTask.objects.get()
    assert client.post(f"/beheer/core/owedtask/{owed.pk}/change/", {"task": "x"}).status_code == 403

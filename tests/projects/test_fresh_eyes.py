"""Stumbles of a fresh-eyes walk of the calls: every review step leaves an audit entry."""

import pytest

from bouwplaats.core.audit import action_label
from bouwplaats.core.models import AuditEntry
from bouwplaats.projects import services

pytestmark = pytest.mark.django_db


def test_each_review_step_is_in_the_audit_log_with_its_reason(team, submission):
    for status, reason in (("in_behandeling", "Volledig"), ("toegelaten", "Past goed")):
        services.submission_set_status(
            actor=team, submission=submission, status=status, reason=reason
        )
    entries = AuditEntry.objects.filter(
        object_type="projects.submission", object_id=str(submission.pk)
    ).order_by("pk")
    steps = [(e.action, e.actor_id, e.data.get("reason")) for e in entries]
    assert ("projects.submission.in_review", team.pk, "Volledig") in steps
    assert ("projects.submission.admitted", team.pk, "Past goed") in steps
    assert str(action_label("projects.submission.admitted")) == (
        "Aanmelding voor een oproep toegelaten (Oproepen)"
    )


def test_a_held_decision_is_logged_when_it_is_sent(team, submission, call):
    services.submission_set_status(
        actor=team, submission=submission, status="in_behandeling", reason="Volledig"
    )
    services.decision_hold(actor=team, submission=submission, status="afgewezen", reason="Te laat")
    assert not AuditEntry.objects.filter(action="projects.submission.declined").exists()
    services.decisions_send(actor=team, call=call)
    entry = AuditEntry.objects.get(action="projects.submission.declined")
    assert entry.data["reason"] == "Te laat"

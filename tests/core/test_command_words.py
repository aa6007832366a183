"""Management commands answer operators in Dutch, counts with the right singular or plural
(ngettext), refusals too (CommandError)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def output(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "knowledge_digest",
            "0 overzichten van open vragen gemaild, "
            "0 herinneringen om een antwoord te accepteren verstuurd.",
        ),
        ("send_space_digests", "0 overzichten gemaild."),
        ("send_host_digests", "0 overzichten gemaild."),
        ("planning_reminders", "0 herinneringen verstuurd."),
        ("pilot_report_reminders", "0 herinneringen verstuurd."),
        ("planning_rebuild_pairs", "0 combinaties, 0 conflicten opgeslagen."),
        ("newsletter_deliver", "Verzonden of hervat: geen"),
        ("requeue_owed_work", "Opnieuw in de wachtrij: 0 taken"),
    ],
)
def test_a_job_with_nothing_to_do_says_so_in_dutch(command, expected):
    assert output(command) == expected


def test_the_daily_jobs_speak_dutch_one_line_each():
    lines = output("run_daily_jobs", "--once").splitlines()
    assert len(lines) == 5
    for english in ("mail(s)", "sent", "reminder", "digest"):
        assert all(english not in line for line in lines), english


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (("load_volume", "--scale", "20"), "--scale moet tussen 0 en 10 liggen."),
        (("search_rebuild", "kastelen"), "Onbekende soorten: kastelen (bekend: "),
        (("run_daily_jobs", "--at", "ochtend"), "--at 'ochtend' is geen tijdstip (UU:MM)."),
        (
            ("create_api_token", "niemand@example.nl"),
            "Geen lid met e-mailadres niemand@example.nl (gebruik --create-user).",
        ),
        (("create_api_token", "geen adres"), "Ongeldig e-mailadres 'geen adres': "),
    ],
)
def test_refusals_are_dutch(args, refusal):
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO())
    assert str(refused.value).startswith(refusal)

"""Selects name their empty option in words; every form page has the same error summary."""

import pytest
from django.urls import reverse

from bouwplaats.projects.forms import EvaluationForm, ReportForm, SupportRequestForm
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("events:create", "Kies een programma"),
        ("events:create", "Kies een soort"),
        ("knowledge:question_create", "Geen programma"),
    ],
)
def test_organise_and_ask_forms_name_the_empty_choice(client, url, label):
    ProgrammeFactory()
    client.force_login(UserFactory())
    page = client.get(reverse(url)).text
    assert f'<option value="" selected>{label}</option>' in page
    assert "---------" not in page


@pytest.mark.parametrize(
    ("form_class", "field", "label"),
    [
        (ReportForm, "status", "Kies een status"),
        (SupportRequestForm, "kind", "Kies een soort hulp"),
        (EvaluationForm, "outcome", "Kies een uitkomst"),
    ],
)
def test_pilot_forms_name_the_empty_choice(form_class, field, label):
    html = str(form_class()[field])
    assert f">{label}</option>" in html
    assert "---------" not in html


def test_new_call_form_shows_the_error_summary_first(client):
    programme = ProgrammeFactory()
    team = MembershipFactory(programme=programme).user
    client.force_login(team)
    response = client.post(reverse("projects:call_create"), {"programme": programme.pk})
    page = response.content.decode()
    assert 'class="bp-error-summary"' in page
    assert "data-error-summary" in page
    summary = page[
        page.index("bp-error-summary") : page.index("</div>", page.index("bp-error-summary"))
    ]
    assert 'href="#id_title"' in summary

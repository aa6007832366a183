"""The review form's score fields are not marked "(niet verplicht)": the service needs each."""

import pytest
from django.template.loader import render_to_string

from bouwplaats.projects import services
from bouwplaats.projects.forms import ReviewForm

pytestmark = pytest.mark.django_db


def test_score_fields_are_not_marked_optional(submission, call, team):
    services.call_set_reviewers(call=call, reviewers=[team])
    html = render_to_string("includes/form.html", {"form": ReviewForm(submission=submission)})
    criteria = list(call.criteria.all())
    assert criteria
    for criterion in criteria:
        label = html.split(f'for="id_score_{criterion.pk}">', 1)[1].split("</label>", 1)[0]
        assert "niet verplicht" not in label, label
    # The note stays optional and says so.
    note = html.split('for="id_note">', 1)[1].split("</label>", 1)[0]
    assert "niet verplicht" in note

"""Faults a new user met walking the session pages (issue 15's walk), each with its kind."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bouwplaats.core.errors import InvalidInput
from bouwplaats.events import services
from bouwplaats.events.forms import SessionForm
from bouwplaats.events.models import Session, SessionPart, validate_part_time
from tests.events.test_validation import api_data, form_data, stored
from tests.factories import RegistrationFactory, SessionFactory, UserFactory
from tests.refusals import api_fields, page_fields

# --- 1. A part's time is a real time of day (or a span of two) --------------------------------

GOOD_TIMES = ["", "13:45", "9.30", "9:30 uur", "12:45 - 15:30u", "12:45–15:30", "0:00"]
BAD_TIMES = ["25:99", "24:00", "13:60", "morgen", "14:00 - 13:00", "13:45 - 25:00", "1345"]


@pytest.mark.parametrize("value", GOOD_TIMES)
def test_part_time_accepts_times_of_day_and_spans(value):
    validate_part_time(value)


@pytest.mark.parametrize("value", BAD_TIMES)
def test_part_time_refuses_what_no_clock_shows(value):
    with pytest.raises(ValidationError):
        validate_part_time(value)


@pytest.mark.parametrize("url", ["create", "edit"])
def test_page_refuses_part_time_25_99_beside_the_parts(client, programme, url):
    session = SessionFactory(programme=programme, capacity=10)
    client.force_login(session.host)
    before = stored()
    args = [session.pk] if url == "edit" else []
    path = reverse(f"events:{url}", args=args)
    data = form_data(programme, {"title": session.title, "parts": "Deel 1 | 25:99 | tekst"})
    response = client.post(path, data)
    assert response.status_code == 200
    assert "parts" in page_fields(response.text)
    assert "Onderdeel 1, tijd: Geef een tijd als 13:45" in response.text
    assert stored() == before
    assert not SessionPart.objects.filter(time="25:99").exists()


def test_api_refuses_part_time_25_99_naming_parts(api, member, programme):
    before = stored()
    data = api_data(programme, {"parts": [{"title": "Deel 1", "time": "25:99"}]})
    response = api(member).post("/sessions", data)
    assert response.status_code == 422, response.json()
    assert "parts" in api_fields(response)
    session = SessionFactory(programme=programme)
    response = api(session.host).patch(
        f"/sessions/{session.pk}", {"parts": [{"title": "Deel 1", "time": "12:00 - 11:00"}]}
    )
    assert response.status_code == 422, response.json()
    assert "parts" in api_fields(response)
    assert stored() == (before[0] + 1, *before[1:])


def test_every_refused_part_is_named_at_once(client, member, programme):
    client.force_login(member)
    parts = "Deel 1 | 25:99\nDeel 2 | 13:00\nDeel 3 | later"
    response = client.post(reverse("events:create"), form_data(programme, {"parts": parts}))
    errors = response.context["form"].errors["parts"]
    assert any(e.startswith("Onderdeel 1, tijd") for e in errors), errors
    assert any(e.startswith("Onderdeel 3, tijd") for e in errors), errors


# --- 2. Every error of the form on the first submit --------------------------------------------


def test_session_form_shows_every_error_on_the_first_submit(client, member, programme):
    # The walk: a bad co-host address, no location, an end before the start and a bad part time
    # came back one per submit.
    client.force_login(member)
    bad = {
        "cohost_emails": "geen-adres",
        "location": "",
        "end_time": "12:00",
        "parts": "Deel 1 | 25:99",
    }
    response = client.post(reverse("events:create"), form_data(programme, bad))
    assert response.status_code == 200
    assert {"cohost_emails", "location", "end_time", "parts"} <= page_fields(response.text)
    assert not Session.objects.exists()


def test_session_form_shows_model_rules_beside_a_missing_field(client, member, programme):
    # A required field left empty does not hide the rules between the other fields.
    client.force_login(member)
    response = client.post(
        reverse("events:create"), form_data(programme, {"title": "", "location": ""})
    )
    assert {"title", "location"} <= page_fields(response.text)


def test_service_names_every_refused_field_in_one_invalid_input(member, programme):
    start = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(InvalidInput) as refused:
        services.session_create(
            actor=member,
            programme=programme,
            type="webinar",
            title="MIRT light webinar",
            start=start,
            end=start - datetime.timedelta(hours=1),
            location="",
            parts=[{"title": "Deel 1", "time": "25:99"}],
            cohost_emails=["geen-adres"],
        )
    assert {"end", "location", "parts", "cohost_emails"} <= set(refused.value.errors)
    assert not Session.objects.exists()


def test_service_update_names_every_refused_field(programme):
    session = SessionFactory(programme=programme)
    with pytest.raises(InvalidInput) as refused:
        services.session_update(
            session=session,
            actor=session.host,
            location="",
            parts=[{"title": "Deel 1", "time": "25:99"}],
            cohost_emails=["geen-adres"],
        )
    assert {"location", "parts", "cohost_emails"} <= set(refused.value.errors)


# --- 3. A field required unless another is set says so -----------------------------------------


def _label(html: str, name: str) -> str:
    return html.split(f'for="id_{name}">', 1)[1].split("</label>", 1)[0]


@pytest.mark.parametrize("url", ["create", "edit"])
def test_location_label_says_required_unless_online(client, programme, url):
    session = SessionFactory(programme=programme)
    client.force_login(session.host)
    args = [session.pk] if url == "edit" else []
    html = client.get(reverse(f"events:{url}", args=args)).text
    label = _label(html, "location")
    assert "verplicht, tenzij de sessie online is" in label
    assert "niet verplicht" not in label
    # A truly optional field keeps its marker.
    assert "niet verplicht" in _label(html, "capacity")


# --- 4. A refused answer is shown beside its question, the answers kept -----------------------

QUESTIONS = ["Wat is uw ervaring met verankering?", "Wat wilt u leren?"]


@pytest.mark.parametrize(
    "bad", ["a" * 10_000, "Verankering\x00 in Brabant", "bel\x07"], ids=["long", "NUL", "bell"]
)
def test_refused_answer_shows_the_form_again_with_answers_kept(client, member, session, bad):
    session.questions = QUESTIONS
    session.save()
    client.force_login(member)
    kept = "Eerst ná 2017 — in Brabant"
    response = client.post(reverse("events:register", args=[session.pk]), {"q0": bad, "q1": kept})
    assert response.status_code == 422
    assert page_fields(response.text) == {"q0"}
    assert kept in response.text
    assert not session.registrations.exists()


def test_api_refuses_a_long_answer_naming_its_question(api, member, session):
    session.questions = QUESTIONS
    session.save()
    body = {"answers": {QUESTIONS[1]: "a" * 1001}}
    response = api(member).post(f"/sessions/{session.pk}/registrations", body)
    assert response.status_code == 422, response.json()
    assert api_fields(response) == {"q1"}
    # A NUL byte, which PostgreSQL's jsonb refuses, is refused naming the question too.
    body = {"answers": {QUESTIONS[0]: "Utre\x00cht"}}
    response = api(member).post(f"/sessions/{session.pk}/registrations", body)
    assert response.status_code == 422, response.json()
    assert api_fields(response) == {"q0"}
    assert not session.registrations.exists()
    body = {"answers": {QUESTIONS[1]: "a" * 1000}}
    assert api(member).post(f"/sessions/{session.pk}/registrations", body).status_code == 201


# --- 5. Counts in words: one is singular ---------------------------------------------------------


def test_edit_message_for_one_registered_participant_is_singular(client, programme):
    session = SessionFactory(programme=programme)
    RegistrationFactory(session=session)
    client.force_login(session.host)
    data = {**SessionForm.initial_from(session), "location": "Amersfoort"}
    data = {k: v for k, v in data.items() if k not in ("start", "end")}
    data["programme"], data["themes"] = programme.pk, []
    data["start_date"] = data["start_date"].isoformat()
    data["end_date"] = data["end_date"].isoformat()
    data["start_time"] = data["start_time"].strftime("%H:%M")
    data["end_time"] = data["end_time"].strftime("%H:%M")
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(reverse("events:edit", args=[session.pk]), data, follow=True)
    assert "De aangemelde deelnemer (of wie op de wachtlijst staat) krijgt bericht" in (
        response.text
    )
    assert "De 1 aangemelde deelnemers" not in response.text


def test_giving_up_the_one_seat_says_one_place(client, member, programme):
    session = SessionFactory(programme=programme, capacity=1)
    RegistrationFactory(session=session, member=member)
    client.force_login(member)
    response = client.get(reverse("events:unregister", args=[session.pk]))
    assert "Deze sessie heeft 1 plaats." in response.text
    assert "1 plaatsen" not in response.text


def test_error_summary_counts_the_messages_it_lists(client, member, programme):
    # Two refused parts (two messages beside one field) and no location: three listed.
    client.force_login(member)
    data = form_data(programme, {"parts": "Deel 1 | 25:99\nDeel 2 | 26:00", "location": ""})
    response = client.post(reverse("events:create"), data)
    summary = response.text.split('class="bp-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    assert summary.count("<li>") == 3
    assert "Er zijn 3 problemen" in response.text


def test_avg_rows_left_out_say_one_row():
    html = render_to_string(
        "core/_avg_sections.html",
        {"sections": [{"key": "k", "level": 2, "title": "T", "rows": [["a"]], "more": 1}]},
    )
    assert "En nog 1 regel:" in html


# --- 6. Small texts -----------------------------------------------------------------------------


def test_404_page_speaks_of_any_page(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Misschien is zij verplaatst of verwijderd" in response.text
    assert "sessie" not in response.text.split("<main", 1)[-1].split("</main>", 1)[0]


def _invitation_mail(session, email, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.cohost_invite(session=session, actor=session.host, emails=[email])
    [mail] = [m for m in mailoutbox if email in m.to]
    return mail.body


def test_cohost_invitation_greets_by_name_or_as_colleague(
    programme, mailoutbox, django_capture_on_commit_callbacks
):
    session = SessionFactory(programme=programme, status="draft")
    UserFactory(full_name="Jan Pluim", email="jan.pluim@deventer.nl")
    UserFactory(full_name="Niet Geverifieerd", email="ander@losser.nl")
    # An address nobody has verified may belong to someone else: no name.
    EmailAddress.objects.filter(email="ander@losser.nl").update(verified=False)
    body = _invitation_mail(
        session, "jan.pluim@deventer.nl", mailoutbox, django_capture_on_commit_callbacks
    )
    assert body.startswith("Beste Jan Pluim,\n")
    body = _invitation_mail(
        session, "ander@losser.nl", mailoutbox, django_capture_on_commit_callbacks
    )
    assert body.startswith("Beste collega,\n")
    body = _invitation_mail(session, "nieuw@ede.nl", mailoutbox, django_capture_on_commit_callbacks)
    assert body.startswith("Beste collega,\n")


def test_session_page_reads_as_dutch(client, member, programme):
    session = SessionFactory(
        programme=programme,
        type="leerplatformsessie",
        online=True,
        online_url="https://meet.example.nl/mirt",
    )
    client.force_login(member)
    html = client.get(session.get_absolute_url()).text
    assert "Over deze leerplatformsessie" in html
    assert "Aangemelde deelnemers zien hier de link." in html
    assert "Leerplatformsessie-info" not in html and "De link zien" not in html

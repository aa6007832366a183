import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar

from bouwplaats.core.models import AuditEntry
from bouwplaats.events import mails
from bouwplaats.events.models import Registration, Session, SessionChange
from tests.factories import (
    MembershipFactory,
    RegistrationFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)

S = Registration.Status


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_list_shows_upcoming_with_pinned_queries(client, programme, django_assert_num_queries):
    theme = ThemeFactory(name="Verankering", slug="verankering")
    for i in range(15):
        session = SessionFactory(programme=programme, title=f"Sessie {i}", capacity=10)
        session.themes.add(theme)
        RegistrationFactory.create_batch(2, session=session)
        SessionChange.objects.create(session=session, field="location", old="a", new="b")
    SessionFactory(title="Concept", status="draft")
    # count, page, themes, programmes, types none, theme options, session/auth none for visitor
    with django_assert_num_queries(5):
        response = client.get(reverse("events:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="bp-card"') == 12
    assert "2 van 10 plaatsen bezet" in body
    assert "Concept" not in body
    assert "15 sessies" in body


def test_list_filters_and_past(client, programme):
    start = timezone.now() - datetime.timedelta(days=30)
    SessionFactory(title="Door ná 2017", start=start, end=start + datetime.timedelta(hours=2))
    SessionFactory(title="MIRT light webinar", type="webinar", programme=programme)
    SessionFactory(title="M.e.r. cursus", type="cursus")
    past = client.get(reverse("events:list"), {"wanneer": "voorbij"}).content.decode()
    assert "Door ná 2017" in past and "MIRT light" not in past
    old = Session.objects.get(title="Door ná 2017")
    assert "Ja, ik praat mee" not in client.get(old.get_absolute_url()).text
    webinars = client.get(reverse("events:list"), {"soort": "webinar"}).content.decode()
    assert "MIRT light webinar" in webinars and "M.e.r. cursus" not in webinars
    by_programme = client.get(reverse("events:list"), {"programma": programme.slug}).content
    assert b"MIRT light webinar" in by_programme and b"M.e.r. cursus" not in by_programme
    month = (timezone.now() + datetime.timedelta(days=400)).strftime("%Y-%m")
    empty = client.get(reverse("events:list"), {"maand": month}).content.decode()
    assert "Er zijn geen komende sessies die aan de filters voldoen." in empty


def test_a_filter_without_upcoming_sessions_offers_the_past_ones(client, programme):
    # Issue 15 §2: a filter with no upcoming result offers the past ones.
    start = timezone.now() - datetime.timedelta(days=30)
    SessionFactory(
        title="Door ná 2017", start=start, end=start + datetime.timedelta(hours=2)
    )  # a bouwsessie
    SessionFactory(title="MIRT light webinar", type="webinar")
    page = client.get(reverse("events:list"), {"soort": "bouwsessie"}).text
    assert "Geen komende sessies gevonden." in page and "Bekijk afgelopen sessies." in page
    assert 'href="?soort=bouwsessie&amp;wanneer=voorbij"' in page
    past = client.get(reverse("events:list"), {"soort": "bouwsessie", "wanneer": "voorbij"}).text
    assert "Door ná 2017" in past
    # With upcoming results, or with no past ones either, nothing is offered.
    assert "Bekijk afgelopen sessies." not in client.get(reverse("events:list")).text
    none = client.get(reverse("events:list"), {"soort": "congres"}).text
    assert "Er zijn geen komende sessies die aan de filters voldoen." in none
    assert "Bekijk afgelopen sessies." not in none


def test_a_past_session_says_it_is_over_and_takes_no_registration(logged_in, client, member):
    # Issue 15 §2: the 2016 bouwsessie showed registration buttons that led nowhere.
    start = timezone.now() - datetime.timedelta(days=30)
    old = SessionFactory(
        title="Door ná 2017", start=start, end=start + datetime.timedelta(hours=4), capacity=3
    )
    RegistrationFactory(session=old, member=member)
    for viewer, registered in ((None, False), (UserFactory(), False), (member, True)):
        page = (logged_in(viewer) if viewer else Client()).get(old.get_absolute_url()).text
        assert "Deze bouwsessie is afgelopen." in page
        assert "Ja, ik praat mee" not in page and "Log in om u aan te melden" not in page
        assert reverse("events:register", args=[old.pk]) not in page
        assert reverse("events:unregister", args=[old.pk]) not in page
        assert ("U was erbij aangemeld." in page) == registered
    upcoming = SessionFactory()
    assert "Deze bouwsessie is afgelopen." not in client.get(upcoming.get_absolute_url()).text


def test_detail_like_seed_for_visitor_hides_online_link(client, session):
    session.online, session.online_url = True, "https://meet.example/bouwsessie"
    session.save()
    session.parts.create(position=0, title="Wat is de Beter Benutten werkwijze")
    session.parts.create(position=1, title="Op welke wijze gaat IenM met de verankering om")
    member = UserFactory(full_name="Jens van der Weele", function="Communicatieadviseur")
    RegistrationFactory(session=session, member=member)
    body = client.get(session.get_absolute_url()).content.decode()
    for text in ("Doel", "Criteria deelnemers", "Over deze bouwsessie", "Locatie", "Bouwmeester",
                 "Deel 1", "Deel 2", "Jens van der Weele", "Communicatieadviseur",
                 "Ja, ik praat mee"):  # fmt: skip
        assert text in body, text
    assert "https://meet.example/bouwsessie" not in body
    assert "Gewijzigd op" not in body


def test_detail_online_link_for_confirmed_only(logged_in, session, member, other_member):
    session.online, session.online_url = True, "https://meet.example/bouwsessie"
    session.save()
    RegistrationFactory(session=session, member=member)
    RegistrationFactory(session=session, member=other_member, status=S.WAITLISTED)
    assert "https://meet.example" in logged_in(member).get(session.get_absolute_url()).text
    assert (
        "https://meet.example" not in logged_in(other_member).get(session.get_absolute_url()).text
    )


def test_participant_visibility(client, logged_in, session, member):
    session.participant_visibility = Session.Visibility.HOSTS
    session.save()
    RegistrationFactory(session=session, member=UserFactory(full_name="Elles van Happen"))
    assert "Elles van Happen" not in client.get(session.get_absolute_url()).text
    assert "Elles van Happen" in logged_in(session.host).get(session.get_absolute_url()).text


def test_detail_participants_queries_pinned(client, session, django_assert_max_num_queries):
    RegistrationFactory.create_batch(20, session=session)
    with django_assert_max_num_queries(12):
        response = client.get(session.get_absolute_url())
    assert response.text.count("<li><strong>") == 20


def test_draft_hidden_from_visitors(client, logged_in, member):
    draft = SessionFactory(status="draft", host=member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert logged_in(member).get(draft.get_absolute_url()).status_code == 200


def test_register_and_cancel_through_pages(
    logged_in, session, member, django_capture_on_commit_callbacks
):
    client = logged_in(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[session.pk]), follow=True)
    assert "U bent aangemeld" in response.text
    assert Registration.objects.get(session=session, member=member).status == S.CONFIRMED
    # A seat of a session with a capacity is scarce: giving it up asks first (issue 15 §3).
    page = client.get(session.get_absolute_url()).text
    assert f'href="{reverse("events:unregister", args=[session.pk])}"' in page
    unregister = reverse("events:unregister", args=[session.pk])
    confirm = client.get(unregister)
    assert "Afmelden voor deze sessie?" in confirm.text and "Ja, meld mij af" in confirm.text
    assert 'name="bevestigd" value="1"' in confirm.text
    assert client.post(unregister).status_code == 200
    assert Registration.objects.get(session=session, member=member).status == S.CONFIRMED
    response = client.post(unregister, {"bevestigd": "1"}, follow=True)
    assert "U bent afgemeld" in response.text
    assert Registration.objects.get(session=session, member=member).status == S.CANCELLED


def test_unregister_without_capacity_needs_no_confirmation(logged_in, session, member):
    session.capacity = None
    session.save()
    RegistrationFactory(session=session, member=member)
    client = logged_in(member)
    page = client.get(session.get_absolute_url()).text
    assert f'action="{reverse("events:unregister", args=[session.pk])}"' in page
    client.post(reverse("events:unregister", args=[session.pk]))
    assert Registration.objects.get(session=session, member=member).status == S.CANCELLED


def test_register_requires_login(client, session):
    response = client.post(reverse("events:register", args=[session.pk]))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_register_twice_shows_error(logged_in, session, member):
    RegistrationFactory(session=session, member=member)
    response = logged_in(member).post(reverse("events:register", args=[session.pk]), follow=True)
    assert "U bent al aangemeld voor deze sessie." in response.text


def test_manage_page_refused_to_other_member(logged_in, session, other_member, client):
    assert (
        logged_in(other_member).get(reverse("events:manage", args=[session.pk])).status_code == 403
    )
    assert (
        logged_in(other_member).get(reverse("events:export", args=[session.pk, "csv"])).status_code
        == 403
    )


def test_host_approves_and_declines_with_reason(logged_in, session):
    session.requires_approval = True
    session.save()
    a = RegistrationFactory(session=session, status=S.PENDING)
    b = RegistrationFactory(session=session, status=S.PENDING)
    client = logged_in(session.host)
    page = client.get(reverse("events:manage", args=[session.pk])).text
    assert "Te beoordelen aanmeldingen" in page and escape(a.member.display_name) in page
    client.post(reverse("events:approve", args=[session.pk, a.pk]))
    response = client.post(
        reverse("events:decline", args=[session.pk, b.pk]), {f"r{b.pk}-reason": ""}, follow=True
    )
    assert "Geef een reden" in response.text
    client.post(
        reverse("events:decline", args=[session.pk, b.pk]), {f"r{b.pk}-reason": "Geen regio"}
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status, b.reason) == (S.CONFIRMED, S.DECLINED, "Geen regio")


def test_exports_are_logged(logged_in, session):
    RegistrationFactory(session=session, member=UserFactory(full_name="Esther de Lange"))
    client = logged_in(session.host)
    csv = client.get(reverse("events:export", args=[session.pk, "csv"]))
    assert csv["Content-Type"].startswith("text/csv") and "Esther de Lange" in csv.content.decode()
    xlsx = client.get(reverse("events:export", args=[session.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="events.participants.exported").count() == 2


def test_mail_all_participants(logged_in, session, mailoutbox, django_capture_on_commit_callbacks):
    RegistrationFactory.create_batch(2, session=session)
    client = logged_in(session.host)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:message", args=[session.pk]),
            {"subject": "Koffertjes", "body": "Neem je koffertje mee."},
            follow=True,
        )
    assert "Uw bericht gaat naar 2 deelnemers." in response.text
    assert len(mailoutbox) == 2


def form_data(programme, **overrides):
    date = (timezone.now() + datetime.timedelta(days=14)).date()
    data = {
        "programme": programme.pk, "type": "bouwsessie", "title": "Door ná 2017",
        "start_date": date.isoformat(), "start_time": "13:00",
        "end_date": date.isoformat(), "end_time": "16:00",
        "location": "Utrecht", "participant_visibility": "public",
        "criteria": "Je bent programmamanager\nOok welkom: regiocoördinatoren",
        "parts": "Wat willen we verankeren? | 13:00\nWat komt er in het koffertje?",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_organise_session_as_draft(logged_in, member, programme):
    response = logged_in(member).post(reverse("events:create"), form_data(programme), follow=True)
    session = Session.objects.get()
    assert session.status == "draft" and session.host == member
    assert [p.title for p in session.parts.all()] == [
        "Wat willen we verankeren?",
        "Wat komt er in het koffertje?",
    ]
    assert session.parts.first().time == "13:00"
    assert "Vraag publicatie aan" in response.text
    assert "Vraag publicatie en facilitering aan" in response.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_time": "12:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"capacity": "-3"}, "Het maximum aantal deelnemers kan niet negatief zijn."),
        ({"location": ""}, "Geef een locatie op of kies online (of allebei)."),
        ({"title": ""}, "Dit veld is verplicht."),
    ],
)
def test_organise_bad_input_shows_dutch_error(logged_in, member, programme, overrides, message):
    response = logged_in(member).post(reverse("events:create"), form_data(programme, **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not Session.objects.exists()


def test_edit_published_records_change_and_shows_notice(logged_in, session, team_member, client):
    data = form_data(session.programme, title=session.title, location="Den Haag")
    logged_in(team_member).post(reverse("events:edit", args=[session.pk]), data)
    assert set(session.changes.values_list("field", flat=True)) >= {
        "location",
        "start",
        "end",
        "parts",
    }
    client.logout()
    body = client.get(session.get_absolute_url()).text
    assert "Gewijzigd op" in body and "Den Haag" in body


def test_facilitation_queue_publish_and_send_back(logged_in, member, programme, team_member):
    draft = SessionFactory(programme=programme, host=member, status="draft")
    other = SessionFactory(programme=programme, host=member, status="draft", title="Tweede")
    client = logged_in(member)
    client.post(reverse("events:request_facilitation", args=[draft.pk]), {"note": "Graag"})
    client.post(reverse("events:request_facilitation", args=[other.pk]))
    assert client.get(reverse("events:queue")).status_code == 403
    assert client.post(reverse("events:publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
    team = logged_in(team_member)
    page = team.get(reverse("events:queue")).text
    assert draft.title in page and "Tweede" in page
    team.post(reverse("events:publish", args=[draft.pk]), {"from": "queue"})
    team.post(reverse("events:send_back", args=[other.pk]), {f"s{other.pk}-comment": "Criteria?"})
    draft.refresh_from_db()
    other.refresh_from_db()
    assert draft.status == "published"
    assert (other.facilitation, other.facilitation_note) == ("sent_back", "Criteria?")
    third = SessionFactory(programme=programme, host=member, status="draft", title="Derde")
    client.post(reverse("events:request_facilitation", args=[third.pk]))
    outsider = Client()
    outsider.force_login(MembershipFactory().user)
    page = outsider.get(reverse("events:queue")).text
    assert "Derde" not in page and "Er wachten geen sessies op facilitering." in page


def test_cancel_session_asks_a_reason_and_a_confirmation(
    logged_in, session, other_member, mailoutbox, django_capture_on_commit_callbacks
):
    # Issue 15 §3: "Sessie annuleren" took one click and told nobody why.
    url = reverse("events:cancel", args=[session.pk])
    assert logged_in(other_member).post(url, {"bevestigd": "1", "reason": "x"}).status_code == 403
    participants = RegistrationFactory.create_batch(2, session=session)
    client = logged_in(session.host)
    assert f'href="{url}"' in client.get(reverse("events:manage", args=[session.pk])).text
    page = client.get(url)
    assert "Ja, annuleer de sessie" in page.text and "2 aangemelde deelnemers" in page.text
    assert 'name="bevestigd" value="1"' in page.text
    # A POST without the confirmation changes nothing (an old form, another site's form).
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Zaal vervallen"}).status_code == 200
    session.refresh_from_db()
    assert session.status == "published" and mailoutbox == []
    # Confirmed without a reason: refused beside the field, nothing stored.
    response = client.post(url, {"bevestigd": "1", "reason": "  "})
    assert response.context["form"].errors["reason"]
    session.refresh_from_db()
    assert session.status == "published"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"bevestigd": "1", "reason": "De zaal is vervallen; we plannen opnieuw."}
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert session.cancellation_reason == "De zaal is vervallen; we plannen opnieuw."
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.member.email for r in participants)
    for message in mailoutbox:
        assert "Reden: De zaal is vervallen; we plannen opnieuw." in message.body
    detail = client.get(session.get_absolute_url()).text
    assert "Deze bouwsessie gaat niet door." in detail
    assert "De zaal is vervallen; we plannen opnieuw." in detail


def test_cancel_reason_is_validated_by_the_model(logged_in, session):
    url = reverse("events:cancel", args=[session.pk])
    client = logged_in(session.host)
    for bad in ("x" * 2001, "Reden\x00"):
        response = client.post(url, {"bevestigd": "1", "reason": bad})
        assert response.status_code == 200 and response.context["form"].errors["reason"]
    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == ("published", "")


def test_ics_download_and_programme_feed(client, session):
    response = client.get(reverse("events:ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["UID"]) == session.ical_uid
    feed = client.get(reverse("events:programme_feed", args=[session.programme.slug]))
    assert session.ical_uid in feed.content.decode()
    draft = SessionFactory(status="draft")
    assert client.get(reverse("events:ics", args=[draft.pk])).status_code == 404


def test_admin_delete_registration_promotes(client, admin_user, session):
    confirmed = RegistrationFactory.create_batch(2, session=session)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    client.force_login(admin_user)
    url = reverse("admin:events_registration_delete", args=[confirmed[0].pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    assert client.get(reverse("admin:events_session_change", args=[session.pk])).status_code == 200


def test_openapi_lists_session_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}",
        "/api/v1/sessions/{session_id}/changes",
        "/api/v1/sessions/{session_id}/registrations",
        "/api/v1/sessions/{session_id}/registrations/me",
        "/api/v1/sessions/{session_id}/participants",
    ):
        assert path in paths, path


def test_edit_form_fills_the_browser_date_and_time_inputs(logged_in, session):
    # <input type="date"> shows only an ISO value: a Dutch "31-10-2027" leaves it empty.
    session.start = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=datetime.UTC)
    session.end = session.start + datetime.timedelta(hours=1)
    session.save()
    page = logged_in(session.host).get(reverse("events:edit", args=[session.pk])).text
    assert 'type="date" name="start_date" value="2027-10-31"' in page
    assert 'type="time" name="start_time" value="02:30"' in page
    assert 'type="date" name="end_date" value="2027-10-31"' in page


def _edit_data(client, session, **overrides):
    """Return the edit form's fields as the browser would post them, with ``overrides``."""
    form = client.get(reverse("events:edit", args=[session.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if name == "themes":
            data[name] = [t.pk for t in value or []]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        else:
            # As the page renders it (ISO dates, HH:MM times).
            data[name] = field.widget.format_value(value) or ""
    data.update(overrides)
    return data


def test_two_day_congress_keeps_its_second_day_when_only_the_title_changes(
    logged_in, session, mailoutbox, django_capture_on_commit_callbacks
):
    # Issue 15 §1: a congress 10 June 09:00 - 11 June 17:00 lost its second day, and the
    # edit was recorded and mailed as a change.
    tz = datetime.timezone(datetime.timedelta(hours=2))
    session.type = "congres"
    session.start = datetime.datetime(2027, 6, 10, 9, 0, tzinfo=tz)
    session.end = datetime.datetime(2027, 6, 11, 17, 0, tzinfo=tz)
    session.save()
    RegistrationFactory(session=session)
    client = logged_in(session.host)
    data = _edit_data(client, session, title="Congres verankering")
    assert (data["start_date"], data["end_date"]) == ("2027-06-10", "2027-06-11")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:edit", args=[session.pk]), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Congres verankering"
    assert session.start == datetime.datetime(2027, 6, 10, 7, 0, tzinfo=datetime.UTC)
    assert session.end == datetime.datetime(2027, 6, 11, 15, 0, tzinfo=datetime.UTC)
    assert not session.changes.exists() and session.sequence == 0
    assert mailoutbox == []


def test_a_multi_day_session_shows_and_mails_both_days(client, session):
    tz = datetime.timezone(datetime.timedelta(hours=2))
    session.start = datetime.datetime(2027, 6, 10, 9, 0, tzinfo=tz)
    session.end = datetime.datetime(2027, 6, 11, 17, 0, tzinfo=tz)
    session.save()
    both = "donderdag 10 juni 2027, 09:00 – vrijdag 11 juni 2027, 17:00"
    assert mails.when(session) == both
    page = client.get(session.get_absolute_url()).text
    assert "donderdag 10 juni 2027, 09:00" in page and "vrijdag 11 juni 2027, 17:00" in page
    listed = client.get(reverse("events:list")).text
    assert "vrijdag 11 juni 2027, 17:00" in listed


def test_edit_only_the_location_records_only_the_location(
    logged_in, session, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(session=session)
    before = (session.start, session.end, session.title, session.capacity)
    client = logged_in(session.host)
    data = _edit_data(client, session, location="Den Haag")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("events:edit", args=[session.pk]), data).status_code == 302
    session.refresh_from_db()
    assert (session.start, session.end, session.title, session.capacity) == before
    assert list(session.changes.values_list("field", "new")) == [("location", "Den Haag")]
    assert len(mailoutbox) == 1 and "Locatie:" in mailoutbox[0].body
    assert "Begint" not in mailoutbox[0].body


def test_multi_day_end_before_start_is_refused_beside_the_end(logged_in, session):
    client = logged_in(session.host)
    start = timezone.localtime(session.start).date()
    data = _edit_data(client, session, end_date=(start - datetime.timedelta(days=1)).isoformat())
    response = client.post(reverse("events:edit", args=[session.pk]), data)
    assert response.status_code == 200
    assert "De eindtijd moet na de begintijd liggen." in response.text
    assert response.context["form"].errors["end_time"]
    assert not session.changes.exists()


def test_co_hosts_are_invited_not_added(logged_in, member, other_member, programme):
    client = logged_in(member)
    data = form_data(programme, cohost_emails=other_member.email)
    response = client.post(reverse("events:create"), data, follow=True)
    assert "Uitnodiging verstuurd naar: " + other_member.email in response.text
    session = Session.objects.get()
    assert not session.co_hosts.exists()
    assert session.cohost_invitations.get().email == other_member.email
    assert not session.can_manage(other_member)


def test_waitlist_position_shown(logged_in, session, member):
    RegistrationFactory.create_batch(2, session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    RegistrationFactory(session=session, member=member, status=S.WAITLISTED)
    body = logged_in(member).get(session.get_absolute_url()).text
    assert "U staat op de wachtlijst (plaats 2)" in body


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"programma": "²"}, True),
        ({"programma": "99999999999999999999"}, False),  # a valid slug, no such programme
        ({"maand": "9999-12"}, True),
        ({"maand": "0001-01"}, True),
        ({"soort": "feest"}, True),
        ({"thema": "\x00"}, True),
    ],
)
def test_list_ignores_bad_filters(client, session, query, shown):
    # A filter that does not validate is left out, never a server error.
    response = client.get(reverse("events:list"), query)
    assert response.status_code == 200
    assert (session.title in response.text) == shown


def test_list_shows_own_drafts_to_their_host_only(client, logged_in, member):
    draft = SessionFactory(status="draft", host=member, title="Mijn concept")
    assert "Mijn concept" not in client.get(reverse("events:list")).text
    body = logged_in(member).get(reverse("events:list")).text
    assert "Mijn concept" in body and "Concept" in body
    assert draft.get_absolute_url() in body

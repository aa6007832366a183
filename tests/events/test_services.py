import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from bouwplaats.core.errors import DomainError, InvalidInput, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.events import services
from bouwplaats.events.models import Registration, Session, SessionChange
from tests.factories import RegistrationFactory, SessionFactory, UserFactory

S = Registration.Status


def statuses(session):
    return list(session.registrations.order_by("created_at", "id").values_list("status", flat=True))


def ics_of(message):
    name, content, mimetype = message.attachments[0]
    assert name == "sessie.ics" and mimetype == "application/ics"
    return Calendar.from_ical(content)


def test_create_is_draft_hosted_by_member(member, programme):
    start = timezone.now() + datetime.timedelta(days=3)
    session = services.session_create(
        actor=member, programme=programme, type="bouwsessie", title="Koffertjes vullen",
        start=start, end=start + datetime.timedelta(hours=2), location="Utrecht",
        criteria="Je bent programmamanager\n\nOok welkom: regiocoördinatoren",
        parts=[{"title": "Wat willen we verankeren?"}, {"title": "Hoe?", "time": "14:00"}],
    )  # fmt: skip
    assert session.status == Session.Status.DRAFT
    assert session.host == member
    assert session.criteria == ["Je bent programmamanager", "Ook welkom: regiocoördinatoren"]
    assert [p.title for p in session.parts.all()] == ["Wat willen we verankeren?", "Hoe?"]
    assert AuditEntry.objects.filter(action="events.session.created").count() == 1


def test_create_refuses_publish_by_non_team_and_bad_times(member, programme):
    start = timezone.now() + datetime.timedelta(days=3)
    base = {"programme": programme, "type": "webinar", "title": "MIRT light", "online": True}
    with pytest.raises(NotAllowed):
        services.session_create(
            actor=member, publish=True, start=start, end=start + datetime.timedelta(hours=1), **base
        )
    with pytest.raises(DomainError, match="eindtijd moet na de begintijd"):
        services.session_create(actor=member, start=start, end=start, **base)
    with pytest.raises(DomainError, match="negatief"):
        services.session_create(
            actor=member, start=start, end=start + datetime.timedelta(hours=1), capacity=-1, **base
        )
    assert not Session.objects.exists()


def test_register_confirmed_then_waitlisted_with_ics_mail(session, run_on_commit):
    first, second, third = UserFactory.create_batch(3)
    assert services.registration_create(session=session, member=first).status == S.CONFIRMED
    assert services.registration_create(session=session, member=second).status == S.CONFIRMED
    assert services.registration_create(session=session, member=third).status == S.WAITLISTED
    assert [m.to for m in mail.outbox] == [[first.email], [second.email], [third.email]]
    event = ics_of(mail.outbox[0]).walk("VEVENT")[0]
    assert str(event["UID"]) == session.ical_uid
    assert "wachtlijst" in mail.outbox[2].subject


def test_unknown_session_is_not_found(member):
    with pytest.raises(Session.DoesNotExist):
        services.registration_create(session=Session(pk=987654), member=member)
    assert not Registration.objects.exists()


def test_register_twice_is_refused(session, member):
    services.registration_create(session=session, member=member)
    with pytest.raises(DomainError, match="al aangemeld"):
        services.registration_create(session=session, member=member)
    assert session.registrations.count() == 1


def test_register_after_deadline_or_on_draft_is_refused(session, member):
    session.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    session.save()
    with pytest.raises(DomainError, match="Aanmelden kon tot"):
        services.registration_create(session=session, member=member)
    draft = SessionFactory(status="draft")
    with pytest.raises(DomainError):
        services.registration_create(session=draft, member=member)
    assert not Registration.objects.exists()


def test_cancel_promotes_first_waiting_by_sign_up(session, run_on_commit):
    confirmed = RegistrationFactory.create_batch(2, session=session)
    early = RegistrationFactory(session=session, status=S.WAITLISTED)
    late = RegistrationFactory(session=session, status=S.WAITLISTED)
    services.registration_cancel(registration=confirmed[0], actor=confirmed[0].member)
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, late.status) == (S.CONFIRMED, S.WAITLISTED)
    # The host hears of the cancellation too (issue 15 §4), in a mail of their own.
    to_host = [m for m in mail.outbox if session.host.email in m.to[0]]
    assert [m.subject for m in to_host] == [f"[Bouwplaats] Afmelding: {session.title}"]
    mail.outbox[:] = [m for m in mail.outbox if m not in to_host]
    assert [m.to[0] for m in mail.outbox] == [confirmed[0].member.email, early.member.email]
    assert "plaats vrijgekomen" in mail.outbox[1].subject
    assert ics_of(mail.outbox[0])["METHOD"] == "CANCEL"
    assert ics_of(mail.outbox[1])["METHOD"] == "REQUEST"
    assert AuditEntry.objects.filter(action="events.registration.promoted").count() == 1


def test_cancel_someone_elses_registration_is_refused(session, other_member):
    registration = RegistrationFactory(session=session)
    with pytest.raises(NotAllowed):
        services.registration_cancel(registration=registration, actor=other_member)


def test_re_register_after_cancel_goes_to_back_of_queue(session):
    a, b, c = RegistrationFactory.create_batch(3, session=session, status=S.CONFIRMED)
    session.capacity = 3
    session.save()
    services.registration_cancel(registration=a, actor=a.member)
    d = RegistrationFactory(session=session, status=S.CONFIRMED)
    again = services.registration_create(session=session, member=a.member)
    assert again.pk == a.pk and again.status == S.WAITLISTED
    services.registration_cancel(registration=d, actor=d.member)
    again.refresh_from_db()
    assert again.status == S.CONFIRMED
    assert b.pk and c.pk


def test_capacity_raised_promotes(session, team_member):
    RegistrationFactory.create_batch(2, session=session)
    waiting = RegistrationFactory.create_batch(2, session=session, status=S.WAITLISTED)
    services.session_update(session=session, actor=team_member, capacity=3)
    assert [r.status for r in Registration.objects.filter(pk__in=[w.pk for w in waiting])] == [
        S.CONFIRMED,
        S.WAITLISTED,
    ]


def test_delete_registration_promotes(session, team_member):
    first, _second = RegistrationFactory.create_batch(2, session=session)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    services.registration_delete(registration=first, actor=team_member)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_approval_flow(session, run_on_commit):
    session.requires_approval = True
    session.capacity = 1
    session.save()
    a, b = UserFactory.create_batch(2)
    ra = services.registration_create(session=session, member=a)
    rb = services.registration_create(session=session, member=b)
    assert (ra.status, rb.status) == (S.PENDING, S.PENDING)
    with pytest.raises(NotAllowed):
        services.registration_approve(registration=ra, actor=b)
    assert services.registration_approve(registration=ra, actor=session.host).status == S.CONFIRMED
    assert services.registration_approve(registration=rb, actor=session.host).status == S.WAITLISTED
    with pytest.raises(DomainError, match="reden"):
        services.registration_decline(registration=ra, actor=session.host, reason=" ")
    services.registration_decline(
        registration=ra, actor=session.host, reason="Je bent geen programmamanager."
    )
    rb.refresh_from_db()
    assert rb.status == S.CONFIRMED
    declined = [m for m in mail.outbox if "afgewezen" in m.subject]
    assert len(declined) == 1 and "Je bent geen programmamanager." in declined[0].body
    with pytest.raises(DomainError, match="afgewezen"):
        services.registration_create(session=session, member=a)


def test_update_records_changes_raises_sequence_one_mail_each(session, team_member, run_on_commit):
    services.session_update(
        session=session, actor=team_member, parts=[{"title": "Deel een"}, {"title": "Deel twee"}]
    )
    confirmed = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    RegistrationFactory(session=session, status=S.CANCELLED)
    SessionChange.objects.all().delete()
    mail.outbox.clear()
    session.refresh_from_db()
    sequence = session.sequence
    new_start = session.start + datetime.timedelta(days=1)
    services.session_update(
        session=session, actor=team_member, start=new_start,
        end=new_start + datetime.timedelta(hours=3), location="Den Haag",
        parts=[{"title": "Deel een"}, {"title": "Panel", "time": "15:00"}],
        title="Nieuwe titel",
    )  # fmt: skip
    session.refresh_from_db()
    assert session.sequence == sequence + 1
    fields = list(session.changes.values_list("field", flat=True))
    assert sorted(fields) == ["end", "location", "parts", "start"]
    location = session.changes.get(field="location")
    assert (location.old, location.new, location.changed_by) == ("Utrecht", "Den Haag", team_member)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [confirmed.member.email, waiting.member.email]
    )
    body = mail.outbox[0].body
    assert "Utrecht → Den Haag" in body and "Panel" in body
    assert int(ics_of(mail.outbox[0]).walk("VEVENT")[0]["SEQUENCE"]) == sequence + 1


def test_update_without_tracked_change_records_nothing(session, team_member, run_on_commit):
    RegistrationFactory(session=session)
    services.session_update(session=session, actor=team_member, title="Alleen de titel")
    assert not SessionChange.objects.exists()
    assert mail.outbox == []


def test_update_by_other_member_is_refused(session, other_member):
    with pytest.raises(NotAllowed):
        services.session_update(session=session, actor=other_member, location="Zwolle")
    session.refresh_from_db()
    assert session.location == "Utrecht"


def test_cancel_session_mails_everyone_with_cancel(session, run_on_commit):
    confirmed = RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    RegistrationFactory(session=session, status=S.PENDING)
    services.session_cancel(session=session, actor=session.host, reason="Zaal vervallen")
    assert len(mail.outbox) == 3
    assert all("Geannuleerd" in m.subject for m in mail.outbox)
    # Only the confirmed participant had an appointment to remove.
    [with_ics] = [m for m in mail.outbox if m.attachments]
    assert with_ics.to == [confirmed.member.email]
    assert ics_of(with_ics)["METHOD"] == "CANCEL"
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.sequence == 1
    assert all("Reden: Zaal vervallen" in m.body for m in mail.outbox)
    assert session.cancellation_reason == "Zaal vervallen"


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001, "Zaal\x07vervallen"])
def test_cancel_published_session_needs_a_valid_reason(session, run_on_commit, reason):
    RegistrationFactory(session=session)
    with pytest.raises(InvalidInput) as refused:
        services.session_cancel(session=session, actor=session.host, reason=reason)
    assert refused.value.code == "reason"
    session.refresh_from_db()
    assert session.status == Session.Status.PUBLISHED and mail.outbox == []


def test_cancel_draft_needs_no_reason(session):
    session.status = Session.Status.DRAFT
    session.save()
    services.session_cancel(session=session, actor=session.host)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED


def test_facilitation_request_send_back_and_publish(member, programme, team_member, run_on_commit):
    start = timezone.now() + datetime.timedelta(days=10)
    session = services.session_create(
        actor=member, programme=programme, type="bouwsessie", title="Door ná 2017",
        start=start, end=start + datetime.timedelta(hours=2), location="Utrecht",
    )  # fmt: skip
    with pytest.raises(NotAllowed):
        services.session_publish(session=session, actor=member)
    with pytest.raises(NotAllowed):
        services.session_request_facilitation(session=session, actor=team_member)
    services.session_request_facilitation(session=session, actor=member, note="Graag met IenM")
    with pytest.raises(DomainError, match="waarom"):
        services.session_send_back(session=session, actor=team_member, comment="")
    services.session_send_back(session=session, actor=team_member, comment="Voeg criteria toe")
    assert mail.outbox[-1].to == [member.email]
    assert "Voeg criteria toe" in mail.outbox[-1].body
    services.session_request_facilitation(session=session, actor=member)
    session = services.session_publish(session=session, actor=team_member)
    assert session.status == Session.Status.PUBLISHED
    # Published straight from the request: without facilitation (issue 15 §4).
    assert session.facilitation == Session.Facilitation.WITHOUT


def test_export_csv_and_xlsx_are_logged(session, other_member):
    RegistrationFactory(session=session, member=UserFactory(full_name="Jens van der Weele"))
    content, content_type, name = services.participants_export(
        session=session, actor=session.host, fmt="csv"
    )
    assert "Jens van der Weele" in content.decode("utf-8-sig") and name.endswith(".csv")
    content, content_type, name = services.participants_export(
        session=session, actor=session.host, fmt="xlsx"
    )
    assert content[:2] == b"PK" and "spreadsheetml" in content_type
    with pytest.raises(NotAllowed):
        services.participants_export(session=session, actor=other_member, fmt="csv")
    entries = AuditEntry.objects.filter(action="events.participants.exported")
    assert [e.data["format"] for e in entries.order_by("id")] == ["csv", "xlsx"]
    assert all(e.actor == session.host for e in entries)


def test_message_participants(session, run_on_commit, other_member):
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=S.WAITLISTED)
    with pytest.raises(NotAllowed):
        services.session_message_participants(
            session=session, actor=other_member, subject="x", body="y"
        )
    count = services.session_message_participants(
        session=session, actor=session.host, subject="Koffie", body="Neem je koffertje mee."
    )
    assert count == 1 and len(mail.outbox) == 1
    assert "Neem je koffertje mee." in mail.outbox[0].body


def test_avg_export_and_forget_promotes(session):
    from bouwplaats.events import avg

    leaving = RegistrationFactory(session=session)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session, status=S.WAITLISTED)
    data = avg.export(user=leaving.member)
    assert data["registrations"][0]["session"] == session.title
    avg.forget(user=leaving.member)
    assert not Registration.objects.filter(member=leaving.member).exists()
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_update_with_refused_status_writes_nothing(member, programme, team_member, run_on_commit):
    # One call, one transaction: the host may retitle but not publish, so neither happens.
    draft = SessionFactory(programme=programme, host=member, status="draft", title="Oud")
    with pytest.raises(NotAllowed):
        services.session_update(session=draft, actor=member, title="Nieuw", status="published")
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Oud", "draft")
    assert not AuditEntry.objects.filter(action="events.session.updated").exists()
    services.session_update(session=draft, actor=team_member, title="Nieuw", status="published")
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Nieuw", "published")


def test_update_with_invalid_field_does_not_cancel(session, run_on_commit):
    with pytest.raises(InvalidInput) as refused:
        services.session_update(
            session=session, actor=session.host, status="cancelled", capacity=10**20
        )
    assert refused.value.code == "capacity"
    session.refresh_from_db()
    assert session.status == "published" and session.capacity == 2
    assert mail.outbox == []


def test_services_validate_with_the_models_rules(member, programme):
    start = timezone.now() + datetime.timedelta(days=3)
    base = {"programme": programme, "type": "webinar", "start": start, "online": True,
            "end": start + datetime.timedelta(hours=1)}  # fmt: skip
    for fields, field in [
        ({"title": "x" * 201}, "title"),
        ({"title": "Twee\nregels"}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "Goed", "online_url": "javascript:alert(1)"}, "online_url"),
        ({"title": "Goed", "audience": "a" * 301}, "audience"),
        ({"title": "Goed", "questions": ["q\x00"]}, "questions"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            services.session_create(actor=member, **base, **fields)
        assert field in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        services.session_create(actor=member, title="Goed", parts=[{"title": "t" * 301}], **base)
    assert refused.value.code == "parts"
    assert not Session.objects.exists()


def test_update_refuses_none_for_a_field_that_cannot_be_empty(session):
    # full_clean() skips an empty value of a blank field: None would reach the NOT NULL column.
    with pytest.raises(InvalidInput) as refused:
        services.session_update(session=session, actor=session.host, audience=None)
    assert refused.value.code == "audience"
    session.refresh_from_db()
    assert session.audience == ""


def test_facilitation_note_and_message_checked(session, member, programme, team_member):
    draft = SessionFactory(programme=programme, host=member, status="draft")
    with pytest.raises(InvalidInput):
        services.session_request_facilitation(session=draft, actor=member, note="n" * 2001)
    with pytest.raises(InvalidInput) as refused:
        services.session_message_participants(
            session=session, actor=session.host, subject="Twee\nregels", body="Hoi"
        )
    assert refused.value.code == "subject"
    draft.refresh_from_db()
    assert draft.facilitation == ""

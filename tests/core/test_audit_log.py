"""The audit log administrators read: filters by action, actor and date; and each kind of
action of consequence (registrations, exports, reviews, deletions) is written by its service."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from django.utils.html import escape

from bouwplaats.core.audit import action_label, log_action
from bouwplaats.core.models import AuditEntry
from tests.factories import (
    OrganisationFactory,
    PlannerFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/beheer/core/auditentry/"


def entries(action: str, actor=None) -> list[AuditEntry]:
    found = AuditEntry.objects.filter(action=action)
    if actor is not None:
        found = found.filter(actor=actor)
    return list(found)


# --- the administrators' page ----------------------------------------------------------------


@pytest.fixture
def log(member, other_member):
    """Three entries: two by member (one a week ago), one by other_member."""
    first = log_action("events.registration.created", actor=member, data={"status": "confirmed"})
    old = log_action("events.participants.exported", actor=member, data={"format": "csv"})
    AuditEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    other = log_action("spaces.comment.deleted", actor=other_member)
    return first, old, other


def listed(client, query: str = "") -> set[int]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return {entry.pk for entry in response.context["cl"].result_list}


def test_administrators_filter_by_action_in_words(client, admin_user, log):
    first, old, other = log
    client.force_login(admin_user)
    page = client.get(LIST).content.decode()
    # The filter offers each action in the log, named as the log reads.
    assert str(action_label("spaces.comment.deleted")) in page
    assert "Reactie verwijderd (Sessieruimte)" in page
    assert listed(client, "?action=spaces.comment.deleted") == {other.pk}
    assert listed(client, "?action=events.registration.created") == {first.pk}


def test_administrators_filter_by_actor(client, admin_user, member, other_member, log):
    first, old, other = log
    client.force_login(admin_user)
    assert listed(client, f"?actor__id__exact={member.pk}") == {first.pk, old.pk}
    assert listed(client, f"?actor__id__exact={other_member.pk}") == {other.pk}
    # Only people who appear in the log are offered as a filter.
    bystander = UserFactory(full_name="Nooit Gehandeld")
    page = client.get(LIST).content.decode()
    assert escape(member.full_name) in page or member.email in page
    assert escape(bystander.full_name) not in page and bystander.email not in page


def test_administrators_filter_by_date(client, admin_user, log):
    first, old, other = log
    client.force_login(admin_user)
    # The values the admin's "past 7 days" filter uses: local midnights, with their offset.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    query = "?" + urlencode(
        {
            "created_at__gte": str(midnight - datetime.timedelta(days=7)),
            "created_at__lt": str(midnight + datetime.timedelta(days=1)),
        }
    )
    assert listed(client, query) == {first.pk, other.pk}
    when = timezone.localtime(AuditEntry.objects.get(pk=old.pk).created_at)
    day = {"created_at__year": when.year, "created_at__month": when.month}
    assert listed(client, "?" + urlencode({**day, "created_at__day": when.day})) == {old.pk}


def test_only_administrators_read_the_log(client, member, log):
    client.force_login(member)
    assert client.get(LIST).status_code in {302, 403}


# --- each kind is written by its service -----------------------------------------------------


def test_a_registration_is_recorded(member):
    from bouwplaats.events import services

    session = SessionFactory()
    registration = services.registration_create(session=session, member=member)
    [entry] = entries("events.registration.created", member)
    assert entry.object_id == str(registration.pk)


def test_a_deleted_registration_is_recorded():
    from bouwplaats.events import services

    session = SessionFactory()
    registration = RegistrationFactory(session=session)
    services.registration_delete(registration=registration, actor=session.host)
    [entry] = entries("events.registration.deleted", session.host)
    assert entry.object_id == str(registration.pk)


def test_a_participants_export_is_recorded():
    from bouwplaats.events import services

    session = SessionFactory()
    RegistrationFactory(session=session)
    services.participants_export(session=session, actor=session.host, fmt="xlsx")
    [entry] = entries("events.participants.exported", session.host)
    assert entry.data["format"] == "xlsx"


def test_a_subscribers_export_is_recorded(team_member, programme):
    from bouwplaats.newsletters import services
    from bouwplaats.newsletters.models import NewsletterList

    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits", slug="nieuwsflits"
    )
    services.subscribers_export(newsletter_list=newsletter_list, user=team_member, fmt="csv")
    [entry] = entries("newsletters.subscribers.exported", team_member)
    assert entry.data["format"] == "csv"


def test_a_members_works_export_is_recorded_a_visitors_not(client):
    planner = PlannerFactory()
    assert client.get("/werk-met-werk/export.csv").status_code == 200
    assert not entries("planning.work.exported")
    client.force_login(planner)
    assert client.get("/werk-met-werk/export.csv").status_code == 200
    assert len(entries("planning.work.exported", planner)) == 1


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("/profiel/gegevens.json", "json"),
        ("/profiel/mijn-gegevens.pdf", "pdf"),
        ("/profiel/mijn-gegevens.zip", "zip"),
    ],
)
def test_a_members_download_of_their_data_is_recorded(client, member, path, fmt):
    client.force_login(member)
    assert client.get(path).status_code == 200
    [entry] = entries("accounts.member.exported", member)
    assert entry.data == {"format": fmt}
    assert str(action_label(entry.action)) == "Lid geëxporteerd (Accounts)"


def test_a_review_and_a_declared_conflict_are_recorded(programme, team_member):
    from bouwplaats.projects import services
    from tests.projects.helpers import GEMEENTE, answers_for, make_call

    call = make_call(programme)
    planner = PlannerFactory(organisation=OrganisationFactory(kind=GEMEENTE))
    submission = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        answers=answers_for(call),
    )  # fmt: skip
    services.call_set_reviewers(call=call, reviewers=[team_member])
    scores = dict.fromkeys(call.criteria.values_list("pk", flat=True), 4)
    review = services.review_save(actor=team_member, submission=submission, scores=scores)
    services.review_save(actor=team_member, submission=submission, scores=scores, note="Sterk")
    [created] = entries("projects.review.created", team_member)
    [updated] = entries("projects.review.updated", team_member)
    assert created.object_id == updated.object_id == str(review.pk)
    assert created.data == {"submission": submission.pk}
    services.review_declare_conflict(actor=team_member, submission=submission)
    [conflict] = entries("projects.review.conflict_declared", team_member)
    assert str(action_label(conflict.action)) == "Beoordeling belangenconflict gemeld (Oproepen)"


def test_a_deleted_comment_is_recorded():
    from bouwplaats.spaces import services

    session = SessionFactory()
    comment = services.comment_create(session=session, user=session.host, body="Tot dan!")
    pk = comment.pk
    services.comment_delete(comment=comment, user=session.host)
    [entry] = entries("spaces.comment.deleted", session.host)
    assert entry.object_id == str(pk)


def test_a_deleted_member_is_recorded(member):
    from bouwplaats.accounts import services

    pk = member.pk
    services.member_delete(user=member)
    [entry] = entries("accounts.member.deleted")
    assert entry.data == {"member_id": pk}


def test_deletions_in_the_koffertje_and_the_stakeholder_field_are_recorded(programme, team_member):
    from bouwplaats.anchoring import services
    from tests.anchoring.helpers import region_with_koffertje

    koffertje, writer = region_with_koffertje(programme, team_member, "Brabant", "Provincie")
    item = services.koffertje_item_add(
        actor=writer, koffertje=koffertje, element="samenwerking", text="Taskforce",
        owner="Taskforce Brabant", status="besproken",
    )  # fmt: skip
    item_pk = item.pk
    services.koffertje_item_delete(actor=writer, item=item)
    [entry] = entries("anchoring.koffertje_item.deleted", writer)
    assert (entry.object_id, entry.data) == (str(item_pk), {"koffertje": koffertje.pk})
    assert "Onderdeel van een koffertje verwijderd" in str(action_label(entry.action))

    stakeholder = services.stakeholder_create(
        actor=team_member, programme=programme, name="Bewonerscollectief", kind="groep",
        interest=4, influence=2, level="raadplegen", direction="bottom_up", reason="Initiatief",
    )  # fmt: skip
    person = services.stakeholder_person_add(
        actor=team_member, stakeholder=stakeholder, name="Marieke"
    )
    person_pk = person.pk
    services.stakeholder_person_remove(actor=team_member, person=person)
    [entry] = entries("anchoring.stakeholder_person.removed", team_member)
    assert (entry.object_id, entry.data) == (str(person_pk), {"stakeholder": stakeholder.pk})

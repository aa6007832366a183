import datetime

import pytest
import shapely
from django.core import mail
from django.utils import timezone

from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.planning import selectors, services
from bouwplaats.planning.geo import to_rd
from bouwplaats.planning.models import CombinationRequest, InterestZone, JointWork, Work
from tests.factories import UserFactory

from .conftest import LAT, LON, feature, line, square, vertical

pytestmark = pytest.mark.django_db


def test_create_stores_wgs84_at_seven_decimals_and_rd_new(ede_planner):
    geometry = {"type": "Point", "coordinates": [5.66501234567, 52.04051234567]}
    work = services.work_create(actor=ede_planner, feature=feature(geometry))
    assert work.geometry == {"type": "Point", "coordinates": [5.6650123, 52.0405123]}
    x, y = to_rd().transform(5.6650123, 52.0405123)
    assert work.rd_minx == pytest.approx(x) and work.rd_miny == pytest.approx(y)
    assert 170_000 < work.rd_minx < 180_000 and 445_000 < work.rd_miny < 452_000
    assert work.owner == ede_planner.organisation and work.created_by == ede_planner
    assert AuditEntry.objects.filter(action="planning.work.created", object_id=str(work.pk))


@pytest.mark.parametrize("declared", [True, False])
def test_rd_new_input_is_converted(ede_planner, declared):
    x, y = to_rd().transform(LON, LAT)
    geometry = {"type": "Point", "coordinates": [x, y]}
    if declared:
        geometry["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    work = services.work_create(actor=ede_planner, feature=feature(geometry))
    lon, lat = work.geometry["coordinates"]
    assert lon == pytest.approx(LON, abs=1e-6) and lat == pytest.approx(LAT, abs=1e-6)


D = 0.001
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[LON, LAT], [LON + D, LAT + D], [LON + D, LAT], [LON, LAT + D], [LON, LAT]]],
}


@pytest.mark.parametrize(
    ("geometry", "props", "field", "message"),
    [
        ({"type": "LineString", "coordinates": [[5.66]]}, {}, "geometry", "geldige GeoJSON"),
        ({"type": "Circle", "coordinates": [5.66, 52.04]}, {}, "geometry", "punt, lijn of vlak"),
        (BOWTIE, {}, "geometry", "snijdt zichzelf"),
        (
            {"type": "LineString", "coordinates": [[LON, LAT], [LON, LAT]]},
            {},
            "geometry",
            "te weinig verschillende punten",
        ),
        ({"type": "Point", "coordinates": [2.35, 48.85]}, {}, "geometry", "buiten Nederland"),
        (None, {"start": "2026-05-01", "end": "2026-04-01"}, "end", "voor de begindatum"),
        (None, {"owner": "Gemeente Atlantis"}, "owner", "Onbekende eigenaar"),
        (None, {"kind": "tunnelbouw"}, "kind", "geen geldige keuze"),
        (None, {"start": "1 mei"}, "start", "JJJJ-MM-DD"),
    ],
)
def test_bad_feature_is_refused_with_its_index_and_nothing_is_stored(
    ede_planner, geometry, props, field, message
):
    good = feature(external_id="GOED-1")
    bad = feature(geometry, external_id="FOUT-1", **props)
    collection = {"type": "FeatureCollection", "features": [good, good | {}, bad]}
    with pytest.raises(DomainError) as caught:
        services.works_import(actor=ede_planner, data=collection)
    assert caught.value.index == 2
    assert caught.value.code == field
    assert message in str(caught.value.message)
    assert Work.objects.count() == 0


def test_same_external_id_for_the_same_owner_updates(ede_planner, liander_planner):
    first = services.works_import(actor=ede_planner, data=feature(external_id="KIP-7"))
    again = services.works_import(
        actor=ede_planner, data=feature(external_id="KIP-7", status="in uitvoering")
    )
    assert first[0].created and not again[0].created
    assert Work.objects.count() == 1
    assert Work.objects.get().status == "in uitvoering"
    # The same id from another owner is another work.
    services.works_import(actor=liander_planner, data=feature(external_id="KIP-7"))
    assert Work.objects.count() == 2
    history = selectors.work_history(work=first[0].work)
    assert [e.action for e in history][0] == "planning.work.updated"


def test_member_may_not_enter_or_change_works_of_another_organisation(ede_work, liander_planner):
    with pytest.raises(NotAllowed) as caught:
        services.works_import(actor=liander_planner, data=feature(owner="Gemeente Ede"))
    assert caught.value.code == "owner"
    with pytest.raises(NotAllowed):
        services.work_update(actor=liander_planner, work=ede_work, feature=feature())


def test_staff_may_enter_works_for_any_owner(admin_user, liander):
    [saved] = services.works_import(actor=admin_user, data=feature(owner="Liander"))
    assert saved.work.owner == liander


def test_visitor_and_members_without_organisation_may_not_enter_works(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.works_import(actor=AnonymousUser(), data=feature())
    with pytest.raises(NotAllowed):
        services.works_import(actor=UserFactory(organisation=None), data=feature())


def test_work_checks_find_the_combination_and_the_heavy_conflict(ede_work, liander_work):
    combos, conflicts = selectors.work_checks(work=ede_work)
    assert [(c["work_a"], c["work_b"]) for c in combos] == [(ede_work.pk, liander_work.pk)]
    assert combos[0]["distance_m"] == pytest.approx(8, abs=0.2)
    assert combos[0]["gap_days"] == 0
    # 8 m apart, a closure and a lane: light (they do not intersect).
    assert [(c["work_b"], c["severity"]) for c in conflicts] == [(liander_work.pk, "licht")]
    crossing = services.work_create(
        actor=ede_work.created_by,
        feature=feature(vertical(), department="verkeer"),
    )
    _, conflicts = selectors.work_checks(work=crossing)
    assert {c["severity"] for c in conflicts} == {"zwaar"}


def test_request_accept_makes_one_joint_work_with_both_owners(
    ede_work, liander_work, ede_planner, liander_planner, django_capture_on_commit_callbacks
):
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.combination_request_send(
            actor=ede_planner, from_work=ede_work, to_work=liander_work, deadline=deadline
        )
    assert {tuple(m.to) for m in mail.outbox} == {
        (liander_planner.email,),
        (ede_planner.email,),
    }
    with pytest.raises(DomainError):
        services.combination_request_send(
            actor=ede_planner, from_work=ede_work, to_work=liander_work, deadline=deadline
        )
    with pytest.raises(NotAllowed):
        services.combination_request_accept(actor=ede_planner, request=req)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joint = services.combination_request_accept(actor=liander_planner, request=req)
    joint = selectors.joint_get(user=liander_planner, pk=joint.pk)
    assert {w.owner.name for w in joint.works.all()} == {"Gemeente Ede", "Liander"}
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {ede_planner.email, liander_planner.email}
    assert "Geaccepteerd" in mail.outbox[0].subject
    # Both works keep their own history, each with the joining recorded.
    for work in (ede_work, liander_work):
        actions = [e.action for e in selectors.work_history(work=work)]
        assert "planning.work.joined" in actions and "planning.work.created" in actions
    # Joined works are no longer suggested as a combination.
    ede_work.refresh_from_db()
    combos, _ = selectors.work_checks(work=ede_work)
    assert combos == []


def test_decline_needs_a_reason_and_mails_both_sides(
    ede_work, liander_work, ede_planner, liander_planner, django_capture_on_commit_callbacks
):
    req = services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    with pytest.raises(DomainError) as caught:
        services.combination_request_decline(actor=liander_planner, request=req, reason=" ")
    assert caught.value.code == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.combination_request_decline(
            actor=liander_planner, request=req, reason="Onze kabel ligt aan de overkant."
        )
    req.refresh_from_db()
    assert req.status == CombinationRequest.Status.DECLINED
    assert "overkant" in mail.outbox[-1].body
    assert set(mail.outbox[-1].to) == {ede_planner.email, liander_planner.email}
    assert not JointWork.objects.exists()


def test_request_refuses_same_owner_past_deadline_and_strangers(
    ede_work, liander_work, ede_planner, liander_planner
):
    same = services.work_create(actor=ede_planner, feature=feature(department="wijkbeheer"))
    later = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(DomainError, match="dezelfde eigenaar"):
        services.combination_request_send(
            actor=ede_planner, from_work=ede_work, to_work=same, deadline=later
        )
    with pytest.raises(DomainError, match="toekomst"):
        services.combination_request_send(
            actor=ede_planner,
            from_work=ede_work,
            to_work=liander_work,
            deadline=timezone.localdate(),
        )
    with pytest.raises(NotAllowed):
        services.combination_request_send(
            actor=liander_planner, from_work=ede_work, to_work=liander_work, deadline=later
        )


def test_reminder_three_days_before_the_deadline_is_sent_once(
    ede_work, liander_work, ede_planner, liander_planner
):
    today = timezone.localdate()
    req = services.combination_request_send(
        actor=ede_planner,
        from_work=ede_work,
        to_work=liander_work,
        deadline=today + datetime.timedelta(days=10),
    )
    mail.outbox.clear()
    assert services.combination_requests_remind_due(today=today) == 0
    due = today + datetime.timedelta(days=7)
    assert services.combination_requests_remind_due(today=due) == 1
    assert services.combination_requests_remind_due(today=due) == 0
    assert not services.combination_request_remind(request_id=req.pk, today=due)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [liander_planner.email]
    assert "Herinnering" in mail.outbox[0].subject


def test_interest_zone_owner_is_mailed_about_new_works_inside(
    liander_planner, ede_planner, django_capture_on_commit_callbacks
):
    area = square(0.002)
    zone = services.interest_zone_create(actor=liander_planner, name="Centrum Ede", geometry=area)
    assert InterestZone.objects.get() == zone
    with django_capture_on_commit_callbacks(execute=True):
        services.work_create(actor=ede_planner, feature=feature())
        services.work_create(actor=ede_planner, feature=feature(line(dx_m=2000)))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [liander_planner.email]
    assert "Centrum Ede" in mail.outbox[0].subject
    with pytest.raises(DomainError):
        services.interest_zone_create(actor=liander_planner, name="Lijn", geometry=line())


def test_update_changes_geometry_and_keeps_rd_in_step(ede_work, ede_planner):
    before = shapely.from_wkb(bytes(ede_work.rd_wkb))
    updated = services.work_update(
        actor=ede_planner, work=ede_work, feature=feature(line(dx_m=100), title="Nieuw")
    )
    after = shapely.from_wkb(bytes(updated.rd_wkb))
    assert after.bounds[0] - before.bounds[0] == pytest.approx(100, abs=1)
    assert updated.title == "Nieuw" and updated.external_id == "EDE-1"


def test_one_save_finds_a_long_work_that_starts_far_away(ede_planner, liander_planner):
    long_cable = services.work_create(
        actor=liander_planner, feature=feature(line(dx_m=-3000, length_m=3000), kind="groen")
    )
    near_its_end = services.work_create(actor=ede_planner, feature=feature(line(dy_m=5)))
    combos, _ = selectors.work_checks(work=near_its_end)
    assert [c["work_b"] for c in combos] == [long_cable.pk]
    combos, _ = selectors.work_checks(work=long_cable)
    assert [c["work_b"] for c in combos] == [near_its_end.pk]


def test_reminder_is_deferred_to_three_days_before_the_deadline_on_a_deferring_backend(
    ede_work, liander_work, ede_planner, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        req = services.combination_request_send(
            actor=ede_planner, from_work=ede_work, to_work=liander_work, deadline=deadline
        )
    reminder = DBTaskResult.objects.get(task_path__endswith="remind_request")
    assert reminder.args_kwargs["args"] == [req.pk]
    run_after = timezone.localtime(reminder.run_after, services.AMSTERDAM)
    assert run_after.date() == deadline - datetime.timedelta(days=3)
    assert run_after.hour == 8

"""The events policy: every rule's object check and queryset agree, for every kind of person.

Seven people (visitor, member, participant, host, co-host, programme team, staff, plus the
team of another programme) against six sessions (published with each participant
visibility, a draft, a cancelled one, one of another programme).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from bouwplaats.events import permissions
from bouwplaats.events.models import Session
from tests.factories import (
    MembershipFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

V = Session.Visibility
OURS = {"public", "participants", "hosts", "draft", "cancelled"}
EVERY = OURS | {"other"}
SHOWN = EVERY - {"draft"}
JOINED = {"public", "participants", "hosts", "cancelled"}

# rule: (object check, queryset, {person: the sessions for which the answer is yes})
RULES = {
    "view": (
        permissions.can_view_session,
        permissions.sessions_visible_to,
        {"visitor": SHOWN, "member": SHOWN, "participant": SHOWN, "host": EVERY,
         "co_host": EVERY, "team": EVERY, "other_team": SHOWN, "staff": EVERY},
    ),
    "manage": (
        permissions.can_manage_session,
        permissions.sessions_managed_by,
        {"visitor": set(), "member": set(), "participant": set(), "host": OURS,
         "co_host": OURS, "team": OURS, "other_team": {"other"}, "staff": EVERY},
    ),
    "host": (
        permissions.is_host,
        permissions.sessions_hosted_by,
        {"visitor": set(), "member": set(), "participant": set(), "host": OURS,
         "co_host": OURS, "team": set(), "other_team": set(), "staff": set()},
    ),
    "publish": (
        permissions.can_publish_session,
        permissions.sessions_publishable_by,
        {"visitor": set(), "member": set(), "participant": set(), "host": set(),
         "co_host": set(), "team": OURS, "other_team": {"other"}, "staff": EVERY},
    ),
    "participant": (
        permissions.is_participant,
        permissions.sessions_with_participant,
        {"visitor": set(), "member": set(), "participant": JOINED, "host": set(),
         "co_host": set(), "team": set(), "other_team": set(), "staff": set()},
    ),
    "online_link": (
        permissions.can_see_online_link,
        permissions.sessions_with_online_link_for,
        {"visitor": set(), "member": set(), "participant": JOINED, "host": OURS,
         "co_host": OURS, "team": OURS, "other_team": {"other"}, "staff": EVERY},
    ),
    "participant_list": (
        permissions.can_see_participants,
        permissions.sessions_with_participants_visible_to,
        {"visitor": {"public"}, "member": {"public"},
         "participant": {"public", "participants", "cancelled"}, "host": OURS,
         "co_host": OURS, "team": OURS, "other_team": {"public", "other"}, "staff": EVERY},
    ),
}  # fmt: skip

PEOPLE = ("visitor", "member", "participant", "host", "co_host", "team", "other_team", "staff")


@pytest.fixture
def world(db):
    programme = ProgrammeFactory()
    elsewhere = ProgrammeFactory()
    people = {
        "visitor": AnonymousUser(),
        "member": UserFactory(),
        "participant": UserFactory(),
        "host": UserFactory(),
        "co_host": UserFactory(),
        "team": MembershipFactory(programme=programme).user,
        "other_team": MembershipFactory(programme=elsewhere).user,
        "staff": UserFactory(is_staff=True),
    }
    ours = {"programme": programme, "host": people["host"]}
    sessions = {
        "public": SessionFactory(**ours, participant_visibility=V.PUBLIC),
        "participants": SessionFactory(**ours, participant_visibility=V.PARTICIPANTS),
        "hosts": SessionFactory(**ours, participant_visibility=V.HOSTS),
        "draft": SessionFactory(**ours, status="draft"),
        "cancelled": SessionFactory(
            **ours, status="cancelled", participant_visibility=V.PARTICIPANTS
        ),
        "other": SessionFactory(programme=elsewhere, participant_visibility=V.HOSTS),
    }
    for name, session in sessions.items():
        if name != "other":
            session.co_hosts.add(people["co_host"])
        if name in JOINED:
            RegistrationFactory(session=session, member=people["participant"])
        # Registrations that do not make a participant, and another member's confirmed one.
        RegistrationFactory(session=session, status="waitlisted", member=people["member"])
        RegistrationFactory(session=session)
    return people, sessions


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("rule", RULES)
def test_object_check_and_queryset_agree(world, rule, person):
    people, sessions = world
    check, queryset, expected = RULES[rule]
    user = people[person]
    by_object = {name for name, session in sessions.items() if check(user, session)}
    names = {session.pk: name for name, session in sessions.items()}
    by_queryset = {names[pk] for pk in queryset(user).values_list("pk", flat=True)}
    assert by_object == expected[person], "object check"
    assert by_queryset == expected[person], "queryset"


@pytest.mark.parametrize("rule", RULES)
def test_queryset_narrows_the_given_one_without_duplicates(world, rule):
    people, sessions = world
    _check, queryset, expected = RULES[rule]
    given = Session.objects.filter(status="published")
    for person in PEOPLE:
        found = list(queryset(people[person], given).values_list("pk", flat=True))
        assert len(found) == len(set(found))
        published = {n for n, s in sessions.items() if s.status == "published"}
        assert {s.pk for n, s in sessions.items() if n in expected[person] & published} == set(
            found
        )


def test_facilitation_queue_is_for_programme_teams(world):
    people, _sessions = world
    assert {p for p in PEOPLE if permissions.can_see_facilitation_queue(people[p])} == {
        "team",
        "other_team",
        "staff",
    }


def test_create_and_model_delegations(world):
    people, sessions = world
    assert not permissions.can_create_session(people["visitor"])
    assert permissions.can_create_session(people["member"])
    # Other apps (spaces, the registration service) ask the model; it answers by the policy.
    for person in PEOPLE:
        user = people[person]
        for session in sessions.values():
            assert session.can_manage(user) == permissions.can_manage_session(user, session)
            assert session.is_participant(user) == permissions.is_participant(user, session)
            assert session.programme.is_team_member(user) == permissions.can_publish_session(
                user, session
            )


def test_counts_are_not_multiplied_by_the_policy(world):
    # The queryset rules use subqueries, so counts annotated on a list stay right.
    from bouwplaats.events.selectors import session_list

    people, sessions = world
    for person in ("visitor", "co_host", "team", "staff"):
        listed = {s.pk: s.confirmed_count for s in session_list(user=people[person])}
        assert listed[sessions["public"].pk] == 2

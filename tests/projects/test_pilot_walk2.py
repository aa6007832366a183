"""A second fresh-eyes walk of the pilots: refused filters say so (page and API), Dutch
stemming in the pilots search, the pilot's pages under /pilots/<id>/ (old addresses 301), the
list's filters kept through a form post, a reason to reopen a finished milestone, a Dutch 404
with a way back for a pilot one may not see, the demo's dates relative to today."""

import datetime
import re

import pytest
from django.utils import timezone

from bouwplaats.core.models import AuditEntry
from bouwplaats.projects import services
from bouwplaats.projects.models import MilestoneReopening, Pilot, PilotMilestone
from tests.factories import OrganisationFactory, UserFactory

from .helpers import GEMEENTE
from .test_pilot_list import make_pilot

pytestmark = pytest.mark.django_db


# 2. Refused filters on /pilots/ and GET /api/v1/pilots -----------------------------------------


HOSTILE = [
    ({"status": "onzin"}, "status", "Kies een stand uit de lijst."),
    ({"oproep": "x"}, "oproep", "Kies een oproep uit de lijst."),
    ({"oproep": "999999"}, "oproep", "Kies een oproep uit de lijst."),
    ({"page": "-1"}, "page", "Het paginanummer moet een heel getal van 1 of meer zijn."),
    ({"page": "twee"}, "page", "Het paginanummer moet een heel getal van 1 of meer zijn."),
    ({"q": "x" * 10_000}, "q", "Gebruik ten hoogste 200 tekens."),
    ({"q": "ö" * 10_000}, "q", "Gebruik ten hoogste 200 tekens."),
    ({"status": "\x00"}, "status", "Kies een stand uit de lijst."),
    ({"oproep": "１２"}, "oproep", "Kies een oproep uit de lijst."),
]


@pytest.mark.parametrize(("query", "field", "message"), HOSTILE)
def test_a_refused_filter_is_named_on_the_page(client, pilot, planner, query, field, message):
    client.force_login(planner)
    response = client.get("/pilots/", query)
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert message in summary
    # Never echoed: not in the summary, not back in the search box.
    assert "x" * 201 not in summary and "ö" * 201 not in summary
    assert re.search(r'id="f-q"[^>]*value="(x|ö){201}', html) is None
    # The refused value filters nothing: the pilot is still listed.
    assert [p.pk for p in response.context["pilots"]] == [pilot.pk]
    if field != "page":
        assert f'id="f-{field}"' in html and "aria-invalid" in html


def test_a_valid_filter_shows_no_error(client, pilot, planner, call):
    client.force_login(planner)
    html = client.get("/pilots/", {"status": "geen", "oproep": call.pk, "page": "1"}).content
    assert b"data-error-summary" not in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "onzin"}, "status"),
        ({"call": "x"}, "call"),
        ({"call": "-3"}, "call"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "ö" * 10_000}, "q"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_the_api_refuses_a_bad_filter_with_422(api, pilot, planner, params, field):
    response = api(planner).get("/pilots", params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] and body["code"] == field and field in body["errors"]


@pytest.mark.parametrize("q", ["\x00", "a\x00b", "ï" * 200, "'; DROP TABLE x; --"])
def test_hostile_words_are_no_server_error(client, api, pilot, planner, q):
    client.force_login(planner)
    assert client.get("/pilots/", {"q": q}).status_code == 200
    assert api(planner).get("/pilots", {"q": q}).status_code in (200, 422)


# 3. Dutch stemming in the pilots search, page and API alike ------------------------------------


@pytest.fixture
def losser(call, team):
    organisation = OrganisationFactory(name="Gemeente Losser", kind=GEMEENTE)
    return {
        "dorp": make_pilot(call, organisation, "Wonen in de dorpskern"),
        "woning": make_pilot(call, organisation, "Tijdelijke woning bij de kerk"),
    }


@pytest.mark.parametrize(
    ("q", "sees"),
    [
        ("dorpskernen", ["dorp"]),  # plural of the title's word
        ("Dorpskernen Losser", ["dorp"]),
        ("kernen", ["dorp"]),  # a compound part, as the search finds it
        ("woningen", ["woning"]),
        ("WONINGEN losser", ["woning"]),
        ("wonen", ["dorp"]),  # "wonen" and "woning" are two words for the search too
        ("dorpskern", ["dorp"]),
        ("tijdelijk", ["woning"]),  # part of a word still finds it
        ("kernen woningen", []),
    ],
)
def test_the_search_stems_dutch_words_on_page_and_api(client, api, losser, team, q, sees):
    expected = sorted(losser[name].pk for name in sees)
    client.force_login(team)
    response = client.get("/pilots/", {"q": q})
    assert sorted(p.pk for p in response.context["pilots"]) == expected
    answer = api(team).get("/pilots", {"q": q})
    assert sorted(item["id"] for item in answer.json()["items"]) == expected


# 4. A pilot's pages under /pilots/<id>/, old addresses 301, the breadcrumb ------------------


def test_a_pilot_lives_under_pilots_and_the_breadcrumb_names_it(client, pilot, planner):
    assert pilot.get_absolute_url() == f"/pilots/{pilot.pk}/"
    client.force_login(planner)
    html = client.get(f"/pilots/{pilot.pk}/").content.decode()
    crumbs = re.search(r'<nav aria-label="Kruimelpad"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", crumbs).split() == ["Pilots", "›", *pilot.title.split()]
    assert "Aanmelding" not in crumbs
    # The submission and programme are still one click away.
    assert pilot.submission.get_absolute_url() in html
    # Every form of the page posts under /pilots/<id>/.
    actions = re.findall(r'<form method="post" action="(/(?:pilots|oproepen)/[^"]+)"', html)
    assert len(actions) == 4 and all(a.startswith(f"/pilots/{pilot.pk}/") for a in actions)


@pytest.mark.parametrize("tail", ["", "rapportage/", "mijlpaal/", "hulpvraag/", "evaluatie/",
                                  "hulpvraag/7/"])  # fmt: skip
def test_the_old_addresses_answer_301(client, pilot, tail):
    response = client.get(f"/oproepen/pilots/{pilot.pk}/{tail}?lijst=status%3Drisico")
    assert response.status_code == 301
    assert response["Location"] == f"/pilots/{pilot.pk}/{tail}?lijst=status%3Drisico"


def test_the_api_paths_do_not_move(api, pilot, planner):
    assert api(planner).get(f"/pilots/{pilot.pk}").json()["url"].endswith(f"/pilots/{pilot.pk}/")


# 5. The list's filters survive a form post on the pilot's page ----------------------------------


def test_the_filters_come_back_after_a_report(client, pilot, planner):
    client.force_login(planner)
    page_url = f"/pilots/{pilot.pk}/?lijst=status%3Dgeen%26page%3D2%26q%3Dhaven"
    html = client.get(page_url).content.decode()
    assert html.count('name="next" value="/pilots/') >= 4
    report = {"status": "op_koers", "reason": "Loopt", "next": page_url}
    response = client.post(f"/pilots/{pilot.pk}/rapportage/", report)
    assert response.status_code == 302 and response["Location"] == page_url
    back = client.get(response["Location"]).content.decode()
    assert 'href="/pilots/?status=geen&amp;q=haven&amp;page=2" data-back' in back


def test_a_refused_post_keeps_the_way_back(client, pilot, planner):
    client.force_login(planner)
    page_url = f"/pilots/{pilot.pk}/?lijst=q%3Dhaven"
    response = client.post(f"/pilots/{pilot.pk}/rapportage/", {"status": "", "next": page_url})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="/pilots/?q=haven" data-back' in html
    assert f'name="next" value="/pilots/{pilot.pk}/?lijst=q%3Dhaven"' in html


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/pilots/1/", "/pilots/999999/", "/beheer/",
     "javascript:alert(1)", "/" + "x" * 5000, "\x00"],
)  # fmt: skip
def test_an_unsafe_next_goes_to_the_pilots_page(client, pilot, planner, next_url):
    client.force_login(planner)
    report = {"status": "op_koers", "reason": "Loopt", "next": next_url}
    response = client.post(f"/pilots/{pilot.pk}/rapportage/", report)
    assert response.status_code == 302 and response["Location"] == f"/pilots/{pilot.pk}/"


# 6. Reopening a finished milestone needs a reason ------------------------------------------------


@pytest.fixture
def finished(pilot, planner):
    milestone = pilot.milestones.get()
    return services.milestone_update(actor=planner, milestone=milestone, status="gereed")


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_service_refuses_a_reopening_without_reason(finished, planner, reason):
    with pytest.raises(services.InvalidInput) as refused:
        services.milestone_update(actor=planner, milestone=finished, status="gepland",
                                  reason=reason)  # fmt: skip
    assert refused.value.code == "reason"
    assert "waarom deze afgeronde mijlpaal weer open gaat" in refused.value.message
    finished.refresh_from_db()
    assert finished.status == "gereed" and not MilestoneReopening.objects.exists()


def test_the_page_asks_for_a_reason_then_shows_the_reopening(client, finished, planner):
    client.force_login(planner)
    url = f"/pilots/{finished.pilot_id}/mijlpaal/"
    data = {"mijlpaal-milestone": finished.pk, "mijlpaal-status": "gepland"}
    response = client.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    errors = re.search(r'id="id_mijlpaal-reason_errors">(.*?)</ul>', html, re.S).group(1)
    assert "Geef aan waarom deze afgeronde mijlpaal weer open gaat." in errors
    assert PilotMilestone.objects.get(pk=finished.pk).status == "gereed"
    response = client.post(url, {**data, "mijlpaal-reason": "Oplevering afgekeurd"}, follow=True)
    html = response.content.decode()
    assert PilotMilestone.objects.get(pk=finished.pk).status == "gepland"
    today = timezone.localdate()
    assert "data-reopened" in html and "Oplevering afgekeurd" in html and "(Jan Pluim)" in html
    assert str(today.year) in html
    entry = AuditEntry.objects.get(action="projects.milestone.reopened")
    assert entry.data["reason"] == "Oplevering afgekeurd" and entry.data["previous"] == "gereed"


def test_the_api_asks_for_a_reason_then_lists_the_reopening(api, finished, planner):
    url = f"/pilots/{finished.pilot_id}/milestones/{finished.pk}"
    response = api(planner).patch(url, {"status": "gepland"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "reason" and "afgeronde mijlpaal" in body["errors"]["reason"][0]
    assert body["detail"]
    response = api(planner).patch(url, {"status": "gepland", "reason": "Oplevering afgekeurd"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "gepland"
    assert response.json()["reopenings"][0]["reason"] == "Oplevering afgekeurd"
    pilot = api(planner).get(f"/pilots/{finished.pilot_id}").json()
    assert pilot["milestones"][0]["id"] == finished.pk
    assert pilot["milestones"][0]["reopenings"][0]["previous"] == "gereed"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"status": "gepland", "reason": "x" * 10_000}, "reason"),
     ({"status": "gepland", "reason": "regel\neen"}, "reason"),
     ({"status": "klaar"}, "status"),
     ({"current": "2020-01-01", "reason": "x"}, "current")],
)  # fmt: skip
def test_the_api_refuses_bad_milestone_input(api, finished, planner, body, field):
    response = api(planner).patch(f"/pilots/{finished.pilot_id}/milestones/{finished.pk}", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_the_api_milestone_access(api, finished, outsider, team):
    url = f"/pilots/{finished.pilot_id}/milestones/{finished.pk}"
    body = {"status": "gepland", "reason": "Afgekeurd"}
    assert api().patch(url, body).status_code == 401
    assert api(outsider).patch(url, body).status_code == 404
    assert (
        api(team).patch(f"/pilots/{finished.pilot_id}/milestones/999999", body).status_code == 404
    )
    assert api(team).patch(url, body).status_code == 200


def test_finishing_and_dropping_need_no_reason(pilot, planner):
    milestone = pilot.milestones.get()
    services.milestone_update(actor=planner, milestone=milestone, status="vervallen")
    with pytest.raises(services.InvalidInput):
        services.milestone_update(actor=planner, milestone=milestone, status="gepland")
    services.milestone_update(actor=planner, milestone=milestone, status="gereed")
    assert PilotMilestone.objects.get(pk=milestone.pk).status == "gereed"


# 7. A pilot one may not see: the platform's 404, in Dutch with a way back ------------------------


@pytest.mark.parametrize("who", ["outsider", "unverified", "stranger"])
def test_a_hidden_pilot_answers_a_dutch_404_with_a_way_back(client, pilot, request, who):
    user = UserFactory() if who == "stranger" else request.getfixturevalue(who)
    client.force_login(user)
    hidden = client.get(f"/pilots/{pilot.pk}/")
    missing = client.get("/pilots/999999/")
    for response in (hidden, missing):
        assert response.status_code == 404
        html = response.content.decode()
        assert "Pilot niet gevonden" in html and 'href="/pilots/"' in html
        assert pilot.title not in html

    # The same answer whether or not the pilot exists: nothing says it does.
    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(hidden) == main(missing)
    post = client.post(f"/pilots/{pilot.pk}/rapportage/", {"status": "op_koers", "reason": "x"})
    assert post.status_code == 404 and "Pilot niet gevonden" in post.content.decode()


def test_the_rule_is_written_down():
    from bouwplaats.projects import permissions

    assert "404, never 403" in permissions.__doc__


# 8. The demo's pilots are dated relative to today -------------------------------------------


def test_the_demo_pilots_are_recent_and_load_twice(db):
    from bouwplaats.core.demo import demo_load

    demo_load()
    demo_load()
    today = timezone.localdate()
    pilots = list(Pilot.objects.prefetch_related("reports", "milestones"))
    assert pilots
    for pilot in pilots:
        reports = list(pilot.reports.all())
        assert reports, pilot
        last = max(r.at for r in reports)
        # The last report within the pilot's rhythm: the demo shows a pilot that reports.
        assert timezone.now() - last < datetime.timedelta(days=pilot.report_every_days), pilot
        milestones = list(pilot.milestones.all())
        assert any(m.current > today for m in milestones), pilot
        assert all(abs((m.current - today).days) < 3 * 365 for m in milestones), pilot


# A refused form stays on its POST address: reloading that address later is no dead end -------


@pytest.mark.parametrize("tail", ["rapportage/", "mijlpaal/", "hulpvraag/", "evaluatie/",
                                  "hulpvraag/7/"])  # fmt: skip
def test_a_form_address_opened_by_get_leads_to_the_pilot(client, pilot, planner, tail):
    client.force_login(planner)
    response = client.get(f"/pilots/{pilot.pk}/{tail}")
    assert response.status_code == 302 and response["Location"] == f"/pilots/{pilot.pk}/"
    # A visitor is asked to log in first; a hidden pilot stays hidden behind the page's 404.
    client.logout()
    assert client.get(f"/pilots/{pilot.pk}/{tail}")["Location"].startswith("/account/login/")

"""The page and the API refuse the same bad values, name the same field and store nothing.

One table per model; each row goes through the page's form and through the API. The rules
themselves live on the models (newsletters/models.py) and run in the services.
"""

import pytest
from django.core import mail

from bouwplaats.newsletters.models import Issue, NewsletterList, Subscription
from tests.refusals import HUGE, api_fields, page_fields

pytestmark = pytest.mark.django_db


# field, bad value
SUBSCRIPTION_CASES = [
    ("email", "geen-adres"),
    ("email", "a" * 250 + "@example.nl"),
    ("email", "iemand@example.nl\nBcc: ander@example.nl"),
    ("name", "x" * 201),
    ("name", "Anna\nBcc: ander@example.nl"),
    ("name", "Anna\x00"),
    ("name", "Anna\x07"),
]


@pytest.mark.parametrize(("field", "value"), SUBSCRIPTION_CASES)
def test_subscription_page_and_api_refuse_the_same(client, api, newsletter_list, field, value):
    data = {"email": "lezer@example.nl", "name": "Lezer", field: value}
    prefix = f"list{newsletter_list.pk}"
    page = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/aanmelden/",
        {f"{prefix}-{key}": item for key, item in data.items()},
    )
    assert page.status_code == 400
    assert page_fields(page.content.decode()) == {field}
    response = api().post(f"/newsletters/lists/{newsletter_list.pk}/subscribers", data)
    assert response.status_code == 422, response.content
    assert api_fields(response) == {field}
    assert Subscription.objects.count() == 0
    assert not mail.outbox


ISSUE_CASES = [
    ("subject", ""),
    ("subject", "x" * 201),
    ("subject", "x" * 250),
    ("subject", "Nieuwsflits\nBcc: iedereen@example.nl"),
    ("subject", "Nieuwsflits\x00"),
    ("intro", "x" * 20_001),
    ("intro", "Beste lezer,\x07"),
    ("signature_name", "Diana\nKool"),
    ("signature_name", "x" * 201),
    ("signature_role", "Trekker\rDGMo"),
    ("agenda_days", -1),
    ("agenda_days", 367),
    ("agenda_days", 10**20),
]


@pytest.mark.parametrize(("field", "value"), ISSUE_CASES)
def test_issue_page_and_api_refuse_the_same(
    client, api, newsletter_list, team_member, field, value
):
    data = {"subject": "Nieuwsflits oktober", "agenda_days": 60, field: value}
    client.force_login(team_member)
    page = client.post(f"/nieuwsflits/{newsletter_list.slug}/nieuw/", data)
    assert page.status_code == 200
    assert page_fields(page.content.decode()) == {field}
    response = api(team_member).post(f"/newsletters/lists/{newsletter_list.pk}/issues", data)
    assert response.status_code == 422, response.content
    assert api_fields(response) == {field}
    assert Issue.objects.count() == 0


# The blocks are one text on the page ("## Titel" lines) and a list in the API.
# The API keys the refused block's field by its dotted path, whichever layer refused it (the
# schema a title, the service a text too long).
BLOCK_CASES = [
    ("## " + "x" * 201 + "\nTekst", [{"title": "x" * 201, "text": "Tekst"}], "blocks.0.title"),
    ("## Titel\x07\nTekst", [{"title": "Titel\x07", "text": "Tekst"}], "blocks.0.title"),
    ("## Titel\n" + "x" * 20_001, [{"title": "Titel", "text": "x" * 20_001}], "blocks.0.text"),
]


@pytest.mark.parametrize(("text", "blocks", "api_field"), BLOCK_CASES)
def test_issue_blocks_refused_alike(
    client, api, newsletter_list, team_member, text, blocks, api_field
):
    client.force_login(team_member)
    page = client.post(
        f"/nieuwsflits/{newsletter_list.slug}/nieuw/",
        {"subject": "Nieuwsflits", "agenda_days": 60, "blocks": text},
    )
    assert page_fields(page.content.decode()) == {"blocks"}
    response = api(team_member).post(
        f"/newsletters/lists/{newsletter_list.pk}/issues",
        {"subject": "Nieuwsflits", "blocks": blocks},
    )
    assert response.status_code == 422, response.content
    assert api_fields(response) == {api_field, api_field.split(".", 1)[0]}
    assert Issue.objects.count() == 0


def test_an_edit_refused_changes_nothing(client, newsletter_list, team_member):
    from bouwplaats.newsletters import services

    issue = services.issue_create(
        newsletter_list=newsletter_list, user=team_member, subject="Oud onderwerp"
    )
    client.force_login(team_member)
    page = client.post(
        f"/nieuwsflits/uitgave/{issue.pk}/bewerken/", {"subject": "x" * 250, "agenda_days": 60}
    )
    assert page_fields(page.content.decode()) == {"subject"}
    issue.refresh_from_db()
    assert issue.subject == "Oud onderwerp"


@pytest.mark.parametrize("bad_id", ["٣", "²", HUGE, "0"])
def test_bad_ids_in_api_paths_are_refused_naming_the_id(api, newsletter_list, team_member, bad_id):
    client = api(team_member)
    subscribe = client.post(f"/newsletters/lists/{bad_id}/subscribers", {"email": "a@example.nl"})
    create = client.post(f"/newsletters/lists/{bad_id}/issues", {"subject": "Nieuwsflits"})
    show = client.get(f"/newsletters/issues/{bad_id}")
    send = client.post(f"/newsletters/issues/{bad_id}/send")
    assert api_fields(subscribe) == api_fields(create) == {"list_id"}
    assert api_fields(show) == api_fields(send) == {"issue_id"}
    assert {subscribe.status_code, create.status_code, show.status_code, send.status_code} == {422}
    assert Subscription.objects.count() == Issue.objects.count() == 0


@pytest.mark.parametrize("bad_id", ["٣", "²", HUGE])
def test_bad_ids_on_pages_are_not_found(client, newsletter_list, team_member, bad_id):
    client.force_login(team_member)
    for url in [f"/nieuwsflits/uitgave/{bad_id}/", f"/nieuwsflits/uitgave/{bad_id}/bewerken/"]:
        assert client.get(url).status_code == 404
    # "Mijn nieuwsbrieven" takes the list's id from the form.
    response = client.post("/nieuwsflits/mijn/", {"list": bad_id, "action": "subscribe"})
    assert response.status_code == 404
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Nieuwsflits\nX"), ("name", "x" * 201), ("slug", "met spatie"),
     ("description", "Over\x00ons")],
)  # fmt: skip
def test_newsletter_list_model_refuses(programme, field, value):
    from bouwplaats.core.errors import InvalidInput
    from bouwplaats.core.validation import validate_instance

    newsletter_list = NewsletterList(programme=programme, name="Nieuwsflits", slug="nieuwsflits")
    setattr(newsletter_list, field, value)
    with pytest.raises(InvalidInput) as error:
        validate_instance(newsletter_list)
    assert list(error.value.errors) == [field]


def test_openapi_shows_the_models_limits():
    from bouwplaats.api import api

    doc = api.get_openapi_schema()
    issue = doc["components"]["schemas"]["IssueIn"]["properties"]
    assert issue["subject"]["maxLength"] == Issue._meta.get_field("subject").max_length == 200
    assert (issue["agenda_days"]["minimum"], issue["agenda_days"]["maximum"]) == (0, 366)
    subscribe = doc["components"]["schemas"]["SubscribeIn"]["properties"]
    assert subscribe["name"]["maxLength"] == 200 and subscribe["email"]["maxLength"] == 254
    (parameter,) = doc["paths"]["/api/v1/newsletters/issues/{issue_id}"]["get"]["parameters"]
    assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, 2**63 - 1)

"""The visitors' page cache (core/page_cache.py): what is cached, for whom, and how long.

Each cached page type shows a change as documented: publishing, changing or cancelling a
session and saving a knowledge item or question at once (the services bump the version after
the commit), seat counts and works within VISITOR_PAGE_CACHE_SECONDS. A member is never served
a cached page, and each visitor's forms carry a CSRF token of their own.
"""

import re
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from bouwplaats.core import page_cache
from bouwplaats.events import services as event_services
from bouwplaats.events.models import Session
from bouwplaats.knowledge import services as knowledge_services
from bouwplaats.knowledge.models import KnowledgeItem, Question
from tests.factories import MembershipFactory, SessionFactory, ThemeFactory, UserFactory

SECONDS = 30
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _page_cache(settings):
    """The cache on, in a cache of this test alone (local memory, emptied per test)."""
    settings.VISITOR_PAGE_CACHE_SECONDS = SECONDS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def at(moment):
    """Patch the local-memory cache's clock (its entries' expiry) to ``moment``."""
    return mock.patch("django.core.cache.backends.locmem.time.time", return_value=moment)


def visit(path, client=None):
    return (client or Client()).get(path).content.decode()


@pytest.mark.django_db
def test_a_visitor_is_served_the_cached_page_until_the_service_changes_the_session(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(title="Warmtenet in de wijk")
    list_url, page_url = reverse("events:list"), session.get_absolute_url()
    assert "Warmtenet in de wijk" in visit(list_url) and "Warmtenet in de wijk" in visit(page_url)
    # A write that goes around the services is not seen: the pages come from the cache.
    Session.objects.filter(pk=session.pk).update(title="Stiekem veranderd")
    assert "Warmtenet in de wijk" in visit(list_url) and "Warmtenet in de wijk" in visit(page_url)
    # The host changes the title through the service: both pages show it on the next request.
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.session_update(session=session, actor=session.host, title="Warmtenet 2.0")
    assert "Warmtenet 2.0" in visit(list_url) and "Warmtenet 2.0" in visit(page_url)


@pytest.mark.django_db
def test_a_published_session_and_a_cancellation_show_at_once(django_capture_on_commit_callbacks):
    programme_team = MembershipFactory().user
    programme = programme_team.programme_memberships.get().programme
    draft = SessionFactory(programme=programme, status="draft", title="Nieuw: netcongestie")
    list_url = reverse("events:list")
    assert "Nieuw: netcongestie" not in visit(list_url)
    assert Client().get(draft.get_absolute_url()).status_code == 404  # never cached
    with django_capture_on_commit_callbacks(execute=True):
        event_services.session_publish(session=draft, actor=programme_team)
    assert "Nieuw: netcongestie" in visit(list_url)
    assert Client().get(draft.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        event_services.session_cancel(session=draft, actor=programme_team, reason="Ziekte")
    assert "Geannuleerd" in visit(list_url) and "Ziekte" in visit(draft.get_absolute_url())


@pytest.mark.django_db
def test_seat_counts_after_a_registration_show_within_the_stated_time(
    django_capture_on_commit_callbacks,
):
    session = SessionFactory(capacity=20)
    page_url = session.get_absolute_url()
    before = time.time()
    assert "0 van 20 plaatsen bezet" in visit(reverse("events:list"))
    visit(page_url)
    stored = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.registration_create(session=session, member=UserFactory())
    # Within the stated time the visitor may still read the count before the registration …
    with at(before + SECONDS - 1):
        assert "0 van 20 plaatsen bezet" in visit(reverse("events:list"))
    # … and once it has passed, the new count.
    with at(stored + SECONDS + 1):
        assert "1 van 20 plaatsen bezet" in visit(reverse("events:list"))


@pytest.mark.django_db
def test_an_unpublished_knowledge_item_leaves_the_cached_pages_at_once(
    django_capture_on_commit_callbacks,
):
    team = MembershipFactory().user
    programme = team.programme_memberships.get().programme
    theme = ThemeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        item = knowledge_services.knowledge_item_create(
            actor=team, type="model", title="Coöperatief programmamanagement",
            programme=programme, themes=[theme], body="Een model.", publish=True,
        )  # fmt: skip
    index_url, item_url = reverse("knowledge:index"), item.get_absolute_url()
    assert "Coöperatief programmamanagement" in visit(index_url)
    assert Client().get(item_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.knowledge_item_curate(actor=team, item=item, status="concept")
    assert "Coöperatief programmamanagement" not in visit(index_url)
    assert Client().get(item_url).status_code == 404


@pytest.mark.django_db
def test_a_new_question_shows_on_the_knowledge_index_at_once(django_capture_on_commit_callbacks):
    asker = UserFactory()
    index_url = reverse("knowledge:index")
    assert "Wie kent een goede warmtescan?" not in visit(index_url)
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_create(
            actor=asker, title="Wie kent een goede warmtescan?", body="Voor een wijk."
        )
    assert "Wie kent een goede warmtescan?" in visit(index_url)


@pytest.mark.django_db
def test_the_residents_map_is_cached_for_the_stated_time():
    url = reverse("planning:public")
    before = time.time()
    assert Client().get(url).status_code == 200
    stored = time.time()
    from django.core.cache import cache

    key = page_cache._page_key(_request(url), ("planning",))
    assert cache.get(key) is not None
    # Works saved in the meantime show once the entry has expired.
    with at(before + SECONDS - 1):
        assert cache.get(key) is not None
    with at(stored + SECONDS + 1):
        assert cache.get(key) is None


def _request(path):
    from django.test import RequestFactory
    from django.utils import translation

    translation.activate("nl")
    return RequestFactory().get(path)


@pytest.mark.django_db
def test_a_member_never_gets_a_cached_page_nor_stores_one():
    session = SessionFactory(title="Samen bouwen")
    member, other = UserFactory(), UserFactory()
    visitor_page = visit(session.get_absolute_url())
    assert "Inloggen" in visitor_page and "Uitloggen" not in visitor_page
    first, second = Client(), Client()
    first.force_login(member)
    second.force_login(other)
    for client in (first, second):
        page = visit(session.get_absolute_url(), client)
        assert "Uitloggen" in page and "Inloggen" not in page
    # Nothing a member saw was stored for a visitor either.
    assert "Uitloggen" not in visit(session.get_absolute_url())


@pytest.mark.django_db
def test_each_visitor_gets_a_csrf_token_of_their_own_that_the_language_switch_accepts():
    SessionFactory()
    url = reverse("events:list")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    miss, hit = first.get(url), second.get(url)
    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    [miss_token] = set(TOKEN.findall(miss.content.decode()))
    [hit_token] = set(TOKEN.findall(hit.content.decode()))
    assert hit_token != miss_token
    assert "Cookie" in hit["Vary"]
    answer = second.post(reverse("set_language"), {"language": "en", "next": url,
                                                    "csrfmiddlewaretoken": hit_token})  # fmt: skip
    assert answer.status_code == 302
    # The page in English is another cache entry.
    assert 'lang="en"' in second.get(url).content.decode()
    assert 'lang="nl"' in Client().get(url).content.decode()


@pytest.mark.django_db
def test_a_visitor_with_flashed_messages_or_a_session_is_not_served_from_the_cache():
    SessionFactory(title="Eerste")
    url = reverse("events:list")
    visit(url)
    Session.objects.update(title="Veranderd")
    assert "Eerste" in visit(url)
    with_messages = Client()
    with_messages.cookies["messages"] = "x"
    assert "Veranderd" in visit(url, with_messages)
    with_session = Client()
    with_session.cookies["sessionid"] = "x"
    assert "Veranderd" in visit(url, with_session)


@pytest.mark.django_db
def test_a_page_with_a_token_in_another_shape_is_not_stored(rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    def view(request):
        token = get_token(request)
        return HttpResponse(f'<meta name="csrf" content="{token}">'
                            f'<input name="csrfmiddlewaretoken" value="{token}">')  # fmt: skip

    cached = page_cache.visitor_page_cache("events")(view)
    request = _request("/x/")
    cached(request)
    from django.core.cache import cache

    assert cache.get(page_cache._page_key(request, ("events",))) is None


@pytest.mark.django_db
def test_off_with_zero_seconds(settings):
    settings.VISITOR_PAGE_CACHE_SECONDS = 0
    SessionFactory(title="Eerste")
    url = reverse("events:list")
    visit(url)
    Session.objects.update(title="Veranderd")
    assert "Veranderd" in visit(url)


@pytest.mark.django_db
def test_with_the_cache_unreachable_pages_are_served_uncached(
    settings, django_capture_on_commit_callbacks
):
    import socket

    from bouwplaats.settings import cache_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the probe is closed
    settings.CACHES = {"default": cache_settings(f"redis://127.0.0.1:{port}/0")}
    session = SessionFactory(title="Eerste")
    url = reverse("events:list")
    assert "Eerste" in visit(url)
    Session.objects.update(title="Veranderd")
    assert "Veranderd" in visit(url)
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        event_services.session_update(session=session, actor=session.host, title="Derde")
    assert "Derde" in visit(url)


@pytest.mark.django_db
def test_the_search_page_shows_a_change_to_what_visitors_find_at_once(
    settings, django_capture_on_commit_callbacks
):
    settings.VISITOR_PAGE_CACHE_SECONDS = 3600  # no expiry on a slow machine: bumps only
    team = MembershipFactory().user
    programme = team.programme_memberships.get().programme
    with django_capture_on_commit_callbacks(execute=True):
        item = knowledge_services.knowledge_item_create(
            actor=team, type="model", title="Warmtescan voor de wijk", programme=programme,
            themes=[ThemeFactory()], body="Een model.", publish=True,
        )  # fmt: skip
    url = reverse("search:results") + "?q=warmtescan"
    assert "Warmtescan voor de wijk" in visit(url)
    # A write around the services is not seen: the page comes from the cache.
    from bouwplaats.search.models import Entry

    Entry.objects.update(title="Stiekem veranderd")
    assert "Warmtescan voor de wijk" in visit(url)
    # A new question visitors may find shows on the next request …
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_create(
            actor=UserFactory(), title="Wie doet een warmtescan?", body="Voor een wijk."
        )
    assert "Wie doet een warmtescan?" in visit(url)
    # … and so does an item that visitors may no longer find.
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.knowledge_item_curate(actor=team, item=item, status="concept")
    page = visit(url)
    assert "Wie doet een warmtescan?" in page and "Stiekem veranderd" not in page


@pytest.mark.django_db
def test_a_search_page_follows_its_own_terms_only(settings, django_capture_on_commit_callbacks):
    """A question about another word leaves the cached results standing; a question that
    holds the word (in its text only) and a question edited away from it show at once."""
    settings.VISITOR_PAGE_CACHE_SECONDS = 3600
    from bouwplaats.search.models import Entry

    asker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        question = knowledge_services.question_create(
            actor=asker, title="Wie doet een warmtescan?", body="Voor een wijk."
        )
    url = reverse("search:results") + "?q=warmtescan"
    assert "Wie doet een warmtescan?" in visit(url)
    Entry.objects.filter(object_id=question.pk).update(title="Stiekem veranderd")
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_create(actor=UserFactory(), title="Wie weet iets van water?")
    assert "Wie doet een warmtescan?" in visit(url)  # still the cached page
    # The word in the text alone is enough …
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_create(
            actor=UserFactory(), title="Een vraag over de wijk", body="Doet iemand warmtescans?"
        )
    page = visit(url)
    assert "Een vraag over de wijk" in page and "Stiekem veranderd" in page
    # … and an entry that no longer holds the word leaves the page (its old terms count).
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_update(
            actor=asker, question=question, title="Wie doet een energiescan?", body="Graag."
        )
    page = visit(url)
    assert "Stiekem veranderd" not in page and "energiescan" not in page
    assert "Een vraag over de wijk" in page


@pytest.mark.django_db
def test_a_member_searching_is_never_served_a_visitors_search_page_nor_stores_one(
    settings, django_capture_on_commit_callbacks
):
    settings.VISITOR_PAGE_CACHE_SECONDS = 3600
    from bouwplaats.search.models import Entry

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_create(
            actor=UserFactory(), title="Wie doet een warmtescan?", body="Voor een wijk."
        )
    url = reverse("search:results") + "?q=warmtescan"
    assert "Wie doet een warmtescan?" in visit(url)
    Entry.objects.update(title="Alleen nu te zien")
    member = Client()
    member.force_login(UserFactory())
    page = visit(url, member)
    assert "Alleen nu te zien" in page and "Uitloggen" in page
    # What the member got was not stored for visitors either.
    assert "Uitloggen" not in visit(url) and "Wie doet een warmtescan?" in visit(url)


# API lists kept for every caller who gets the same answer (page_cache.shared_api_cache).


def _linked_item(django_capture_on_commit_callbacks, *sessions):
    team = MembershipFactory().user
    programme = team.programme_memberships.get().programme
    with django_capture_on_commit_callbacks(execute=True):
        return knowledge_services.knowledge_item_create(
            actor=team, type="model", title="Warmtescan per wijk", programme=programme,
            body="Een model.", publish=True, sessions=sessions,
        )  # fmt: skip


def _first(answer) -> dict:
    assert answer.status_code == 200, answer.content
    return answer.json()["items"][0]


@pytest.mark.django_db
def test_the_knowledge_api_list_is_kept_for_callers_who_see_what_a_visitor_sees(
    api, django_capture_on_commit_callbacks
):
    published = SessionFactory()
    item = _linked_item(django_capture_on_commit_callbacks, published)
    assert _first(api().get("/knowledge"))["title"] == "Warmtescan per wijk"
    # Around the services: not seen by a visitor nor by a member who sees what visitors see.
    KnowledgeItem.objects.filter(pk=item.pk).update(title="Stiekem veranderd")
    assert _first(api().get("/knowledge"))["title"] == "Warmtescan per wijk"
    assert _first(api(UserFactory()).get("/knowledge"))["title"] == "Warmtescan per wijk"
    # Through the service: at once.
    item.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.knowledge_item_update(
            actor=item.created_by, item=item, title="Warmtescan 2.0"
        )
    assert _first(api(UserFactory()).get("/knowledge"))["title"] == "Warmtescan 2.0"


@pytest.mark.django_db
def test_a_session_published_shows_in_the_knowledge_api_links_at_once(
    api, django_capture_on_commit_callbacks
):
    team = MembershipFactory().user
    draft = SessionFactory(status="draft", programme=team.programme_memberships.get().programme)
    _linked_item(django_capture_on_commit_callbacks, draft)
    assert _first(api().get("/knowledge"))["links"]["sessions"] == []
    with django_capture_on_commit_callbacks(execute=True):
        event_services.session_publish(session=draft, actor=team)
    assert _first(api().get("/knowledge"))["links"]["sessions"] == [draft.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["visitor", "host"])
def test_a_member_who_sees_a_draft_never_gets_nor_stores_the_visitors_knowledge_list(
    api, django_capture_on_commit_callbacks, first, admin_user
):
    published, draft = SessionFactory(), SessionFactory(status="draft")
    item = _linked_item(django_capture_on_commit_callbacks, published)
    item.sessions.add(draft)  # a draft linked: only who may see it sees the link
    visitor_links, host_links = [published.pk], sorted([published.pk, draft.pk])
    callers = {"visitor": (api(), visitor_links), "host": (api(draft.host), host_links)}
    order = [first, *(name for name in callers if name != first)]
    for _round in range(2):
        for name in order:
            client, links = callers[name]
            assert sorted(_first(client.get("/knowledge"))["links"]["sessions"]) == links
    assert sorted(_first(api(admin_user).get("/knowledge"))["links"]["sessions"]) == host_links


@pytest.mark.django_db
def test_the_questions_api_list_is_kept_and_a_new_question_shows_at_once(
    api, django_capture_on_commit_callbacks, django_assert_num_queries
):
    asker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        question = knowledge_services.question_create(
            actor=asker, title="Wie kent een goede warmtescan?", body="Voor een wijk."
        )
    member = api(UserFactory())
    assert _first(member.get("/questions"))["title"] == "Wie kent een goede warmtescan?"
    Question.objects.filter(pk=question.pk).update(title="Stiekem veranderd")
    # Kept: the answer costs the token's query alone, for a visitor none.
    with django_assert_num_queries(1):
        assert _first(member.get("/questions"))["title"] == "Wie kent een goede warmtescan?"
    with django_assert_num_queries(0):
        assert _first(api().get("/questions"))["title"] == "Wie kent een goede warmtescan?"
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.question_create(actor=asker, title="Wie heeft een warmteplan?")
    assert _first(member.get("/questions"))["title"] == "Wie heeft een warmteplan?"


@pytest.mark.django_db
def test_a_refused_api_call_is_never_answered_from_the_kept_list(api):
    assert api().get("/questions").status_code == 200
    assert api().get("/questions", headers={"Authorization": "Bearer kwijt"}).status_code == 401
    assert api().get("/questions?limit=0").status_code == 422


@pytest.mark.django_db
def test_a_session_published_shows_on_its_knowledge_items_page_at_once(
    django_capture_on_commit_callbacks,
):
    team = MembershipFactory().user
    draft = SessionFactory(
        status="draft",
        title="Warmte in Wijk Oost",
        programme=team.programme_memberships.get().programme,
    )
    item = _linked_item(django_capture_on_commit_callbacks, draft)
    assert "Warmte in Wijk Oost" not in visit(item.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        event_services.session_publish(session=draft, actor=team)
    assert "Warmte in Wijk Oost" in visit(item.get_absolute_url())

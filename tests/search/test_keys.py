"""Filter keys as full-text tokens: one token per value, never a word, filters exact."""

from datetime import UTC, datetime

import pytest

from bouwplaats.search import selectors
from bouwplaats.search.documents import SearchDocument
from bouwplaats.search.keys import access_tokens, entry_keys, token
from bouwplaats.search.models import Entry
from bouwplaats.search.services import _write


def test_a_token_is_its_namespace_and_the_escaped_value():
    assert token("acc", "public") == "acc_public"
    assert token("acc", "org:7") == "acc_org_3a7"
    assert token("theme", "Wonen-en_zorg") == "theme__57onen_2den_5fzorg"
    assert token("prog", 12) == "prog_12"


@pytest.mark.parametrize("values", [("a-b", "a_b", "a:b", "a b", "A-b", "a_2db", "ab")])
def test_different_values_give_different_tokens_and_never_a_word(values):
    tokens = [token("theme", v) for v in values]
    assert len(set(tokens)) == len(values)
    assert all("_" in t and t.isascii() and " " not in t for t in tokens)


def test_public_entries_hold_the_members_key_and_members_ask_for_it_alone():
    keys = entry_keys(kind="session", access={"public"}, programme_id=3, themes=["wonen"])
    assert keys == "acc_member acc_public prog_3 theme_wonen type_session"
    assert entry_keys(kind="work", access={"org:7"}, programme_id=None, themes=()) == (
        "acc_org_3a7 type_work"
    )
    assert access_tokens({"public"}) == ["acc_public"]
    assert access_tokens({"public", "member", "org:7"}) == ["acc_member", "acc_org_3a7"]


def _doc(object_id, *, access, kind="question", themes=(), programme_id=None, title=None):
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        title=title or f"Bewonersavond {object_id}",
        body="Een avond voor bewoners over de wijk.",
        url=f"/{kind}/{object_id}/",
        access=frozenset(access),
        updated_at=datetime(2026, 3, object_id, tzinfo=UTC),
        programme_id=programme_id,
        themes=tuple(themes),
    )


@pytest.fixture
def entries(monkeypatch):
    _write("question", None, [
        _doc(1, access={"public"}, themes=["a-b"], programme_id=1),
        _doc(2, access={"member"}, themes=["a_b"], programme_id=2),
        _doc(3, access={"org:7"}, title="acc org 3a7 type_question theme_a_2db"),
    ])  # fmt: skip
    _write("work", None, [_doc(4, access={"public"}, kind="work", themes=["a-b"])])
    viewers = {"visitor": {"public"}, "member": {"public", "member"}, "org": {"member", "org:7"}}
    monkeypatch.setattr(selectors, "viewer_keys", lambda user: frozenset(viewers[user]))


def _found(viewer, q="bewonersavond", **filters):
    found = selectors.search_query(user=viewer, q=q, **filters)
    return sorted(h.object_id for h in found.items)


@pytest.mark.django_db
def test_the_keys_in_the_index_filter_as_the_access_rules_and_filters_say(entries):
    assert Entry.objects.get(object_id=3).keys == "acc_org_3a7 type_question"
    assert _found("visitor") == [1, 4]
    assert _found("member") == [1, 2, 4]
    assert _found("org") == [1, 2, 3, 4]
    assert _found("member", theme="a-b") == [1, 4]
    assert _found("member", theme="a_b") == [2]
    assert _found("member", kinds=["work"]) == [4]
    assert _found("member", programme_id=2) == [2]
    assert _found("org", theme="a-b", kinds=["question"], programme_id=1) == [1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", ["acc_org_3a7", "acc org 3a7", "type_question", "theme_a_2db", '"acc_org_3a7"']
)
def test_a_key_typed_as_words_opens_nothing(entries, q):
    # Entry 3's title holds the words; its key token is no word, so only its holder finds it.
    assert _found("visitor", q=q) == []
    assert _found("org", q=q) == [3]

"""The same 50 queries give the same results in the same order on SQLite and PostgreSQL.

The documents are generated (tests/search/corpus.py, fixed seed and dates) and written to the
index directly; the expected ids below were recorded once and hold on both databases, so each
CI pass (SQLite, then PostgreSQL) checks the very same list.
"""

import pytest

from bouwplaats.search import selectors
from bouwplaats.search.services import _write
from tests.search.corpus import NEEDLES, documents

pytestmark = pytest.mark.django_db

VIEWERS = {
    "visitor": frozenset({"public"}),
    "member": frozenset({"public", "member"}),
    "org": frozenset({"public", "member", "org:2"}),
    "team": frozenset({"public", "member", "team:3", "user:7"}),
    "staff": frozenset({"public", "member", "staff"}),
}

# (viewer, q, filters)
QUERIES = [
    ("visitor", "opgave", {}),
    ("visitor", "opgaven", {}),
    ("visitor", "transitieopgave", {}),
    ("visitor", "transitieopgaven", {}),
    ("visitor", "transitie", {}),
    ("visitor", "bewoner", {}),
    ("visitor", "bewoners", {}),
    ("visitor", "energietransitie", {}),
    ("visitor", "energie", {}),
    ("visitor", "warmte netwerk", {}),
    ("visitor", "wijkaanpak Ede", {}),
    ("visitor", "gemeenten", {}),
    ("visitor", "woningen", {}),
    ("visitor", "stadsvernieuwing", {}),
    ("visitor", "lessen", {}),
    ("visitor", "bruggen", {}),
    ("visitor", "scholen Utrecht", {}),
    ("visitor", "duurzame mobiliteitsroute", {}),
    ("visitor", "kennissessie", {}),
    ("visitor", "programmamanagement", {}),
    ("visitor", "klimaatplan", {}),
    ("visitor", "fiets", {}),
    ("visitor", "onderhoudsplannen", {}),
    ("visitor", "gebiedsontwikkeling Zwolle", {}),
    ("visitor", "verkeersveiligheid", {}),
    ("visitor", 'opgave" OR NEAR(*', {}),
    ("visitor", "opgave", {"kinds": ["question"]}),
    ("visitor", "opgave", {"kinds": ["session", "lesson"]}),
    ("visitor", "opgave", {"programme_id": 2}),
    ("visitor", "opgave", {"theme": "energie"}),
    ("visitor", "transitie", {"programme_id": 4, "theme": "wonen"}),
    ("visitor", "bewoners", {"page": 2}),
    ("visitor", "transitie", {"page": 3}),
    ("member", "opgave", {}),
    ("member", "bewoners wijk", {}),
    ("member", "energietransitie", {"kinds": ["answer"]}),
    ("member", "netwerk", {}),
    ("org", "opgave", {}),
    ("org", "woningbouwopgaven", {}),
    ("org", "kansen partners", {}),
    ("team", "opgave", {}),
    ("team", "transitie", {"programme_id": 3}),
    ("team", "investeringen", {}),
    ("staff", "opgave", {}),
    ("staff", "bewonersavond", {}),
    ("staff", "regionale afspraken", {}),
    ("staff", "transitieteam", {}),
    ("staff", "vragen ervaringen", {"theme": "klimaat"}),
    ("staff", "slimme aanpak", {}),
    ("staff", "Almere Gouda", {}),
]

#: (total, page, the page's 'kind:id' in order) per query, recorded once (results in rank
#: order: title hits, boost, date; bouwplaats.search.ranking).
EXPECTED = [
    (
        103,
        1,
        "answer:197 article:261 answer:35 question:211 question:217 "
        "question:12 call:194 lesson:44 call:119 call:47",
    ),
    (
        103,
        1,
        "answer:197 article:261 answer:35 question:211 question:217 "
        "question:12 call:194 lesson:44 call:119 call:47",
    ),
    (
        68,
        1,
        "lesson:1003 work:234 answer:247 answer:130 session:190 "
        "article:80 article:261 question:109 answer:35 article:127",
    ),
    (
        68,
        1,
        "lesson:1003 work:234 answer:247 answer:130 session:190 "
        "article:80 article:261 question:109 answer:35 article:127",
    ),
    (
        133,
        1,
        "question:109 answer:152 article:134 lesson:94 session:196 "
        "pilot:289 question:177 lesson:1007 session:48 pilot:207",
    ),
    (
        109,
        1,
        "answer:160 session:150 lesson:94 call:43 call:119 "
        "answer:57 pilot:252 session:146 call:75 lesson:184",
    ),
    (
        109,
        1,
        "answer:160 session:150 lesson:94 call:43 call:119 "
        "answer:57 pilot:252 session:146 call:75 lesson:184",
    ),
    (
        47,
        1,
        "lesson:1007 answer:244 article:143 answer:160 answer:204 "
        "article:261 answer:35 lesson:176 question:226 article:127",
    ),
    (
        75,
        1,
        "answer:35 lesson:176 question:226 session:173 question:211 "
        "lesson:1007 answer:244 answer:50 lesson:219 lesson:3",
    ),
    (
        49,
        1,
        "lesson:67 article:193 answer:183 answer:204 question:37 "
        "question:76 article:261 session:150 call:95 answer:294",
    ),
    (
        24,
        1,
        "question:26 call:267 answer:245 answer:197 article:80 "
        "article:261 session:173 session:196 article:272 session:48",
    ),
    (
        52,
        1,
        "question:76 lesson:1001 session:249 call:113 lesson:6 "
        "answer:115 answer:197 question:37 article:80 question:226",
    ),
    (
        114,
        1,
        "answer:245 answer:183 lesson:176 article:134 lesson:116 "
        "lesson:218 session:290 work:300 pilot:262 lesson:138",
    ),
    (0, 1, ""),
    (
        48,
        1,
        "article:127 question:107 question:177 article:23 question:188 "
        "call:227 lesson:219 session:120 pilot:133 pilot:1010",
    ),
    (
        51,
        1,
        "question:211 session:241 session:19 lesson:263 session:1009 "
        "lesson:71 answer:160 session:198 answer:115 answer:197",
    ),
    (
        23,
        1,
        "answer:204 question:205 answer:152 question:107 pilot:180 "
        "call:119 answer:57 lesson:1007 lesson:7 pilot:207",
    ),
    (
        7,
        1,
        "answer:245 answer:197 question:12 session:241 pilot:186 call:36 question:27",
    ),
    (
        29,
        1,
        "answer:245 answer:152 question:211 pilot:289 work:41 "
        "lesson:288 call:69 question:273 call:45 answer:244",
    ),
    (
        31,
        1,
        "article:261 article:86 question:226 question:211 question:107 "
        "article:23 pilot:180 call:119 answer:82 call:47",
    ),
    (
        52,
        1,
        "article:62 question:109 lesson:176 answer:152 article:134 "
        "call:95 session:196 question:107 call:194 call:292",
    ),
    (
        88,
        1,
        "answer:197 question:37 article:80 lesson:44 question:238 "
        "pilot:104 pilot:283 work:38 call:129 lesson:169",
    ),
    (
        48,
        1,
        "answer:160 answer:245 question:37 question:109 question:107 "
        "question:177 pilot:180 lesson:116 work:41 lesson:1007",
    ),
    (
        11,
        1,
        "answer:152 article:134 call:43 article:125 question:228 "
        "call:69 work:58 question:188 work:149 question:258",
    ),
    (
        37,
        1,
        "answer:247 answer:115 answer:35 question:226 session:150 "
        "session:173 article:272 article:125 question:238 question:205",
    ),
    (0, 1, ""),
    (
        18,
        1,
        "question:211 question:217 question:12 question:106 question:233 "
        "question:109 question:205 question:228 question:92 question:273",
    ),
    (
        25,
        1,
        "lesson:44 session:19 session:146 lesson:1003 lesson:263 "
        "lesson:184 session:123 session:190 session:48 lesson:288",
    ),
    (
        25,
        1,
        "article:261 question:12 lesson:44 work:300 answer:50 "
        "question:106 lesson:1003 session:123 article:253 answer:247",
    ),
    (
        16,
        1,
        "article:261 answer:35 question:106 answer:115 article:125 "
        "question:228 lesson:1001 lesson:1 question:188 article:42",
    ),
    (3, 1, "call:43 answer:83 work:231"),
    (
        109,
        2,
        "work:231 lesson:71 call:46 answer:245 answer:247 "
        "answer:183 answer:130 answer:204 question:37 answer:35",
    ),
    (
        133,
        3,
        "pilot:186 call:166 pilot:236 session:124 session:189 "
        "question:89 work:234 lesson:53 pilot:275 question:27",
    ),
    (
        132,
        1,
        "answer:197 article:261 answer:35 pilot:128 question:211 "
        "question:217 question:12 call:194 lesson:44 call:119",
    ),
    (
        67,
        1,
        "pilot:252 answer:160 answer:245 answer:183 answer:31 "
        "answer:204 question:37 answer:118 question:226 session:150",
    ),
    (
        12,
        1,
        "answer:244 answer:160 answer:282 answer:204 answer:35 "
        "answer:210 answer:77 answer:250 answer:279 answer:17",
    ),
    (
        160,
        1,
        "answer:245 answer:145 answer:282 session:190 session:173 "
        "call:95 question:107 call:194 pilot:180 lesson:116",
    ),
    (
        137,
        1,
        "answer:197 article:261 answer:35 article:274 pilot:128 "
        "question:211 question:217 question:12 call:194 lesson:44",
    ),
    (
        58,
        1,
        "session:259 work:300 pilot:262 call:32 session:123 "
        "answer:247 answer:197 session:190 answer:35 session:15",
    ),
    (
        8,
        1,
        "answer:245 question:76 answer:35 call:43 session:290 session:146 lesson:33 question:296",
    ),
    (
        133,
        1,
        "answer:197 article:261 answer:35 pilot:128 question:211 "
        "question:217 question:12 call:194 lesson:44 call:119",
    ),
    (
        35,
        1,
        "session:48 pilot:207 answer:250 answer:244 call:166 "
        "session:189 answer:130 article:80 session:150 article:127",
    ),
    (
        72,
        1,
        "answer:197 answer:210 call:43 lesson:44 question:228 "
        "article:90 session:146 pilot:22 question:25 work:187",
    ),
    (
        150,
        1,
        "answer:197 article:261 answer:35 pilot:128 session:24 "
        "question:211 question:217 question:12 call:194 lesson:44",
    ),
    (
        65,
        1,
        "pilot:72 lesson:286 question:297 answer:247 answer:78 "
        "answer:204 session:15 question:226 answer:152 article:287",
    ),
    (
        21,
        1,
        "answer:130 answer:282 session:150 article:127 answer:82 "
        "work:126 answer:250 lesson:91 question:273 question:26",
    ),
    (
        86,
        1,
        "lesson:91 answer:244 pilot:275 answer:96 answer:70 "
        "lesson:68 question:109 session:15 lesson:176 question:226",
    ),
    (4, 1, "article:272 call:181 question:206 article:299"),
    (
        37,
        1,
        "answer:145 question:37 question:122 work:49 session:150 "
        "lesson:94 question:211 lesson:192 answer:57 session:259",
    ),
    (
        14,
        1,
        "answer:294 answer:57 article:102 work:38 session:120 "
        "lesson:138 work:298 pilot:186 call:181 answer:110",
    ),
]


@pytest.fixture
def corpus(monkeypatch):
    docs = list(documents(300, seed=14))
    for i, (_q, text) in enumerate(NEEDLES, start=1001):
        docs.append(docs[0].__class__(**{**docs[i - 1001].__dict__, "object_id": i, "title": text}))
    by_kind: dict[str, list] = {}
    for doc in docs:
        by_kind.setdefault(doc.kind, []).append(doc)
    for kind, items in sorted(by_kind.items()):
        _write(kind, None, items)
    monkeypatch.setattr(selectors, "viewer_keys", lambda user: VIEWERS[user])


def _run(viewer, q, filters):
    found = selectors.search_query(user=viewer, q=q, per_page=10, **filters)
    return (found.total, found.page, " ".join(f"{h.kind}:{h.object_id}" for h in found.items))


def test_fifty_queries_give_the_recorded_results(corpus):
    assert len(QUERIES) == 50
    got = [_run(*spec) for spec in QUERIES]
    assert got == EXPECTED

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

#: (total, page, the page's 'kind:id' in order) per query, recorded once.
EXPECTED = [
    (
        103,
        1,
        "answer:197 answer:83 question:211 call:119 call:47 session:19 answer:50 "
        "question:106 lesson:263 article:261",
    ),
    (
        103,
        1,
        "answer:197 answer:83 question:211 call:119 call:47 session:19 answer:50 "
        "question:106 lesson:263 article:261",
    ),
    (
        68,
        1,
        "lesson:1003 work:234 answer:130 session:190 answer:83 question:92 answer:247 "
        "work:38 article:56 question:164",
    ),
    (
        68,
        1,
        "lesson:1003 work:234 answer:130 session:190 answer:83 question:92 answer:247 "
        "work:38 article:56 question:164",
    ),
    (
        133,
        1,
        "question:177 pilot:207 call:166 lesson:138 lesson:94 session:196 pilot:289 "
        "session:48 article:143 answer:244",
    ),
    (
        109,
        1,
        "answer:160 session:150 lesson:94 call:43 call:119 pilot:252 session:146 call:75 "
        "work:231 answer:57",
    ),
    (
        109,
        1,
        "answer:160 session:150 lesson:94 call:43 call:119 pilot:252 session:146 call:75 "
        "work:231 answer:57",
    ),
    (
        47,
        1,
        "lesson:1007 answer:244 article:143 answer:160 work:38 lesson:212 article:269 "
        "answer:204 article:261 question:226",
    ),
    (
        75,
        1,
        "question:226 question:211 question:258 answer:35 lesson:176 session:173 "
        "lesson:1007 answer:244 answer:50 lesson:219",
    ),
    (
        49,
        1,
        "lesson:67 article:193 call:95 article:172 answer:264 session:290 work:11 "
        "pilot:104 session:224 call:75",
    ),
    (
        24,
        1,
        "question:26 call:267 answer:197 lesson:263 article:272 session:48 question:238 "
        "call:69 work:168 article:261",
    ),
    (
        52,
        1,
        "question:76 lesson:1001 session:249 call:113 lesson:6 question:188 question:226 "
        "answer:57 answer:264 session:146",
    ),
    (
        114,
        1,
        "answer:183 answer:245 lesson:176 work:300 lesson:116 call:32 lesson:218 "
        "question:164 pilot:262 call:246",
    ),
    (0, 1, ""),
    (
        48,
        1,
        "article:127 question:107 question:177 article:23 question:188 call:227 "
        "lesson:219 session:120 pilot:133 pilot:1010",
    ),
    (
        51,
        1,
        "question:211 lesson:263 session:241 session:1009 session:19 lesson:71 "
        "session:198 answer:115 session:190 article:272",
    ),
    (
        23,
        1,
        "answer:204 question:205 call:64 call:119 pilot:207 call:227 lesson:199 pilot:8 "
        "answer:152 pilot:180",
    ),
    (7, 1, "answer:245 answer:197 session:241 question:12 pilot:186 call:36 question:27"),
    (
        29,
        1,
        "pilot:1010 pilot:10 answer:245 call:69 pilot:277 question:211 pilot:289 work:41 "
        "lesson:288 call:45",
    ),
    (
        31,
        1,
        "question:211 session:295 lesson:218 call:227 lesson:212 article:261 article:86 "
        "question:226 question:107 article:23",
    ),
    (
        52,
        1,
        "article:62 lesson:176 call:119 answer:264 question:29 lesson:202 question:109 "
        "answer:152 article:134 call:95",
    ),
    (
        88,
        1,
        "answer:197 pilot:104 question:37 article:80 lesson:44 question:238 pilot:283 "
        "work:38 call:129 lesson:169",
    ),
    (
        48,
        1,
        "session:290 lesson:199 lesson:116 lesson:1007 lesson:7 answer:160 answer:245 "
        "lesson:212 question:233 question:37",
    ),
    (
        11,
        1,
        "call:43 answer:152 call:69 work:149 question:228 article:134 question:258 "
        "work:58 question:188 call:88",
    ),
    (
        37,
        1,
        "answer:115 session:150 session:173 call:69 call:227 pilot:262 answer:35 "
        "question:226 article:272 article:125",
    ),
    (0, 1, ""),
    (
        18,
        1,
        "question:211 question:106 question:217 question:12 question:233 question:25 "
        "question:164 question:109 question:205 question:228",
    ),
    (
        25,
        1,
        "session:19 lesson:263 lesson:44 session:123 session:146 lesson:1003 lesson:184 "
        "session:190 session:48 session:268",
    ),
    (
        25,
        1,
        "answer:50 question:106 article:261 question:12 lesson:44 session:123 article:253 "
        "work:300 lesson:1003 question:25",
    ),
    (
        16,
        1,
        "question:106 article:261 answer:35 question:25 article:125 article:42 "
        "session:268 answer:115 pilot:275 article:16",
    ),
    (3, 1, "work:231 call:43 answer:83"),
    (
        109,
        2,
        "lesson:71 lesson:184 call:46 answer:245 call:47 pilot:207 answer:183 question:92 "
        "article:102 lesson:1003",
    ),
    (
        133,
        3,
        "answer:152 question:89 article:134 work:234 lesson:1007 lesson:288 question:27 "
        "lesson:265 lesson:1 answer:103",
    ),
    (
        132,
        1,
        "answer:197 answer:83 pilot:128 question:211 call:119 session:259 call:47 "
        "call:121 session:19 answer:50",
    ),
    (
        67,
        1,
        "pilot:252 answer:160 question:26 call:121 session:150 call:43 call:119 "
        "question:260 question:273 question:296",
    ),
    (
        12,
        1,
        "answer:244 answer:77 answer:160 answer:282 answer:204 answer:250 answer:17 "
        "answer:35 answer:210 answer:279",
    ),
    (
        160,
        1,
        "answer:245 pilot:180 answer:145 session:190 session:173 call:95 call:47 "
        "question:107 call:194 lesson:116",
    ),
    (
        137,
        1,
        "answer:197 question:98 answer:83 pilot:128 question:211 call:119 session:259 "
        "call:47 call:121 session:19",
    ),
    (
        58,
        1,
        "session:259 work:300 pilot:262 call:32 session:123 session:190 answer:240 "
        "session:229 question:108 article:125",
    ),
    (
        8,
        1,
        "answer:245 lesson:33 question:76 answer:35 call:43 session:290 session:146 question:296",
    ),
    (
        133,
        1,
        "answer:197 answer:83 pilot:128 question:211 call:119 session:259 call:47 "
        "call:121 session:19 answer:50",
    ),
    (
        35,
        1,
        "pilot:207 call:166 session:48 answer:250 answer:244 session:189 article:80 "
        "lesson:212 answer:130 answer:82",
    ),
    (
        72,
        1,
        "question:25 answer:197 article:30 answer:210 call:43 lesson:44 question:228 "
        "article:90 session:146 pilot:22",
    ),
    (
        150,
        1,
        "answer:197 answer:83 pilot:128 session:24 question:211 call:119 session:259 "
        "call:47 call:121 session:19",
    ),
    (
        65,
        1,
        "pilot:72 lesson:286 question:297 pilot:66 session:139 question:285 question:20 "
        "lesson:288 question:92 lesson:1003",
    ),
    (
        21,
        1,
        "session:150 question:278 article:276 pilot:214 question:26 session:230 "
        "article:127 pilot:186 answer:130 work:231",
    ),
    (
        86,
        1,
        "pilot:275 lesson:91 answer:244 session:139 article:193 lesson:138 answer:210 "
        "session:173 session:259 lesson:218",
    ),
    (4, 1, "article:299 question:206 article:272 call:181"),
    (
        37,
        1,
        "answer:145 lesson:192 answer:185 lesson:79 session:259 work:101 call:32 "
        "session:162 question:122 call:47",
    ),
    (
        14,
        1,
        "answer:294 answer:57 work:38 session:120 question:223 question:20 lesson:138 "
        "pilot:186 session:198 article:102",
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

"""Whole-page cache of the pages visitors read (issue 17 §5), in the shared cache (Redis).

A view decorated with ``visitor_page_cache(area, ...)`` answers a GET without a login session
from the cache: the same address (path and query), language and htmx request got the same
page. What may differ per visitor is left out or put back:

- only requests without a session cookie and without flashed messages are served or stored,
  so a member (logged in means a session) is never served a cached page, and never stores one;
- the CSRF tokens of the page's forms (the language switch in the menu, a follow form) are
  stored as a placeholder and filled in per request through Django's ``get_token``, so each
  visitor gets a token of their own secret and the CSRF cookie as on an uncached page;
- only a 200 that sets no cookie and is not ``private`` or ``no-store`` is stored, and never
  a page that carries a CSRF token in another shape than the forms' hidden field.

How old a cached page may be: every area (``events``, ``knowledge``, ``planning``,
``search``) has a version in the cache that the services bump after a commit that changes
what visitors see (``bump_visitor_pages``: a session published, changed or cancelled, a
knowledge item or question saved, a search entry visitors may find written or dropped), so
such a change shows on the next request. A page may also follow finer versions of its own
(``visitor_page_cache(..., versions=...)``), bumped by ``bump_visitor_versions``: the search
page follows one version per query term, so a new question about "water" leaves the cached
results for "energie" standing (a page of results can only change when an entry holding one
of its terms changes). Everything else (seat counts after a registration,
works saved, a programme's new name in the search filters) shows within
``settings.VISITOR_PAGE_CACHE_SECONDS`` (30 s; 0 turns the cache off, as in the test suite
and with DEBUG).

API lists (``shared_api_cache``) use the same versions: a JSON list whose answer is the same
for every caller of a kind (any caller, or every caller that sees what a visitor sees, as
the operation's ``shared`` rule tells after authentication) is kept per address and
language. What changes without a bump and must show at once (a session's seat counts) goes
into the key through the operation's ``stamp``: a cheap read of exactly those values.
"""

import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language
from ninja.decorators import decorate_view

# What Django's {% csrf_token %} writes (CsrfTokenNode): a masked token of 64 letters/digits.
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"
VERSION_KEY = "pages:version:{}"
# How long a fine version (bump_visitor_versions) is kept: far longer than any cached page.
VERSION_SECONDS = 86_400


def _seconds() -> int:
    return int(getattr(settings, "VISITOR_PAGE_CACHE_SECONDS", 0))


def visitor_pages_cached() -> bool:
    """Return True when visitors' pages are cached (VISITOR_PAGE_CACHE_SECONDS above 0)."""
    return _seconds() > 0


def bump_visitor_pages(*areas: str) -> None:
    """Make the cached pages of ``areas`` stale once the current transaction commits.

    After the commit, so that a request reading in between cannot store the old content
    under the new version. A cache that is down loses nothing: pages then go uncached.
    Nothing to do with the cache off (VISITOR_PAGE_CACHE_SECONDS 0, as in the tests).
    """
    if _seconds() <= 0:
        return

    def bump():
        for area in areas:
            key = VERSION_KEY.format(area)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, None)

    transaction.on_commit(bump)


def bump_visitor_versions(names: Iterable[str]) -> None:
    """Make the cached pages that follow any of the versions ``names`` stale after the commit.

    For many fine versions at once (one per search term): each gets a new random value in one
    write to the cache, kept VERSION_SECONDS. A version that expired reads as 0 again, which
    no page cached under it can outlive (pages last at most VISITOR_PAGE_CACHE_SECONDS).
    """
    seconds = _seconds()
    names = sorted(set(names))
    if seconds <= 0 or not names:
        return

    def bump():
        value = uuid.uuid4().hex[:16]
        cache.set_many(
            {VERSION_KEY.format(name): value for name in names},
            max(VERSION_SECONDS, 2 * seconds),
        )

    transaction.on_commit(bump)


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _page_key(request, areas: tuple[str, ...], stamp: str = "", fine: tuple[str, ...] = ()) -> str:
    """Return the page's cache key at the current versions of the areas and of ``fine``
    (versions of this page alone, see bump_visitor_versions), and ``stamp``."""
    versions = cache.get_many([VERSION_KEY.format(name) for name in (*areas, *fine)])
    address = "\n".join(
        [
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            request.headers.get("HX-Request", ""),
            stamp,
        ]
    )
    fine_stamp = ".".join(str(versions.get(VERSION_KEY.format(name), 0)) for name in fine)
    digest = hashlib.sha256(f"{address}\n{fine_stamp}".encode()).hexdigest()
    stamp = ".".join(str(versions.get(VERSION_KEY.format(area), 0)) for area in areas)
    return f"pages:{'.'.join(areas)}:{stamp}:{digest}"


def _stored(request, response) -> dict | None:
    """Return the response as a cache entry with its CSRF tokens taken out, or None."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or any(word in response.get("Cache-Control", "") for word in ("private", "no-store"))
    ):
        return None
    content = response.content
    tokens = {match.group(2) for match in CSRF_FIELD.finditer(content)}
    content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\3", content)
    secret = request.META.get("CSRF_COOKIE", "")
    if any(token in content for token in tokens) or (secret and secret.encode() in content):
        return None  # a token in another shape (a script, a header): not this cache's job
    # The view's own headers (middleware adds the rest on every answer, cached or not:
    # security headers, CSP, Vary, the CSRF cookie, the request id).
    headers = dict(response.headers.items())
    return {"content": content, "headers": headers, "csrf": bool(tokens)}


def _answer(request, entry: dict) -> HttpResponse:
    content = entry["content"]
    if entry["csrf"]:
        token = get_token(request).encode()
        content = content.replace(CSRF_PLACEHOLDER, token)
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def visitor_page_cache(*areas: str, versions: Callable[..., Iterable[str]] | None = None):
    """Decorate a view so that visitors' GETs are answered from the cache (module docstring).

    ``areas`` name the versions (bump_visitor_pages) whose bump makes the page stale;
    ``versions(request)`` names finer ones of this request's page (bump_visitor_versions).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            seconds = _seconds()
            if seconds <= 0 or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            fine = tuple(sorted(set(versions(request)))) if versions is not None else ()
            key = _page_key(request, areas, fine=fine)
            entry = cache.get(key)
            if entry is not None:
                return _answer(request, entry)
            response = view(request, *args, **kwargs)
            entry = _stored(request, response)
            if entry is not None:
                cache.set(key, entry, seconds)
            return response

        return wrapper

    return decorator


SHARED_API_KEY = "_shared_api_cache_key"


def shared_api_cache(
    *areas: str,
    shared: Callable[..., bool] = lambda request: True,
    stamp: Callable[..., str | None] | None = None,
):
    """Decorate a ninja GET operation so that its 200 JSON answer is kept for other callers.

    Goes below the router's decorator (and above ``@paginate``), so it runs after the API's
    authentication with the parsed parameters. ``shared(request)`` says whether this caller
    gets the same answer as every other caller it is shared with (e.g. sees what a visitor
    sees); ``stamp(request, **parameters)`` returns a short text of the values that may change
    without a bump of ``areas`` (None: not cached this time). Stale on a bump, as pages are.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if _seconds() > 0 and request.method == "GET" and shared(request):
                extra = "" if stamp is None else stamp(request, **kwargs)
                if extra is not None:
                    key = _page_key(request, ("api", *areas), extra)
                    entry = cache.get(key)
                    if entry is not None:
                        return HttpResponse(entry["content"], content_type=entry["content_type"])
                    setattr(request, SHARED_API_KEY, key)
            return view(request, *args, **kwargs)

        return decorate_view(_store_shared_api)(wrapper)

    return decorator


def _store_shared_api(run):
    """Wrap ninja's run of an operation: store the answer its view asked to keep."""

    @functools.wraps(run)
    def stored(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        key = getattr(request, SHARED_API_KEY, None)
        if (
            key is not None
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            entry = {"content": response.content, "content_type": response["Content-Type"]}
            cache.set(key, entry, _seconds())
        return response

    return stored

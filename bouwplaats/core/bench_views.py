"""The bare view the load bench compares the platform with (bench/load.py, issue 17 §5).

Mounted at /bench/bare/ only when settings.BENCH_BARE_VIEW is on (env BENCH_BARE_VIEW=1): it
answers through the same middleware, workers and proxy as every page, but does no work of its
own, so requests/s of the mix divided by its requests/s is the platform's own cost.
"""

from django.http import HttpResponse


def bare(request):
    """Answer 200 with two bytes of plain text; no database, cache or template."""
    return HttpResponse(b"ok", content_type="text/plain")

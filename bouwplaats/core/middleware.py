import logging
import re
import time
import uuid

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .logfilters import current_request_id


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Speak Dutch unless the visitor chose another language with the switch.

    The browser's Accept-Language is ignored on purpose: a Dutch public-sector site is Dutch
    by default, and the English translation is a courtesy that has to be asked for.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# An id from the outside (a proxy's X-Request-ID) is kept only when it is short and plain, so
# that it cannot break a log line or a response header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}")
request_logger = logging.getLogger("bouwplaats.request")


class RequestLogMiddleware:
    """Give each request an id and log one line when it is answered.

    The id is the ``X-Request-ID`` header when it is sane (see SANE_REQUEST_ID), else a new
    random one; it is echoed in the response's ``X-Request-ID`` and set on every log record
    of the request (``core.logfilters.RequestContext``). The line, on the
    ``bouwplaats.request`` logger at INFO, carries method, path (without the query string,
    which may hold tokens), status and duration_ms; settings.LOGGING shows it when
    LOG_FORMAT=json (in text mode gunicorn's access log is the request line).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            request_logger.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            current_request_id.reset(token)

"""A WSGI application that answers the length of the query string it was given.

Started by ``test_long_query`` under gunicorn with the project's gunicorn.conf.py, to show
what reaches the application; no Django, so the test needs no database.
"""


def app(environ, start_response):
    body = str(len(environ.get("QUERY_STRING", ""))).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]

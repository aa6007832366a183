"""A second Bouwplaats process for the stack tests: one JSON command a line on stdin, one
JSON answer a line on stdout. It loads the settings from its own environment (CACHE_URL,
DATABASE_URL, MEDIA_STORAGE, …), as another gunicorn worker on another machine would.

A command with ``"as": name`` uses that person's browser (a test client kept between
commands, with its cookies); without it, a fresh one.
"""

import base64
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's host name, mail kept in memory
browsers: dict[str, Client] = {}


def answer(command: dict) -> dict:
    op = command["op"]
    if op == "settings":
        return {"CACHES": settings.CACHES, "SESSION_ENGINE": settings.SESSION_ENGINE}
    if op == "tasks":
        return {"TASKS": settings.TASKS, "RQ_QUEUES": settings.RQ_QUEUES}
    if op == "cache_get":
        return {"value": cache.get(command["key"])}
    if op == "cache_set":
        cache.set(command["key"], command["value"], timeout=60)
        return {}
    name = command.get("as")
    client = browsers.setdefault(name, Client()) if name else Client()
    for cookie, value in command.get("cookies", {}).items():
        client.cookies[cookie] = value
    if op == "get":
        response = client.get(command["path"])
    elif op == "login":
        response = client.post(
            "/account/login/", {"login": command["email"], "password": command["password"]}
        )
    elif op == "post":
        data = dict(command.get("data", {}))
        for field, (filename, content) in command.get("files", {}).items():
            data[field] = SimpleUploadedFile(filename, base64.b64decode(content))
        response = client.post(command["path"], data)
    else:
        raise ValueError(op)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "body": body.decode(errors="replace"),
        "bytes": base64.b64encode(body).decode(),
    }


for line in sys.stdin:
    print(json.dumps(answer(json.loads(line))), flush=True)

"""Read a JSON request body as RFC 8259 has it, for ninja's parser and hand-read bodies."""

import json
from typing import Any


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def _encodes(value: str) -> bool:
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        # Only a lone surrogate (U+D800–U+DFFF) fails to encode: no database column holds it.
        return not value.isascii() and not _encodes(value)
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def loads(body: bytes | str) -> Any:
    """Return the parsed JSON ``body``; raise ValueError for what no JSON client may send.

    Refused besides malformed JSON: NaN and Infinity (not JSON, though Python's json reads
    them), a lone surrogate such as ``"\\ud800"`` (valid syntax, but a string that no database
    can store: a 500 wherever it is encoded) and nesting deeper than Python's recursion limit
    (RecursionError otherwise).
    """
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
        lone = _lone_surrogate(data)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    if lone:
        raise ValueError("lone surrogate in a JSON string")
    return data

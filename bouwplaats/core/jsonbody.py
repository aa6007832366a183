"""Read a JSON request body as RFC 8259 has it, for ninja's parser and hand-read bodies."""

import json
import re
from typing import Any

# What can put a lone surrogate into a parsed UTF-8 body: a \uD800–\uDFFF escape, or the
# raw bytes ED A0–BF (json.loads decodes bytes with "surrogatepass"). A match may be a false
# alarm (an escaped backslash before "u"); then the parsed value is walked to be sure.
_MAY_HOLD_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


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


def _may_hold_surrogate(body: bytes | str) -> bool:
    if isinstance(body, str):
        return not body.isascii() or _MAY_HOLD_SURROGATE.search(body.encode()) is not None
    if json.detect_encoding(body) != "utf-8":
        return True
    return _MAY_HOLD_SURROGATE.search(body) is not None


def loads(body: bytes | str) -> Any:
    """Return the parsed JSON ``body``; raise ValueError for what no JSON client may send.

    Refused besides malformed JSON: NaN and Infinity (not JSON, though Python's json reads
    them), a lone surrogate such as ``"\\ud800"`` (valid syntax, but a string that no database
    can store: a 500 wherever it is encoded) and nesting deeper than Python's recursion limit
    (RecursionError otherwise).
    """
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
        # Walking every value of a 20,000-work upload costs seconds; the bytes tell first.
        lone = _may_hold_surrogate(body) and _lone_surrogate(data)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    if lone:
        raise ValueError("lone surrogate in a JSON string")
    return data

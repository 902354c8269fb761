"""Gladly's request signing (the ``Gladly-Time`` / ``Gladly-Authorization`` headers) and Basic auth.

Canonical request (Gladly's algorithm)::

    METHOD \\n path \\n sorted query \\n name:value (one line per signed header, in the listed order)
    \\n (empty line) \\n name;name;... \\n sha256_hex(body)

    string_to_sign = "hmac-sha256\\n" + gladly_time + "\\n" + sha256_hex(canonical)
    day_key        = HMAC_SHA256(signing_key, gladly_time[:8])
    signature      = hex(HMAC_SHA256(day_key, string_to_sign))

Choices where Gladly's documentation is silent (the published vector has neither a query nor a repeated
header): the query is canonicalised as its ``(name, value)`` pairs, decoded, sorted by name then value and
re-encoded as ``application/x-www-form-urlencoded`` (what Go's ``url.Values.Encode`` produces); a header sent
several times is signed as its stripped values joined by ``,`` (the HTTP rule for combining them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TypeAlias
from urllib.parse import parse_qsl, urlencode

from ordergroove.errors import ConfigurationError
from ordergroove.gladly._errors import GladlySignatureError

__all__ = [
    "ALGORITHM",
    "AUTHORIZATION_HEADER",
    "TIME_HEADER",
    "HeadersInput",
    "QueryInput",
    "basic_auth_challenge",
    "canonical_query",
    "check_basic_auth",
    "sign_request",
    "utf8_bytes",
    "verify_request",
]

ALGORITHM = "hmac-sha256"
TIME_HEADER = "Gladly-Time"
AUTHORIZATION_HEADER = "Gladly-Authorization"

_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
_TIME_RE = re.compile(r"[0-9]{8}T[0-9]{6}Z")
# RFC 9110 token characters: what a header name may be made of.
_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_SIGNATURE_RE = re.compile(r"[0-9a-fA-F]{64}")

_HeaderValue: TypeAlias = str | bytes | Sequence[str | bytes]
HeadersInput: TypeAlias = Mapping[str, _HeaderValue] | Iterable[tuple[str | bytes, str | bytes]]
"""A mapping (any case; a value may be a list of values) or an iterable of ``(name, value)`` pairs."""
QueryInput: TypeAlias = (
    str | bytes | Mapping[str, str | int | Sequence[str | int]] | Iterable[tuple[str, str | int]] | None
)
"""A raw query string (with or without ``?``), a mapping (a value may be a list), or ``(name, value)``s."""


def _text(value: str | bytes) -> str:
    # Header bytes are Latin-1 on the wire (ASGI hands them over undecoded).
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _collect_headers(headers: HeadersInput) -> dict[str, list[str]]:
    """Every header by lower-case name, repeated headers as several values, in the order given."""
    collected: dict[str, list[str]] = {}
    pairs: Iterable[tuple[str | bytes, _HeaderValue]]
    multi_items = getattr(headers, "multi_items", None)
    if callable(multi_items):  # httpx.Headers: .items() would merge repeated headers
        pairs = multi_items()
    elif isinstance(headers, Mapping):
        # starlette's Headers.items() yields each repeated header separately; so do plain dicts (once).
        pairs = headers.items()
    else:
        pairs = headers
    for name, value in pairs:
        values = [value] if isinstance(value, (str, bytes)) else list(value)
        collected.setdefault(_text(name).lower(), []).extend(_text(v) for v in values)
    return collected


def _header_value(values: Sequence[str]) -> str:
    return ",".join(value.strip() for value in values)


def canonical_query(query: QueryInput) -> str:
    """The query as it is signed: pairs sorted by name then value, form-encoded, joined by ``&``."""
    if query is None:
        return ""
    pairs: list[tuple[str, str]]
    if isinstance(query, (str, bytes)):
        raw = query.decode("latin-1") if isinstance(query, bytes) else query
        pairs = parse_qsl(raw.removeprefix("?"), keep_blank_values=True)
    else:
        items: Iterable[tuple[str, object]] = query.items() if isinstance(query, Mapping) else query
        pairs = []
        for name, value in items:
            values = value if isinstance(value, (list, tuple)) else [value]
            pairs.extend((str(name), str(v)) for v in values)
    try:
        return urlencode(sorted(pairs))
    except UnicodeEncodeError:  # raised outside the except: the query could carry a token
        pass
    raise ConfigurationError("the query is not valid Unicode text (it holds a lone surrogate)")


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _signature(
    *,
    method: str,
    path: str,
    query: str,
    signed: Sequence[tuple[str, str]],
    body: bytes,
    gladly_time: str,
    key: bytes,
) -> str:
    names = [name for name, _ in signed]
    canonical = "\n".join(
        [
            method.upper(),
            path,
            query,
            *[f"{name}:{value}" for name, value in signed],
            "",
            ";".join(names),
            _sha256_hex(body),
        ]
    )
    # utf8_bytes: a signed header may be a credential (Authorization), never to be quoted by an error.
    canonical_bytes = utf8_bytes(canonical, "the method, path, query or a signed header of the request")
    string_to_sign = f"{ALGORITHM}\n{gladly_time}\n{_sha256_hex(canonical_bytes)}"
    day_key = hmac.new(key, gladly_time[:8].encode("ascii"), hashlib.sha256).digest()
    return hmac.new(day_key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def utf8_bytes(text: str, what: str) -> bytes:
    """``text`` in UTF-8; text without a UTF-8 form (a lone surrogate) is a ConfigurationError naming ``what``.

    Never quoting ``text``, which may be a secret (a key, a password, a header): the UnicodeEncodeError would
    hold all of it in its args, so it is not chained either (raised outside the ``except``: neither
    ``__cause__`` nor ``__context__`` holds it).
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    raise ConfigurationError(f"{what} is not valid Unicode text (it holds a lone surrogate)")


def _key_bytes(signing_key: str | bytes) -> bytes:
    if not signing_key:
        raise ConfigurationError("the Gladly signing key is empty")
    return utf8_bytes(signing_key, "the Gladly signing key") if isinstance(signing_key, str) else bytes(signing_key)


def _body_bytes(body: bytes) -> bytes:
    if not isinstance(body, (bytes, bytearray, memoryview)):
        # Hashing must see the bytes as received; encoding a str here could silently differ from them.
        raise ConfigurationError(f"body must be the raw bytes of the request, not {type(body).__name__}")
    return bytes(body)


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ConfigurationError("now must be a timezone-aware datetime")
    return now.astimezone(timezone.utc)


def _single(headers: dict[str, list[str]], name: str) -> str:
    values = headers.get(name.lower())
    if not values:
        raise GladlySignatureError(f"the {name} header is missing", reason="missing_header")
    if len(values) > 1:
        raise GladlySignatureError(f"the {name} header is sent more than once", reason="malformed_header")
    return values[0].strip()


def _parse_authorization(value: str) -> tuple[str, list[str], str]:
    """``(algorithm, signed header names, signature)`` from a ``Gladly-Authorization`` value."""
    fields: dict[str, str] = {}
    for part in value.split(","):
        name, sep, field_value = part.strip().partition("=")
        key = name.strip().lower()
        if not sep or key in fields:
            raise GladlySignatureError(f"the {AUTHORIZATION_HEADER} header is malformed", reason="malformed_header")
        fields[key] = field_value.strip()
    missing = [f for f in ("signingalgorithm", "signedheaders", "signature") if not fields.get(f)]
    if missing:
        raise GladlySignatureError(
            f"the {AUTHORIZATION_HEADER} header is malformed (no {', '.join(missing)})",
            reason="malformed_header",
        )
    names = fields["signedheaders"].split(";")
    if not all(_NAME_RE.fullmatch(name) for name in names):
        raise GladlySignatureError(
            f"the {AUTHORIZATION_HEADER} header is malformed (bad SignedHeaders)", reason="malformed_header"
        )
    if not _SIGNATURE_RE.fullmatch(fields["signature"]):
        raise GladlySignatureError(
            f"the {AUTHORIZATION_HEADER} header is malformed (Signature is not 64 hex digits)",
            reason="malformed_header",
        )
    return fields["signingalgorithm"], names, fields["signature"].lower()


def _parse_time(value: str) -> datetime:
    if _TIME_RE.fullmatch(value):
        try:
            return datetime.strptime(value, _TIME_FORMAT).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    raise GladlySignatureError(
        f"the {TIME_HEADER} header is malformed (expected YYYYMMDDTHHMMSSZ)", reason="malformed_header"
    )


def verify_request(
    method: str,
    path: str,
    query: QueryInput,
    headers: HeadersInput,
    body: bytes,
    signing_key: str | bytes,
    *,
    max_age: float = 300,
    now: datetime | None = None,
) -> None:
    """Check that Gladly signed a request with ``signing_key``; raise :class:`GladlySignatureError` if not.

    ``path`` is the request path as Gladly sent it (no query); ``query`` the raw query string or its pairs;
    ``headers`` the request's headers (any case; repeated ones as lists); ``body`` the raw body bytes.
    The signed header names are read from ``Gladly-Authorization``. ``Gladly-Time`` may differ from ``now``
    (default: the current time, timezone-aware) by at most ``max_age`` seconds either way.
    """
    # NaN would compare false with every age and so accept any old request; a string would be a TypeError.
    if isinstance(max_age, bool) or not isinstance(max_age, int | float) or not 0 <= max_age < math.inf:
        raise ConfigurationError(f"max_age must be a finite number of seconds, 0 or more, got {max_age!r}")
    key = _key_bytes(signing_key)
    raw_body = _body_bytes(body)
    current = _utc(now)
    collected = _collect_headers(headers)

    algorithm, names, signature = _parse_authorization(_single(collected, AUTHORIZATION_HEADER))
    if algorithm.lower() != ALGORITHM:
        shown = algorithm if len(algorithm) <= 40 else algorithm[:40] + "..."
        raise GladlySignatureError(
            f"unsupported signing algorithm {shown!r} (expected {ALGORITHM})", reason="unsupported_algorithm"
        )
    gladly_time = _single(collected, TIME_HEADER)
    signed_at = _parse_time(gladly_time)

    age = (current - signed_at).total_seconds()
    if age > max_age:
        raise GladlySignatureError(
            f"the {TIME_HEADER} header is {age:.0f} s old (more than {max_age:g} s): stale request",
            reason="stale",
        )
    if -age > max_age:
        raise GladlySignatureError(
            f"the {TIME_HEADER} header is {-age:.0f} s in the future (more than {max_age:g} s)",
            reason="future",
        )

    signed: list[tuple[str, str]] = []
    for name in names:
        values = collected.get(name.lower())
        if values is None:
            raise GladlySignatureError(f"the signed header {name!r} is missing", reason="missing_header")
        signed.append((name, _header_value(values)))

    expected = _signature(
        method=method,
        path=path,
        query=canonical_query(query),
        signed=signed,
        body=raw_body,
        gladly_time=gladly_time,
        key=key,
    )
    if not hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii")):
        raise GladlySignatureError(
            "the request signature does not match (the method, path, query, a signed header, the body "
            "or the time was changed, or the signing key differs)",
            reason="mismatch",
        )


def sign_request(
    method: str,
    path: str,
    query: QueryInput,
    headers: HeadersInput,
    body: bytes,
    signing_key: str | bytes,
    *,
    now: datetime | None = None,
    signed_headers: Iterable[str] | None = None,
) -> dict[str, str]:
    """Sign a request as Gladly does; return the headers to add: ``Gladly-Time`` and ``Gladly-Authorization``.

    By default every header given is signed (lower-case names, sorted), plus ``gladly-time``;
    ``signed_headers`` picks the names instead (``gladly-time`` is always added). A ``Gladly-Time`` or
    ``Gladly-Authorization`` among ``headers`` is replaced.
    """
    key = _key_bytes(signing_key)
    raw_body = _body_bytes(body)
    gladly_time = _utc(now).strftime(_TIME_FORMAT)
    collected = _collect_headers(headers)
    collected.pop(AUTHORIZATION_HEADER.lower(), None)
    collected[TIME_HEADER.lower()] = [gladly_time]

    chosen = collected.keys() if signed_headers is None else [name.lower() for name in signed_headers]
    names = sorted({*chosen, TIME_HEADER.lower()})
    for name in names:
        if not _NAME_RE.fullmatch(name):
            raise ConfigurationError(f"{name!r} is not a valid header name")
        if name not in collected:
            raise ConfigurationError(f"the header {name!r} is to be signed but is not among the headers")
        if name == AUTHORIZATION_HEADER.lower():
            raise ConfigurationError(f"{AUTHORIZATION_HEADER} cannot sign itself")

    signature = _signature(
        method=method,
        path=path,
        query=canonical_query(query),
        signed=[(name, _header_value(collected[name])) for name in names],
        body=raw_body,
        gladly_time=gladly_time,
        key=key,
    )
    authorization = f"SigningAlgorithm={ALGORITHM}, SignedHeaders={';'.join(names)}, Signature={signature}"
    return {TIME_HEADER: gladly_time, AUTHORIZATION_HEADER: authorization}


def check_basic_auth(authorization_header: str | bytes | None, username: str, password: str) -> bool:
    """Whether an ``Authorization: Basic ...`` value carries exactly ``username`` and ``password``.

    Both are compared in constant time (and both always, so the timing says nothing about which differed).
    A missing or malformed header is simply ``False``; a ``username`` or ``password`` that is not valid Unicode
    text (a lone surrogate) is a :class:`~ordergroove.errors.ConfigurationError` that does not quote it.
    """
    expected_user = utf8_bytes(username, "the Basic auth user")
    expected_password = utf8_bytes(password, "the Basic auth password")
    if authorization_header is None:
        return False
    text = _text(authorization_header).strip()
    scheme, _, encoded = text.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(encoded.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return False
    given_user, sep, given_password = decoded.partition(b":")
    user_ok = hmac.compare_digest(given_user, expected_user)
    password_ok = hmac.compare_digest(given_password, expected_password)
    return bool(sep) and user_ok and password_ok


def basic_auth_challenge(realm: str = "Gladly") -> dict[str, str]:
    """The ``WWW-Authenticate`` header to send with a 401 when Basic auth is configured."""
    escaped = realm.replace("\\", "\\\\").replace('"', '\\"')
    return {"WWW-Authenticate": f'Basic realm="{escaped}", charset="UTF-8"'}

"""Ordergroove's webhook signature: ``Ordergroove-Signature: ts=<unix>,sig=<hex>[,sig=<hex>]``.

``sig`` is the lowercase hex HMAC-SHA256, keyed with the webhook verification key, of ``"{ts}.{raw body}"``.
While a key rotates the header carries two ``sig=`` values and either may match.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from ..auth import _utf8
from ..errors import ConfigurationError, WebhookVerificationError

__all__ = ["DEFAULT_TOLERANCE", "SIGNATURE_HEADER", "WebhookVerificationError", "sign", "verify"]

SIGNATURE_HEADER = "Ordergroove-Signature"
DEFAULT_TOLERANCE = 300

# Ordergroove sends one or two signatures; a few more are allowed for safety, but never an unbounded number
# (each costs a comparison) and never an unbounded header.
_MAX_SIGNATURES = 8
_MAX_HEADER_LENGTH = 2048
_TS = re.compile(r"[0-9]{1,15}")
_SIG = re.compile(r"[0-9a-fA-F]{64}")


def key_bytes(key: str) -> bytes:
    """The key as signed with; a :class:`ConfigurationError` that never shows it for an empty or unencodable key."""
    return _utf8("the webhook verification key", key)


def _payload_bytes(payload: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(payload, str):
        try:
            return payload.encode("utf-8")
        except UnicodeEncodeError:
            pass
        # Outside the except block: the UnicodeEncodeError would carry the whole body along as __context__.
        raise ConfigurationError(
            "the webhook payload is text with a lone surrogate, which has no UTF-8 form: pass the raw body bytes"
        )
    if isinstance(payload, bytes | bytearray | memoryview):
        return bytes(payload)
    raise TypeError(f"the webhook payload must be the raw body as bytes, got {type(payload).__name__}")


def _digest(key: bytes, ts: str, payload: bytes) -> str:
    return hmac.new(key, ts.encode("ascii") + b"." + payload, hashlib.sha256).hexdigest()


def sign(payload: bytes | str, key: str, *, timestamp: float | None = None) -> str:
    """The ``Ordergroove-Signature`` header value for ``payload``, signed with ``key`` at ``timestamp``.

    ``timestamp`` is unix seconds (default: now). This is what Ordergroove does when it delivers a webhook;
    use it to test a receiver (the emulator signs its deliveries with it).
    """
    secret = key_bytes(key)
    ts = str(int(time.time() if timestamp is None else timestamp))
    return f"ts={ts},sig={_digest(secret, ts, _payload_bytes(payload))}"


def _malformed(reason: str) -> WebhookVerificationError:
    return WebhookVerificationError(f"malformed Ordergroove-Signature header: {reason}")


def _parse_header(header: str) -> tuple[str, list[str]]:
    """The ``ts`` text (exactly as signed) and the signatures (lowercased) of a header."""
    if not isinstance(header, str):
        raise _malformed("not a string")
    if not header.strip():
        raise _malformed("it is empty")
    if len(header) > _MAX_HEADER_LENGTH:
        raise _malformed("it is too long")
    ts: str | None = None
    signatures: list[str] = []
    for part in header.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise _malformed("expected name=value pairs such as ts=...,sig=...")
        name, value = name.strip().lower(), value.strip()
        if name == "ts":
            if ts is not None:
                raise _malformed("more than one ts= value")
            if not _TS.fullmatch(value):
                raise _malformed("ts= is not unix seconds")
            ts = value
        elif name == "sig":
            if not _SIG.fullmatch(value):
                raise _malformed("a sig= value is not a 64-digit hex HMAC-SHA256")
            signatures.append(value.lower())
            if len(signatures) > _MAX_SIGNATURES:
                raise _malformed("too many sig= values")
        # Other names are ignored, so that a scheme Ordergroove adds later does not break verification.
    if ts is None:
        raise _malformed("no ts= value")
    if not signatures:
        raise _malformed("no sig= value")
    return ts, signatures


def verify(
    payload: bytes | str,
    signature_header: str,
    key: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check that ``payload`` (the raw request body) was signed by Ordergroove with ``key``, recently.

    ``signature_header`` is the ``Ordergroove-Signature`` header value. Any ``sig=`` value may match (two are
    sent while a key rotates). The timestamp must be within ``tolerance`` seconds of ``now`` (default: the
    current time) in either direction. Raises :class:`~ordergroove.errors.WebhookVerificationError` saying
    what failed; the message never contains the key or any signature.
    """
    secret = key_bytes(key)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not tolerance >= 0:
        raise ConfigurationError("the webhook tolerance must be a number of seconds, zero or more")
    body = _payload_bytes(payload)
    ts, signatures = _parse_header(signature_header)
    expected = _digest(secret, ts, body)
    # Every candidate is compared (no early exit), each in constant time, so timing says nothing about which.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise WebhookVerificationError(
            "webhook signature does not match: the body was changed, or it was signed with another key"
        )
    # The timestamp is checked only once the signature holds, so "too old" always means a genuine delivery
    # (a replay, a long retry, or a clock that is off) and never a forgery.
    current = time.time() if now is None else now
    age = current - int(ts)
    if age > tolerance:
        raise WebhookVerificationError(
            f"webhook timestamp is {age:.0f} seconds old, more than the tolerance of {tolerance:g} seconds"
        )
    if -age > tolerance:
        raise WebhookVerificationError(
            f"webhook timestamp is {-age:.0f} seconds in the future, more than the tolerance of {tolerance:g} seconds"
        )

"""Ordergroove webhooks: verify the signature, parse the event, deduplicate deliveries, serve a receiver.

``construct_event(body, header, key)`` verifies and parses in one call. See ``docs/webhooks.md``.
"""

from __future__ import annotations

from ._webhooks.dedup import Deduplicator
from ._webhooks.events import WebhookEvent, WebhookObject, WebhookPayloadError, parse
from ._webhooks.receiver import WebhookReceiver, asgi_receiver
from ._webhooks.signature import DEFAULT_TOLERANCE, SIGNATURE_HEADER, sign, verify
from .errors import WebhookVerificationError

__all__ = [
    "DEFAULT_TOLERANCE",
    "SIGNATURE_HEADER",
    "Deduplicator",
    "WebhookEvent",
    "WebhookObject",
    "WebhookPayloadError",
    "WebhookReceiver",
    "WebhookVerificationError",
    "asgi_receiver",
    "construct_event",
    "parse",
    "sign",
    "verify",
]


def construct_event(
    payload: bytes | str,
    signature_header: str,
    key: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> WebhookEvent:
    """Verify ``payload`` (the raw body) against ``signature_header`` with ``key``, then parse it.

    Raises :class:`~ordergroove.errors.WebhookVerificationError` (bad signature) or
    :class:`WebhookPayloadError` (signed, but not an event envelope).
    """
    verify(payload, signature_header, key, tolerance=tolerance, now=now)
    return parse(payload)

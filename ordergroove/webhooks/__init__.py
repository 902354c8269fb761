"""Ordergroove webhooks: verify the signature, parse the event, deduplicate deliveries, serve a receiver.

``construct_event(body, header, key)`` verifies and parses in one call. See ``docs/webhooks.md``.
"""

from ._dedup import Deduplicator
from ._events import WebhookEvent, WebhookObject, WebhookPayloadError, construct_event, parse
from ._receiver import WebhookReceiver, asgi_receiver
from ._signature import DEFAULT_TOLERANCE, SIGNATURE_HEADER, WebhookVerificationError, sign, verify

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

"""A webhook delivery's JSON envelope, decoded.

The envelope: ``{"id", "type", "created": <unix>, "data": {"object": {...}}, "context", "snapshot"}``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from .._html import table
from ..errors import ResponseDecodeError, WebhookPayloadError
from ..models import Customer, Item, Order, Subscription, from_dict
from ._signature import DEFAULT_TOLERANCE, verify

__all__ = ["WebhookEvent", "WebhookObject", "WebhookPayloadError", "construct_event", "parse"]

WebhookObject: TypeAlias = Subscription | Order | Item | Customer | Mapping[str, Any]

# The event type's prefix (``subscription`` of ``subscription.cancel``) -> the model of its object.
_MODELS: Mapping[str, type[Any]] = MappingProxyType(
    {"subscription": Subscription, "order": Order, "item": Item, "subscriber": Customer}
)


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """One webhook delivery.

    ``object`` is the event's ``data.object`` decoded by the event type's prefix (``subscription.*`` a
    :class:`Subscription`, ``order.*`` an :class:`Order`, ``item.*`` an :class:`Item`, ``subscriber.*`` a
    :class:`Customer`); for another kind, or an object that does not decode, it is the raw mapping.
    ``snapshot`` is decoded the same way. ``raw`` is the whole envelope, unknown fields included: a plain
    mapping, so that an event pickles onto a task queue (treat it as read-only).
    """

    id: str
    type: str
    created: dt.datetime
    object: WebhookObject | None
    snapshot: WebhookObject | None
    raw: Mapping[str, Any] = attrs.field(repr=False)

    @property
    def kind(self) -> str:
        """The part of ``type`` before the first dot (``"subscription"`` for ``subscription.cancel``)."""
        return self.type.partition(".")[0]

    def _repr_html_(self) -> str:
        """A notebook's view: the event, then its object's own table (a model shows what its repr shows, and its
        other fields folded; a raw object shows its field names only, as its values could be anything)."""
        rows = [("type", self.type), ("created", self.created.isoformat(sep=" "))]
        tables = ""
        for name, value in (("object", self.object), ("snapshot", self.snapshot)):
            if value is None:
                continue
            if isinstance(value, Mapping):
                rows.append((name, "a JSON object with " + (", ".join(sorted(map(str, value))) or "no fields")))
            else:
                rows.append((name, repr(value)))
                view = getattr(value, "_repr_html_", None)  # every model has one (given by its class decorator)
                tables += str(view()) if callable(view) else ""
        return table(f"WebhookEvent {self.id}", rows, extra=tables)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _decode(model: type[Any] | None, value: Mapping[str, Any] | None) -> WebhookObject | None:
    if value is None or model is None:
        return value
    try:
        decoded: WebhookObject = from_dict(model, value)
    except ResponseDecodeError:
        # The event is still worth delivering: the handler gets the mapping as sent.
        return value
    return decoded


def _optional_object(value: Any, where: str) -> Mapping[str, Any] | None:
    if value is None or isinstance(value, Mapping):
        return value
    raise WebhookPayloadError(f"webhook {where} is not a JSON object (got {type(value).__name__})")


def parse(payload: bytes | str) -> WebhookEvent:
    """Decode a webhook body into a :class:`WebhookEvent`; it does not check the signature (see ``verify``).

    Raises :class:`WebhookPayloadError` when the body is not a JSON object with a string ``id`` and ``type``
    and a unix ``created``.
    """
    if not isinstance(payload, bytes | bytearray | memoryview | str):
        raise TypeError(f"the webhook payload must be bytes or str, got {type(payload).__name__}")
    try:
        envelope = json.loads(
            bytes(payload) if isinstance(payload, bytearray | memoryview) else payload,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and UnicodeDecodeError; the body itself is not echoed back.
        raise WebhookPayloadError("webhook body is not valid JSON") from None
    if not isinstance(envelope, dict):
        raise WebhookPayloadError(f"webhook body is not a JSON object (got {type(envelope).__name__})")

    event_id = envelope.get("id")
    if not isinstance(event_id, str) or not event_id:
        raise WebhookPayloadError("webhook body has no string 'id'")
    event_type = envelope.get("type")
    if not isinstance(event_type, str) or not event_type:
        raise WebhookPayloadError("webhook body has no string 'type'")
    created_value = envelope.get("created")
    if (
        isinstance(created_value, bool)
        or not isinstance(created_value, int | float)
        or not math.isfinite(created_value)
    ):
        raise WebhookPayloadError("webhook body has no unix timestamp 'created'")
    try:
        created = dt.datetime.fromtimestamp(created_value, tz=dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise WebhookPayloadError("webhook 'created' is out of range") from None

    data = _optional_object(envelope.get("data"), "'data'")
    obj = _optional_object(data.get("object") if data is not None else None, "'data.object'")
    snapshot = _optional_object(envelope.get("snapshot"), "'snapshot'")

    model = _MODELS.get(event_type.partition(".")[0])
    return WebhookEvent(
        id=event_id,
        type=event_type,
        created=created,
        object=_decode(model, obj),
        snapshot=_decode(model, snapshot),
        raw=envelope,
    )


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

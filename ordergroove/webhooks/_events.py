"""A webhook delivery's JSON envelope, decoded.

The envelope: ``{"id", "type", "created": <unix>, "data": {"object": {...}}, "context", "snapshot"}``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from .._html import table
from .._json import loads
from ..errors import ResponseDecodeError, WebhookPayloadError
from ..models import Customer, Item, Order, Subscription, decode
from ._signature import DEFAULT_TOLERANCE, verify

__all__ = ["WebhookEvent", "WebhookObject", "WebhookPayloadError", "construct_event", "parse"]

WebhookObject: TypeAlias = Subscription | Order | Item | Customer | Mapping[str, Any]

# The event type's prefix (``subscription`` of ``subscription.cancel``) -> the model of its object.
_MODELS: Mapping[str, type[Any]] = MappingProxyType(
    {"subscription": Subscription, "order": Order, "item": Item, "subscriber": Customer}
)
_MODEL_OF: dict[str, type[Any]] = dict(_MODELS)  # a plain dict: looked up once per delivery


@attrs.frozen(kw_only=True, slots=False)
class WebhookEvent:
    """One webhook delivery.

    ``object`` is the event's ``data.object`` decoded by the event type's prefix (``subscription.*`` a
    :class:`Subscription`, ``order.*`` an :class:`Order`, ``item.*`` an :class:`Item`, ``subscriber.*`` a
    :class:`Customer`), as leniently as the client decodes: a value of no documented form leaves that attribute
    None and is kept in the model's ``unparsed``. For another kind, or an object that cannot be a model at all (a
    required field missing), it is the raw mapping. ``snapshot`` is decoded the same way. ``raw`` is the whole
    envelope, unknown fields included: a plain mapping, so that an event pickles onto a task queue. The models share
    its values (nothing is copied), so treat it as read-only.
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


def _decode(model: type[Any], value: dict[str, Any], strict: bool, where: str) -> WebhookObject:
    try:
        # Not copied: the envelope was parsed here, for this event alone.
        decoded: WebhookObject = decode(model, value, strict=strict)
    except ResponseDecodeError as exc:
        if strict:
            raise WebhookPayloadError(f"webhook {where} does not decode: {exc.message}") from exc
        # The event is still worth delivering: the handler gets the mapping as sent.
        return value
    return decoded


def _object(value: Any, where: str) -> dict[str, Any] | None:
    if value is None or value.__class__ is dict:  # what the parser gives for a JSON object
        return value
    raise WebhookPayloadError(f"webhook {where} is not a JSON object (got {type(value).__name__})")


_UTC = dt.timezone.utc
_from_timestamp = dt.datetime.fromtimestamp
_new = object.__new__
_set = object.__setattr__


def parse(payload: bytes | str, *, strict: bool = False) -> WebhookEvent:
    """Decode a webhook body into a :class:`WebhookEvent`; it does not check the signature (see ``verify``).

    Raises :class:`WebhookPayloadError` when the body is not a JSON object with a string ``id`` and ``type``
    and a unix ``created``. ``strict=True`` also refuses an object (or snapshot) of a known kind that does not
    decode, or that holds a value of no documented form, naming the field (the :class:`ResponseDecodeError` is the
    error's ``__cause__``); by default such a value costs only its attribute (see ``WebhookEvent``).
    """
    # The checks test the exact types first: a receiver parses every delivery, and this is most of its own cost.
    if payload.__class__ is not bytes and payload.__class__ is not str:
        if not isinstance(payload, bytes | bytearray | memoryview | str):
            raise TypeError(f"the webhook payload must be bytes or str, got {type(payload).__name__}")
        if isinstance(payload, memoryview):
            payload = bytes(payload)
    if strict is not False and strict is not True:
        raise TypeError(f"strict must be True or False, got {strict!r}")
    try:
        envelope = loads(payload)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and UnicodeDecodeError; the body itself is not echoed back.
        raise WebhookPayloadError("webhook body is not valid JSON") from None
    if envelope.__class__ is not dict:
        raise WebhookPayloadError(f"webhook body is not a JSON object (got {type(envelope).__name__})")

    get = envelope.get
    event_id = get("id")
    if event_id.__class__ is not str or not event_id:
        raise WebhookPayloadError("webhook body has no string 'id'")
    event_type = get("type")
    if event_type.__class__ is not str or not event_type:
        raise WebhookPayloadError("webhook body has no string 'type'")
    created_value = get("created")
    # An int (not a bool: its class is bool), or a finite float.
    if created_value.__class__ is not int and (
        created_value.__class__ is not float or not math.isfinite(created_value)
    ):
        raise WebhookPayloadError("webhook body has no unix timestamp 'created'")
    try:
        created = _from_timestamp(created_value, _UTC)
    except (OverflowError, OSError, ValueError):
        raise WebhookPayloadError("webhook 'created' is out of range") from None

    data = _object(get("data"), "'data'")
    obj: WebhookObject | None = _object(data.get("object") if data is not None else None, "'data.object'")
    snapshot: WebhookObject | None = _object(get("snapshot"), "'snapshot'")

    model = _MODEL_OF.get(event_type.partition(".")[0])
    if model is not None:
        if obj.__class__ is dict:
            obj = _decode(model, obj, strict, "'data.object'")
        if snapshot.__class__ is dict:
            snapshot = _decode(model, snapshot, strict, "'snapshot'")
    # Every field is checked above: the event gets its attributes in one step, as the models do (its __init__
    # would set them one by one, a third of what parsing costs once the object is decoded).
    event = _new(WebhookEvent)
    _set(
        event,
        "__dict__",
        {"id": event_id, "type": event_type, "created": created, "object": obj, "snapshot": snapshot, "raw": envelope},
    )
    return event


def construct_event(
    payload: bytes | str,
    signature_header: str,
    key: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
    strict: bool = False,
) -> WebhookEvent:
    """Verify ``payload`` (the raw body) against ``signature_header`` with ``key``, then parse it (``strict``: as
    :func:`parse`'s).

    Raises :class:`~ordergroove.errors.WebhookVerificationError` (bad signature) or
    :class:`WebhookPayloadError` (signed, but not an event envelope).
    """
    verify(payload, signature_header, key, tolerance=tolerance, now=now)
    return parse(payload, strict=strict)

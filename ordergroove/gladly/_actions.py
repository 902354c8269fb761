"""The eight App Platform actions of Gladly's Ordergroove app, as JSON endpoints (``POST /actions/<name>``).

Same inputs, result shapes and error texts as Gladly's app: results carry Ordergroove's fields with datetimes as
``YYYY-MM-DDTHH:MM:SSZ`` and order statuses by name; errors answer ``{"errors": [{"code", "detail"}]}`` whose
``detail`` is the text the app shows an agent (``subscription with id X does not exist``, ``cancel failed: ...``).
An action that changes a subscription also takes an optional ``gladlyCustomerId``: the customer whose timeline
gets the note.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from ordergroove.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    OrdergrooveError,
)
from ordergroove.gladly import _forms, _mapping
from ordergroove.gladly._service import Service, ServiceError, error_item
from ordergroove.gladly._timeline import activity_id

__all__ = ["ACTIONS", "ActionSpec", "run_action"]

_BODY_PREVIEW = 300

Note = tuple[str, str, str]  # title, body, item id
Handler = Callable[[Service, Mapping[str, Any]], Awaitable[tuple[Any, Note | None]]]


@attrs.frozen
class ActionSpec:
    """An action: its handler, the verb of its error texts, and what its 404 is about (kind, input)."""

    handler: Handler
    verb: str
    not_found: tuple[str, str] | None = None
    acting: bool = False


def _required_id(inputs: Mapping[str, Any], attr: str, errors: _forms.Errors) -> str:
    value = _forms.text_answer(inputs, attr)
    if value is None:
        errors.add(attr, "required", f"{attr} is required")
        return ""
    return value


def _the_id(inputs: Mapping[str, Any], attr: str) -> str:
    """The one id an action needs, or the form's error when it is missing."""
    errors = _forms.Errors()
    value = _required_id(inputs, attr, errors)
    errors.raise_any()
    return value


def _gladly_customer(inputs: Mapping[str, Any]) -> str | None:
    return _forms.text_answer(inputs, "gladlyCustomerId")


async def _subscriptions_by_customer(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    customer_id = _the_id(inputs, "customerId")
    subscriptions = await service.client.subscriptions.list(customer=customer_id).to_list()
    return [_mapping.platform_record(subscription) for subscription in subscriptions], None


async def _subscription_by_id(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    subscription_id = _the_id(inputs, "subscriptionId")
    return _mapping.platform_record(await service.client.subscriptions.retrieve(subscription_id)), None


async def _cancellation_reasons(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    return _mapping.platform_cancel_reasons(await service.client.merchant.cancel_reasons()), None


async def _order_items(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    order_id = _the_id(inputs, "orderId")
    items = await service.client.items.list(order=order_id).to_list()
    return [_mapping.platform_record(item) for item in items], None


async def _shipping_address(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    address_id = _the_id(inputs, "addressId")
    return _mapping.platform_record(await service.client.addresses.retrieve(address_id)), None


async def _cancel(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    errors = _forms.Errors()
    subscription_id = _required_id(inputs, "subscriptionId", errors)
    code = _forms.positive_int(inputs, "cancelReasonCode", errors, required=False)
    details = _forms.text_answer(inputs, "cancelReasonDetails")
    if details is not None and code is None:
        errors.add("cancelReasonCode", "required", "cancelReasonDetails needs a cancelReasonCode")
    errors.raise_any()
    result = await service.client.subscriptions.cancel(subscription_id, reason_code=code, reason_details=details)
    message, detail = _mapping.cancel_summary(result)
    note_id = activity_id(_mapping.CANCEL, result.public_id, _mapping.format_timestamp(result.cancelled) or "")
    return _mapping.platform_record(result), (f"Ordergroove: {message}", detail, note_id)


async def _reactivate(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    errors = _forms.Errors()
    subscription_id = _required_id(inputs, "subscriptionId", errors)
    every = _forms.positive_int(inputs, "every", errors)
    every_period = _forms.period(inputs, "everyPeriod", errors)
    start_date = _forms.iso_date(inputs, "startDate", errors)
    errors.raise_any()
    assert every is not None and every_period is not None and start_date is not None
    result = await service.client.subscriptions.reactivate(
        subscription_id, every=every, every_period=every_period, start_date=start_date
    )
    message, detail = _mapping.reactivate_summary(result)
    note_id = activity_id(
        _mapping.REACTIVATE, result.public_id, _mapping.format_timestamp(result.updated) or start_date.isoformat()
    )
    return _mapping.platform_record(result), (f"Ordergroove: {message}", detail, note_id)


async def _skip(service: Service, inputs: Mapping[str, Any]) -> tuple[Any, Note | None]:
    errors = _forms.Errors()
    order_id = _required_id(inputs, "orderId", errors)
    subscription_id = _required_id(inputs, "subscriptionId", errors)
    errors.raise_any()
    order = await service.client.orders.skip_subscription(order_id, subscription_id)
    message, detail = _mapping.skip_summary(subscription_id, order)
    note_id = activity_id(_mapping.SKIP, subscription_id, order.public_id)
    return _mapping.platform_record(order), (f"Ordergroove: {message}", detail, note_id)


ACTIONS: Mapping[str, ActionSpec] = {
    "getSubscriptionsByCustomerId": ActionSpec(_subscriptions_by_customer, "get subscriptions"),
    "getSubscriptionById": ActionSpec(_subscription_by_id, "get subscription", ("subscription", "subscriptionId")),
    "getCancellationReasons": ActionSpec(_cancellation_reasons, "get cancellation reasons"),
    "getOrderItems": ActionSpec(_order_items, "get order items", ("order", "orderId")),
    "getShippingAddress": ActionSpec(_shipping_address, "get shipping address", ("address", "addressId")),
    "cancelSubscription": ActionSpec(_cancel, "cancel", ("subscription", "subscriptionId"), acting=True),
    "reactivateSubscription": ActionSpec(_reactivate, "reactivate", ("subscription", "subscriptionId"), acting=True),
    "skipSubscription": ActionSpec(_skip, "skip subscription", ("order", "orderId"), acting=True),
}


def _failure(spec: ActionSpec, inputs: Mapping[str, Any], exc: OrdergrooveError) -> ServiceError:
    """Gladly's app's error texts: 404 names the record, 400 gives Ordergroove's messages, else the status; an
    action that may have been applied says so (:func:`_forms.unknown_outcome`)."""
    unknown = _forms.unknown_outcome(spec.verb, exc) if spec.acting else None
    if unknown is not None:
        return unknown
    if isinstance(exc, NotFoundError) and spec.not_found is not None:
        kind, attr = spec.not_found
        return ServiceError.one(404, "not_found", f"{kind} with id {_forms.text_answer(inputs, attr)} does not exist")
    if isinstance(exc, BadRequestError):
        messages = [message for values in exc.field_errors.values() for message in values]
        reason = exc.detail or ", ".join(messages) or exc.body
        return ServiceError.one(400, "refused", f"{spec.verb} failed: {reason}")
    if isinstance(exc, APIStatusError):
        body = " ".join(exc.body.split())
        body = body if len(body) <= _BODY_PREVIEW else body[:_BODY_PREVIEW] + "..."
        return ServiceError.one(502, "ordergroove_error", f"{spec.verb} failed: {exc.status_code} {body}".rstrip())
    if isinstance(exc, APITimeoutError):
        return ServiceError.one(504, "ordergroove_timeout", f"{spec.verb} failed: Ordergroove did not answer in time")
    if isinstance(exc, APIConnectionError):
        return ServiceError.one(503, "ordergroove_unavailable", f"{spec.verb} failed: Ordergroove could not be reached")
    return ServiceError.one(502, "ordergroove_error", f"{spec.verb} failed: {exc}")


async def run_action(service: Service, name: str, inputs: Mapping[str, Any]) -> Any:
    """Run one App Platform action; its JSON result, or :class:`ServiceError`."""
    spec = ACTIONS.get(name)
    if spec is None:
        known = ", ".join(sorted(ACTIONS))
        raise ServiceError(404, [error_item("unknown_action", f"no action {name!r}; the actions are: {known}")])
    try:
        result, note = await asyncio.wait_for(spec.handler(service, inputs), service.deadline)
    except asyncio.TimeoutError:
        text = f"{spec.verb} failed: Ordergroove did not answer within {service.deadline:g} s"
        if spec.acting:
            text += "; the change may have been applied"
        raise ServiceError.one(504, "ordergroove_timeout", text) from None
    except ConfigurationError as exc:
        raise ServiceError.one(400, "invalid", str(exc)) from None
    except OrdergrooveError as exc:
        raise _failure(spec, inputs, exc) from None
    if note is not None:  # after the deadline's reach: the action is done whatever happens to the note
        title, body, item_id = note
        await service.note(_gladly_customer(inputs), title=title, body=body, item_id=item_id)
    return result

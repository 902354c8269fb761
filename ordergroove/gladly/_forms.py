"""Gladly's form actions: ``GET formUrl`` answers the form, ``POST actionUrl`` (the same URL) performs it.

Answers: ``200 {"message", "detail"}``; ``400 {"errors": [{"attr", "code", "detail"}]}`` for input the agent can
fix; ``406`` when the action no longer applies (the subscription changed meanwhile), which closes the form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from ordergroove.domain import pick_next_order
from ordergroove.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ConfigurationError,
    NotFoundError,
    NoUpcomingOrderError,
    OrdergrooveError,
    ResourceLockedError,
    ResponseDecodeError,
)
from ordergroove.gladly import _mapping
from ordergroove.gladly._service import Service, ServiceError, ascii_int, error_item, upstream_error, within
from ordergroove.gladly._timeline import activity_id
from ordergroove.models import OrderStatus, Period

__all__ = [
    "FORM_KINDS",
    "Errors",
    "FormContext",
    "checkbox",
    "form",
    "iso_date",
    "period",
    "positive_int",
    "submit",
    "text_answer",
    "unknown_outcome",
]

FORM_KINDS = (_mapping.CANCEL, _mapping.SKIP, _mapping.REACTIVATE)

_PERIOD_OPTIONS = [
    {"text": "Days", "value": str(int(Period.DAYS))},
    {"text": "Weeks", "value": str(int(Period.WEEKS))},
    {"text": "Months", "value": str(int(Period.MONTHS))},
    {"text": "Years", "value": str(int(Period.YEARS))},
]
_PERIOD_NAMES = {p.name.lower(): p for p in Period} | {p.name.lower().rstrip("s"): p for p in Period}
_TRUE = frozenset({"true", "on", "yes", "1", "checked", "y"})
# Ordergroove's field names -> the form's attrs, so a field error lands on the input the agent can fix.
_FORM_ATTRS = {
    "cancel_reason": "cancelReasonCode",
    "every": "every",
    "every_period": "everyPeriod",
    "start_date": "startDate",
}
_MAX_DETAILS = 250
# A number an agent types is at most this many digits (Ordergroove's codes and frequencies are small).
_MAX_DIGITS = 9
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class FormContext:
    """Which form: its kind, subscription, optional order, Gladly's customer (for the note) and URL prefix."""

    def __init__(
        self,
        kind: str,
        subscription_id: str,
        *,
        order_id: str | None = None,
        gladly_customer_id: str | None = None,
        root_path: str = "",
    ) -> None:
        self.kind = kind
        self.subscription_id = subscription_id
        self.order_id = order_id
        self.gladly_customer_id = gladly_customer_id
        self.root_path = root_path

    @property
    def url(self) -> str:
        return _mapping.form_url(
            self.kind,
            self.subscription_id,
            order_id=self.order_id,
            gladly_customer_id=self.gladly_customer_id,
            root_path=self.root_path,
        )


# -- answers -------------------------------------------------------------------------------------------------------
class Errors:
    """Every problem of a submission at once, so the agent fixes them in one go."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, attr: str, code: str, detail: str) -> None:
        self.items.append(error_item(code, detail, attr))

    def raise_any(self) -> None:
        if self.items:
            raise ServiceError(400, self.items)


def text_answer(answers: Mapping[str, Any], attr: str) -> str | None:
    """An answer as text: a string, a number, or a one-element list of either; ``None`` when blank."""
    value = answers.get(attr)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):  # never through float(): an int of 400 digits would overflow it
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def positive_int(answers: Mapping[str, Any], attr: str, errors: Errors, *, required: bool = True) -> int | None:
    text = text_answer(answers, attr)
    if text is None:
        if required:
            errors.add(attr, "required", f"{attr} is required")
        return None
    number = ascii_int(text, max_digits=_MAX_DIGITS)
    if number is None or number < 1:
        errors.add(attr, "invalid", f"{attr} must be a whole number from 1 to {10**_MAX_DIGITS - 1}")
        return None
    return number


def period(answers: Mapping[str, Any], attr: str, errors: Errors) -> Period | None:
    text = text_answer(answers, attr)
    if text is None:
        errors.add(attr, "required", f"{attr} is required")
        return None
    number = ascii_int(text, max_digits=1)
    if number is not None and number in {int(p) for p in Period}:
        return Period(number)
    if text.lower() in _PERIOD_NAMES:
        return _PERIOD_NAMES[text.lower()]
    errors.add(attr, "invalid", f"{attr} must be days, weeks, months or years (1 to 4)")
    return None


def iso_date(answers: Mapping[str, Any], attr: str, errors: Errors) -> dt.date | None:
    text = text_answer(answers, attr)
    if text is None:
        errors.add(attr, "required", f"{attr} is required")
        return None
    # A datetime is taken for its date. The pattern keeps to ASCII digits and one spelling (fromisoformat
    # would also take 20250131).
    if (len(text) == 10 or text[10:11] in {"T", " "}) and _ISO_DATE.fullmatch(text[:10]):
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    errors.add(attr, "invalid", f"{attr} must be a date like 2025-01-31")
    return None


def checkbox(answers: Mapping[str, Any], attr: str) -> bool:
    value = answers.get(attr)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in _TRUE


# -- GET formUrl -----------------------------------------------------------------------------------------------------
def _input(label: str, attr: str, hint: str, input_: dict[str, Any]) -> dict[str, Any]:
    return {"type": "input", "label": label, "attr": attr, "hint": hint, "input": input_}


async def form(service: Service, context: FormContext) -> dict[str, Any]:
    """The form for ``context``: its title, buttons, ``actionUrl`` and input sections."""
    if context.kind == _mapping.CANCEL:
        try:
            reasons = await within(service.client.merchant.cancel_reasons(), service.deadline)
        except OrdergrooveError as exc:
            raise upstream_error(exc) from None
        sections = [
            _input(
                "Reason",
                "cancelReasonCode",
                "Why the customer cancels",
                {"type": "select", "options": _mapping.cancel_reason_options(reasons)},
            ),
            _input(
                "Details",
                "cancelReasonDetails",
                f"In the customer's words (up to {_MAX_DETAILS} characters)",
                {"type": "text", "optional": True},
            ),
        ]
        title, submit_text, close_text = "Cancel subscription", "Cancel subscription", "Keep subscription"
    elif context.kind == _mapping.SKIP:
        title = "Skip this order" if context.order_id else "Skip the next order"
        if context.order_id is None:
            context = await _bound_to_next_order(service, context)
        if context.order_id is None:
            # Nothing to bind the form to: it says so, and its POST (which names no order) never skips.
            label = f"Subscription {context.subscription_id} has no upcoming order: there is nothing to skip"
            hint = "Close this form; once an order is scheduled, refresh the profile and open it again"
            title, submit_text, close_text = "No order to skip", "Skip", "Close"
        else:
            label = f"Skip order {context.order_id} of subscription {context.subscription_id}"
            hint = "The following order is scheduled one frequency later"
            submit_text, close_text = "Skip", "Don't skip"
        sections = [_input(label, "confirm", hint, {"type": "checkbox"})]
    else:
        sections = [
            _input("Every", "every", "How many periods between orders, e.g. 2", {"type": "text"}),
            _input(
                "Period", "everyPeriod", "The unit of the frequency", {"type": "select", "options": _PERIOD_OPTIONS}
            ),
            _input("Start date", "startDate", "YYYY-MM-DD", {"type": "text"}),
        ]
        title, submit_text, close_text = "Reactivate subscription", "Reactivate", "Close"
    return {
        "title": title,
        "submitButton": submit_text,
        "closeButton": close_text,
        "actionUrl": context.url,
        "sections": sections,
    }


async def _bound_to_next_order(service: Service, context: FormContext) -> FormContext:
    """The skip form's ``actionUrl`` names the order it skips: when Gladly repeats the POST (its answer was lost
    or late), the repeat finds the subscription gone from that order (406) instead of skipping the order after it.
    Without an upcoming order the context stays unbound, and its POST is refused (see :func:`submit`)."""
    try:
        upcoming = await within(
            service.client.orders.list(subscription=context.subscription_id, status=OrderStatus.UNSENT).to_list(),
            service.deadline,
        )
    except OrdergrooveError as exc:
        raise upstream_error(exc) from None
    try:
        order = pick_next_order(context.subscription_id, upcoming)
    except NoUpcomingOrderError:
        return context
    return FormContext(
        context.kind,
        context.subscription_id,
        order_id=order.public_id,
        gladly_customer_id=context.gladly_customer_id,
        root_path=context.root_path,
    )


# -- POST actionUrl --------------------------------------------------------------------------------------------------
def _gone(detail: str) -> ServiceError:
    return ServiceError.one(406, "not_applicable", detail)


def _refused(exc: BadRequestError) -> ServiceError:
    """Ordergroove's 400: a field error on an input of the form is the agent's to fix (400); anything else is a
    state error (the subscription changed meanwhile) and closes the form (406)."""
    fixable = [
        error_item("invalid", "; ".join(messages), _FORM_ATTRS[name])
        for name, messages in exc.field_errors.items()
        if name in _FORM_ATTRS
    ]
    if fixable:
        return ServiceError(400, fixable)
    messages = [m for ms in exc.field_errors.values() for m in ms]
    return _gone(exc.detail or "; ".join(messages) or "Ordergroove refused the change.")


async def submit(service: Service, context: FormContext, answers: Mapping[str, Any]) -> dict[str, str]:
    """Check the answers, check that the action still applies, perform it, write the timeline note."""
    perform: Callable[[], Awaitable[tuple[str, str, str]]]
    errors = Errors()
    if context.kind == _mapping.CANCEL:
        code = positive_int(answers, "cancelReasonCode", errors)
        details = text_answer(answers, "cancelReasonDetails")
        if details is not None and len(details) > _MAX_DETAILS:
            errors.add("cancelReasonDetails", "too_long", f"at most {_MAX_DETAILS} characters")
        if details is not None and "|" in details:
            errors.add("cancelReasonDetails", "invalid", "the details must not contain '|'")
        errors.raise_any()
        assert code is not None

        async def perform() -> tuple[str, str, str]:
            await _require(service, context, active=True)
            result = await service.client.subscriptions.cancel(
                context.subscription_id, reason_code=code, reason_details=details
            )
            note_id = activity_id(_mapping.CANCEL, result.public_id, _mapping.format_timestamp(result.cancelled) or "")
            return (*_mapping.cancel_summary(result), note_id)

    elif context.kind == _mapping.SKIP:
        order_id = context.order_id
        if order_id is None:
            # The form was shown while there was no upcoming order. Skipping "the next order" now would act on
            # an order the agent never saw, and each repeat of the POST would skip one more.
            raise _gone(
                f"This skip form was opened when subscription {context.subscription_id} had no upcoming order, "
                "so it named no order: nothing was skipped. Refresh the profile and open the form again."
            )
        if not checkbox(answers, "confirm"):
            errors.add("confirm", "required", "tick the box to confirm the skip")
        errors.raise_any()

        async def perform() -> tuple[str, str, str]:
            await _require(service, context, active=True)
            try:
                order = await service.client.orders.retrieve(order_id)
            except NotFoundError:
                raise _gone(f"Order {order_id} no longer exists in Ordergroove.") from None
            if not order.is_upcoming:
                status = _mapping.order_status_name(order.status) or "its status is unreadable"
                raise _gone(f"Order {order_id} is no longer upcoming ({status}).")
            skipped = await service.client.orders.skip_subscription(order.public_id, context.subscription_id)
            note_id = activity_id(_mapping.SKIP, context.subscription_id, skipped.public_id)
            return (*_mapping.skip_summary(context.subscription_id, skipped), note_id)

    else:
        every = positive_int(answers, "every", errors)
        every_period = period(answers, "everyPeriod", errors)
        start_date = iso_date(answers, "startDate", errors)
        errors.raise_any()
        assert every is not None and every_period is not None and start_date is not None

        async def perform() -> tuple[str, str, str]:
            await _require(service, context, active=False)
            result = await service.client.subscriptions.reactivate(
                context.subscription_id, every=every, every_period=every_period, start_date=start_date
            )
            note_id = activity_id(
                _mapping.REACTIVATE,
                result.public_id,
                _mapping.format_timestamp(result.updated) or start_date.isoformat(),
            )
            return (*_mapping.reactivate_summary(result), note_id)

    try:
        message, detail, note_id = await within(perform(), service.deadline, acting=True)
    except NotFoundError:
        raise _gone(f"Subscription {context.subscription_id} no longer exists in Ordergroove.") from None
    except ResourceLockedError:
        raise ServiceError.one(
            400, "locked", "Ordergroove is processing this order right now; submit again in a moment."
        ) from None
    except BadRequestError as exc:
        raise _refused(exc) from None
    except ConfigurationError as exc:
        raise ServiceError.one(400, "invalid", str(exc)) from None
    except OrdergrooveError as exc:
        raise (unknown_outcome(context.kind, exc) or upstream_error(exc)) from None
    await service.note(context.gladly_customer_id, title=f"Ordergroove: {message}", body=detail, item_id=note_id)
    return {"message": message, "detail": detail}


async def _require(service: Service, context: FormContext, *, active: bool) -> None:
    """406 unless the subscription is still in the state the action needs (it may have changed since the lookup)."""
    subscription = await service.client.subscriptions.retrieve(context.subscription_id)
    if active and not subscription.is_active:
        raise _gone(f"Subscription {subscription.public_id} is no longer active.")
    if not active and subscription.is_active:
        raise _gone(f"Subscription {subscription.public_id} is already active.")


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def unknown_outcome(verb: str, exc: OrdergrooveError) -> ServiceError | None:
    """The answer to an action that changes Ordergroove and failed after its request may have reached it: a 5xx,
    a timeout or a connection lost after sending, or a 2xx answer that could not be read. The change may be done,
    so the agent is told to refresh, never that it failed or to try again (a second cancel, skip or reactivation
    must not follow). None when nothing was applied: a read failed (the state check), or the request never left.
    """
    if getattr(exc, "method", None) in _READS:
        return None
    if isinstance(exc, APITimeoutError) and exc.request_sent:
        status, code, what = 504, "ordergroove_timeout", "Ordergroove did not answer in time"
    elif isinstance(exc, APIConnectionError) and exc.request_sent:
        status, code, what = 503, "ordergroove_unavailable", "the connection to Ordergroove was lost after sending"
    elif isinstance(exc, APIStatusError) and exc.status_code >= 500:
        status = 504 if exc.status_code == 504 else 503
        code, what = "ordergroove_error", f"Ordergroove answered {exc.status_code}"
    elif isinstance(exc, ResponseDecodeError):
        status, code, what = 502, "ordergroove_error", "Ordergroove's answer could not be read"
    else:
        return None
    detail = f"{verb}: the outcome is unknown ({what}); the change may have been applied: refresh before retrying."
    return ServiceError.one(status, code, detail)

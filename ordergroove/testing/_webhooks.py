"""Webhooks from the emulator: every change it applies is delivered, signed, to the subscribed receivers.

Deliveries leave from one background thread, in the order the changes were applied, so a receiver sees what
Ordergroove would send: a POST with the event envelope and an ``Ordergroove-Signature`` header. A delivery that
does not get a 2xx is tried again (Ordergroove retries too), so receivers must tolerate duplicates.
"""

from __future__ import annotations

import json
import queue
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import httpx

from ordergroove.errors import ConfigurationError
from ordergroove.webhooks import SIGNATURE_HEADER, sign

# What the emulator's actions are called as webhook event types.
EVENT_TYPES: Mapping[tuple[str, str], str] = {
    ("subscriptions", "cancel"): "subscription.cancel",
    ("subscriptions", "reactivate"): "subscription.reactivate",
    ("subscriptions", "change_quantity"): "subscription.change_quantity",
    ("subscriptions", "change_frequency"): "subscription.change_frequency",
    ("subscriptions", "change_next_order_date"): "order.change_next_order_date",
    ("subscriptions", "change_shipping"): "order.change_shipping_address",
    ("subscriptions", "change_payment"): "order.change_payment",
    ("subscriptions", "change_product"): "subscription.sku_swap",
    ("subscriptions", "update"): "subscription.update",
    ("orders", "skip_subscription"): "order.skip_order",
    ("orders", "cancel"): "order.cancel",
    ("orders", "send_now"): "order.send_now",
    ("orders", "change_place_date"): "order.change_next_order_date",
    ("items", "change_quantity"): "item.change_quantity",
    ("items", "delete"): "item.delete",
    ("customers", "set_contact_details"): "subscriber.update",
    ("customers", "update"): "subscriber.update",
    ("customers", "create"): "subscriber.create",
    ("subscriptions", "update_components"): "subscription.change_components",
    ("orders", "change_shipping"): "order.change_shipping_address",
    ("orders", "finalize_placement"): "order.success",
}

Receiver = Callable[[bytes, Mapping[str, str]], Any]


@attrs.frozen
class Delivery:
    """One attempt to deliver one event to one receiver."""

    event_id: str
    event_type: str
    target: str
    status: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@attrs.define
class _Subscription:
    target: str | Receiver
    key: str = attrs.field(repr=False)


class Webhooks:
    """``fake.webhooks``: subscribe receivers; every applied change is then delivered to each of them."""

    def __init__(self, *, max_attempts: int = 3, timeout: float = 5.0) -> None:
        self._subscriptions: list[_Subscription] = []
        self._queue: queue.Queue[tuple[dict[str, Any], int, list[_Subscription]] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._http: httpx.Client | None = None
        self._pending = 0
        self._idle = threading.Condition(self._lock)
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []

    def subscribe(self, target: str | Receiver, key: str) -> None:
        """Deliver events to ``target`` — a URL (POSTed to) or a callable ``(body, headers)`` — signed with ``key``."""
        # An empty or unencodable key is refused here (signing checks it as every delivery will), never in the
        # delivery thread.
        sign(b"", key)
        if isinstance(target, str):
            if not target.startswith(("http://", "https://")):
                raise ConfigurationError("a webhook URL must start with http:// or https://")
        elif not callable(target):
            raise ConfigurationError("a webhook target must be a URL or a callable (body, headers)")
        with self._lock:
            self._subscriptions.append(_Subscription(target, key))
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="ordergroove-fake-webhooks", daemon=True)
                self._worker.start()

    def emit(self, resource: str, action: str, obj: Any, before: Any, created: int) -> None:
        """Queue the event of one applied change (called by the emulator, under its lock)."""
        event_type = EVENT_TYPES.get((resource, action), f"{resource.rstrip('s')}.{action}")
        event = {
            "id": secrets.token_hex(16),
            "type": event_type,
            "created": created,
            "data": {"object": obj},
            "context": {"source": "ordergroove.testing"},
            "snapshot": before,
        }
        with self._lock:
            self.events.append(event)
            if not self._subscriptions:
                return
            self._pending += 1
            targets = list(self._subscriptions)
        self._queue.put((event, 1, targets))

    def wait(self, timeout: float = 10.0) -> bool:
        """Wait until every queued event has been delivered (or given up on); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        """Stop the delivery thread (undelivered events are dropped)."""
        with self._lock:
            worker, self._worker = self._worker, None
        if worker is not None:
            self._queue.put(None)
            worker.join(timeout=10)
        if self._http is not None:
            self._http.close()
            self._http = None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            event, attempt, targets = item
            body = json.dumps(event, separators=(",", ":")).encode()
            failed = []
            for subscription in targets:
                delivery = self._deliver(subscription, event, body)
                with self._lock:
                    self.deliveries.append(delivery)
                if not delivery.ok:
                    failed.append(subscription)
            if failed and attempt < self.max_attempts:
                # Only the receivers that failed get it again; like Ordergroove's, a retry may still duplicate.
                self._queue.put((event, attempt + 1, failed))
                continue
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _deliver(self, subscription: _Subscription, event: dict[str, Any], body: bytes) -> Delivery:
        target = subscription.target
        name = target if isinstance(target, str) else getattr(target, "__name__", "callable")
        try:
            headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, subscription.key)}
            if isinstance(target, str):
                if self._http is None:
                    self._http = httpx.Client(timeout=self.timeout)
                status: int | None = self._http.post(target, content=body, headers=headers).status_code
            else:
                answer = target(body, headers)
                status = answer if isinstance(answer, int) else 200
        except Exception as exc:
            return Delivery(event["id"], event["type"], name, None, type(exc).__name__)
        return Delivery(event["id"], event["type"], name, status)

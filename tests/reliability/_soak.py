"""The fault soak: many mixed calls, sync and async, against the emulator served on 127.0.0.1 with faults.

Every call is tagged (a request header set from a context variable by an httpx event hook), so the emulator's
request log says, per call, how many requests it sent, which faults they met and whether the state changed.
Each of the 8 workers owns a slice of the demo's customers (their subscriptions, orders, items, addresses and
payments): no other worker changes them, so every read can be compared with the emulator's state right after.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import datetime as dt
import inspect
import itertools
import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import httpx

import ordergroove as og
from ordergroove import _io
from ordergroove.domain import summarize
from ordergroove.models import Order, Subscription
from ordergroove.testing import FakeOrdergroove, serve
from ordergroove.testing._faults import Fault, Faults, default_body
from ordergroove.testing._records import RecordedRequest
from ordergroove.testing._store import STATUS_CANCELLED, STATUS_SEND_NOW

TAG_HEADER = "x-soak-call"
WORKERS = 8
CLIENT_TIMEOUT = 0.3
FAULT_DELAY = 0.5
RETRY_AFTER = "7"  # seconds announced by the throttled answers that carry Retry-After (the sleep is patched)
FAULT_KINDS = (
    "500",
    "502",
    "503",
    "429",
    "429+retry-after",
    "423",
    "delay",
    "drop-before",
    "drop-after",
    "truncate",
)

# One call: its name, whether it is an action, the call itself, and the check of its result.
Planned = tuple[str, bool, Callable[[Any], Any], Callable[[Any], str | None]]
# The actions that set a value (retry-safe in docs/api.md): the client sends them again after an ambiguous failure,
# so the emulator may apply them more than once, each time to the same effect. Every other action is applied at
# most once.
RETRY_SAFE = frozenset(
    {
        "customers.set_contact_details",
        "subscriptions.change_quantity",
        "subscriptions.change_frequency",
        "subscriptions.change_next_order_date",
        "orders.change_place_date",
    }
)

_tag: contextvars.ContextVar[str | None] = contextvars.ContextVar("soak_tag", default=None)


class SoakFaults(Faults):
    """``Faults.random`` with every kind the soak needs (429 with and without ``Retry-After``), counted by kind."""

    def __init__(self, rate: float, seed: int) -> None:
        super().__init__()
        self.rate = rate
        self.rng = random.Random(seed)
        self.counts: collections.Counter[str] = collections.Counter()

    def pick(self, method: str, path: str) -> Fault | None:  # called under the emulator's lock
        if self.rng.random() >= self.rate:
            return None
        injected = sum(self.counts.values())
        # The first faults go through every kind once, so that even a short soak meets each of them.
        kind = FAULT_KINDS[injected] if injected < len(FAULT_KINDS) else self.rng.choice(FAULT_KINDS)
        self.counts[kind] += 1
        if kind == "delay":
            return Fault(delay=FAULT_DELAY)
        if kind == "truncate":
            return Fault(truncate=True)
        if kind.startswith("drop-"):
            return Fault(drop="before" if kind == "drop-before" else "after")
        status = int(kind[:3])
        body, content_type = default_body(status)
        if kind.endswith("retry-after"):
            return RetryAfterFault(status=status, body=body, content_type=content_type, retry_after=RETRY_AFTER)
        return Fault(status=status, body=body, content_type=content_type)


@attrs.frozen
class RetryAfterFault(Fault):
    """A 429 with ``Retry-After``: named apart in the request log."""

    @property
    def kind(self) -> str:
        return "429+retry-after"


class TaggedLog(list[RecordedRequest]):
    """The emulator's request log, also indexed by the soak's call tag as records arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.by_tag: dict[str, list[RecordedRequest]] = collections.defaultdict(list)

    def append(self, record: RecordedRequest) -> None:
        super().append(record)
        tag = record.headers.get(TAG_HEADER)
        if tag is not None:
            self.by_tag[tag].append(record)


@attrs.define
class CallResult:
    tag: str
    name: str
    action: bool
    outcome: str  # "ok" or the exception's class name
    error: BaseException | None = None
    problem: str | None = None  # a wrong result, or an exception that is not an OrdergrooveError


@attrs.define
class Figures:
    calls: int = 0
    sync_calls: int = 0
    async_calls: int = 0
    requests: int = 0
    retries: int = 0
    faults: dict[str, int] = attrs.Factory(dict)
    outcomes: dict[str, int] = attrs.Factory(dict)
    calls_by_name: dict[str, int] = attrs.Factory(dict)
    actions: int = 0
    actions_ok: int = 0
    applied_twice: int = 0
    applied_again: int = 0  # retry-safe actions applied more than once (sent again after an ambiguous failure)
    retry_after_honoured: int = 0
    retry_after_retries: int = 0
    problems: list[str] = attrs.Factory(list)
    seconds: float = 0.0


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value))


class Soak:
    """One soak run: the served emulator, the call log, and the checks."""

    def __init__(self, fake: FakeOrdergroove, base_url: str, seed: int) -> None:
        self.fake = fake
        self.base_url = base_url
        self.seed = seed
        self.log = TaggedLog()
        fake.requests = self.log
        self.sent: collections.Counter[str] = collections.Counter()  # requests the clients sent, per tag
        self.sent_lock = threading.Lock()
        self.results: list[CallResult] = []
        self.sleeps: list[float] = []
        self.counter = itertools.count()
        self.today = fake.clock.today()
        customers = sorted(fake.customers)
        self.partitions = [customers[i::WORKERS] for i in range(WORKERS)]

    # -- tagging -------------------------------------------------------------------------------------------
    def _on_request(self, request: httpx.Request) -> None:
        tag = _tag.get()
        if tag is not None:
            request.headers[TAG_HEADER] = tag
            with self.sent_lock:
                self.sent[tag] += 1

    async def _on_async_request(self, request: httpx.Request) -> None:
        self._on_request(request)

    def sync_client(self) -> tuple[og.Ordergroove, httpx.Client]:
        http = httpx.Client(event_hooks={"request": [self._on_request]})
        client = og.Ordergroove(
            api_key=self.fake.api_key, base_url=self.base_url, timeout=CLIENT_TIMEOUT, http_client=http
        )
        return client, http

    def async_client(self) -> tuple[og.AsyncOrdergroove, httpx.AsyncClient]:
        http = httpx.AsyncClient(event_hooks={"request": [self._on_async_request]})
        client = og.AsyncOrdergroove(
            api_key=self.fake.api_key, base_url=self.base_url, timeout=CLIENT_TIMEOUT, http_client=http
        )
        return client, http

    # -- the emulator's state, read under its lock --------------------------------------------------------
    def state(self, read: Callable[[FakeOrdergroove], Any]) -> Any:
        with self.fake._lock:
            return _jsonable(read(self.fake))

    def _settled(self, tag: str) -> bool:
        # A request the client gave up on may still be in the server's queue: wait until the emulator has
        # recorded every request the client sent, so "the state at that time" is well defined.
        with self.sent_lock:
            sent = self.sent[tag]
        with self.fake._lock:
            return len(self.log.by_tag.get(tag, ())) >= sent

    def settle(self, tag: str) -> None:
        deadline = time.monotonic() + 5.0
        while not self._settled(tag) and time.monotonic() < deadline:
            time.sleep(0.005)

    async def asettle(self, tag: str) -> None:
        for _ in range(1000):  # at most about 5 s
            if self._settled(tag):
                return
            await asyncio.sleep(0.005)

    # -- the calls -------------------------------------------------------------------------------------------
    def plan(self, rng: random.Random, customers: list[str]) -> Planned:
        """One call: (name, is_action, call(client) -> result or awaitable, check(result) -> problem or None)."""
        customer = rng.choice(customers)
        subs = self.state(lambda f: [s for s in f.subscriptions.values() if s["customer"] == customer])
        orders = self.state(lambda f: [o for o in f.orders.values() if o["customer"] == customer])
        unsent = [o for o in orders if o["status"] == 1 and not o.get("locked")]
        live = [s for s in subs if s["live"]]
        dead = [s for s in subs if not s["live"]]
        choices: list[Callable[[], Planned]] = [
            lambda: self._read_customer(customer),
            lambda: self._list_customers(customer),
            lambda: self._summary(customer),
            lambda: self._list_subscriptions(customer),
            lambda: self._list_orders(customer),
            lambda: self._by_customer("addresses", customer),
            lambda: self._by_customer("payments", customer),
            lambda: self._products(rng),
            lambda: self._cancel_reasons(),
            lambda: self._set_contact_details(customer),
        ]
        if orders:
            order = rng.choice(orders)
            choices += [lambda: self._read_order(order["public_id"]), lambda: self._list_items(order["public_id"])]
        if subs:
            sub = rng.choice(subs)
            choices.append(lambda: self._read_subscription(sub["public_id"]))
        if live:
            sub = rng.choice(live)
            sid = sub["public_id"]
            choices += [
                lambda: self._change_quantity(sid, rng.randint(1, 9)),
                lambda: self._change_frequency(sid, rng.randint(1, 6), rng.choice(list(og.Period))),
                lambda: self._change_next_order_date(sid, self.today + dt.timedelta(days=rng.randint(2, 90))),
                lambda: self._skip_next_order(sid),
                lambda: self._cancel_subscription(sid),
            ]
        if dead:
            sid = rng.choice(dead)["public_id"]
            choices.append(lambda: self._reactivate(sid, self.today + dt.timedelta(days=rng.randint(1, 30))))
        if unsent:
            order = rng.choice(unsent)
            oid = order["public_id"]
            in_order = self.state(lambda f: sorted({i["subscription"] for i in f.items_of(oid) if i["subscription"]}))
            choices += [
                lambda: self._change_place_date(oid, self.today + dt.timedelta(days=rng.randint(2, 90))),
                lambda: self._send_now(oid),
                lambda: self._cancel_order(oid),
            ]
            if in_order:
                choices.append(lambda: self._skip_subscription(oid, rng.choice(in_order)))
        return rng.choice(choices)()

    # Reads: the result must equal the emulator's state once the call is over.
    def _compare(self, models: Any, expected: Any) -> str | None:
        got = [og.to_dict(m) for m in models] if isinstance(models, list) else og.to_dict(models)
        return None if got == expected else f"read differs from the state: {str(got)[:300]} != {str(expected)[:300]}"

    def _read_customer(self, cid: str) -> Planned:
        return (
            "customers.retrieve",
            False,
            lambda c: c.customers.retrieve(cid),
            lambda r: self._compare(r, self.state(lambda f: f.customers[cid])),
        )

    def _list_customers(self, cid: str) -> Planned:
        email = self.state(lambda f: f.customers[cid]["email"])
        return (
            "customers.list",
            False,
            lambda c: c.customers.list(email=email).to_list(),
            lambda r: self._compare(r, self.state(lambda f: [x for x in f.customers.values() if x["email"] == email])),
        )

    def _summary(self, cid: str) -> Planned:
        def check(result: og.CustomerSummary) -> str | None:
            subs = self.state(lambda f: [s for s in f.subscriptions.values() if s["customer"] == cid])
            orders = self.state(lambda f: [o for o in f.orders.values() if o["customer"] == cid])
            expected = summarize(
                cid, [og.from_dict(Subscription, s) for s in subs], [og.from_dict(Order, o) for o in orders]
            )
            if attrs.evolve(result, next_order=None) != attrs.evolve(expected, next_order=None):
                return f"summary differs: {result!r} != {expected!r}"
            ids = [s.next_order.public_id if s.next_order else None for s in (result, expected)]
            return None if ids[0] == ids[1] else f"summary's next order differs: {ids}"

        return "customers.summary", False, lambda c: c.customers.summary(cid), check

    def _list_subscriptions(self, cid: str) -> Planned:
        return (
            "subscriptions.list",
            False,
            lambda c: c.subscriptions.list(customer=cid).to_list(),
            lambda r: self._compare(
                r, self.state(lambda f: [s for s in f.subscriptions.values() if s["customer"] == cid])
            ),
        )

    def _list_orders(self, cid: str) -> Planned:
        return (
            "orders.list",
            False,
            lambda c: c.orders.list(customer=cid).to_list(),
            lambda r: self._compare(r, self.state(lambda f: [o for o in f.orders.values() if o["customer"] == cid])),
        )

    def _by_customer(self, collection: str, cid: str) -> Planned:
        return (
            f"{collection}.list+retrieve",
            False,
            lambda c: _list_then_retrieve(getattr(c, collection), cid),
            lambda r: self._compare(
                r, self.state(lambda f: [x for x in getattr(f, collection).values() if x["customer"] == cid][:1] * 2)
            ),
        )

    def _products(self, rng: random.Random) -> Planned:
        pid = rng.choice(sorted(self.fake.products))
        return (
            "products.list+retrieve",
            False,
            lambda c: _pair(lambda: c.products.list().to_list(), lambda: c.products.retrieve(pid)),
            lambda r: self._compare(r, self.state(lambda f: [*f.products.values(), f.products[pid]])),
        )

    def _cancel_reasons(self) -> Planned:
        def check(result: list[og.CancelReason]) -> str | None:
            got = [og.to_dict(reason) for reason in result]
            return None if got == self.state(lambda f: f.cancel_reasons) else f"cancel reasons differ: {got}"

        return "merchant.cancel_reasons", False, lambda c: c.merchant.cancel_reasons(), check

    def _read_order(self, oid: str) -> Planned:
        return (
            "orders.retrieve",
            False,
            lambda c: c.orders.retrieve(oid),
            lambda r: self._compare(r, self.state(lambda f: f.orders[oid])),
        )

    def _list_items(self, oid: str) -> Planned:
        def expected(f: FakeOrdergroove) -> list[Any]:
            items = f.items_of(oid)
            return [*items, items[0]] if items else []

        return (
            "items.list+retrieve",
            False,
            lambda c: _items_then_retrieve(c.items, oid),
            lambda r: self._compare(r, self.state(expected)),
        )

    def _read_subscription(self, sid: str) -> Planned:
        return (
            "subscriptions.retrieve",
            False,
            lambda c: c.subscriptions.retrieve(sid),
            lambda r: self._compare(r, self.state(lambda f: f.subscriptions[sid])),
        )

    # Actions: a success must be in the state, and the answer must be the record as it now is.
    def _sub_action(self, name: str, sid: str, call: Callable[[Any], Any], holds: Callable[[Any], bool]) -> Planned:
        def check(result: og.Subscription) -> str | None:
            record = self.state(lambda f: f.subscriptions[sid])
            if not holds(record):
                return f"{name} reported success but the state does not show it: {record}"
            return self._compare(result, record)

        return name, True, call, check

    def _change_quantity(self, sid: str, quantity: int) -> Planned:
        return self._sub_action(
            "subscriptions.change_quantity",
            sid,
            lambda c: c.subscriptions.change_quantity(sid, quantity),
            lambda s: s["quantity"] == quantity,
        )

    def _change_frequency(self, sid: str, every: int, period: og.Period) -> Planned:
        return self._sub_action(
            "subscriptions.change_frequency",
            sid,
            lambda c: c.subscriptions.change_frequency(sid, every=every, every_period=period),
            lambda s: (s["every"], s["every_period"]) == (every, int(period)),
        )

    def _change_next_order_date(self, sid: str, when: dt.date) -> Planned:
        def holds(record: Mapping[str, Any]) -> bool:
            upcoming = self.state(lambda f: f.upcoming_order(sid))
            return upcoming is not None and upcoming["place"].startswith(when.isoformat())

        return self._sub_action(
            "subscriptions.change_next_order_date",
            sid,
            lambda c: c.subscriptions.change_next_order_date(sid, when),
            holds,
        )

    def _cancel_subscription(self, sid: str) -> Planned:
        return self._sub_action(
            "subscriptions.cancel",
            sid,
            lambda c: c.subscriptions.cancel(sid, reason_code=2, reason_details="soak"),
            lambda s: s["live"] is False and s["cancel_reason"] == "2|soak",
        )

    def _reactivate(self, sid: str, start: dt.date) -> Planned:
        return self._sub_action(
            "subscriptions.reactivate",
            sid,
            lambda c: c.subscriptions.reactivate(sid, every=1, every_period=og.Period.MONTHS, start_date=start),
            lambda s: s["live"] is True and s["start_date"] == start.isoformat(),
        )

    def _skipped_from(self, name: str, sid: str, call: Callable[[Any], Any]) -> Planned:
        def check(result: og.Order) -> str | None:
            items = self.state(lambda f: f.items_of(result.public_id))
            if any(item["subscription"] == sid for item in items):
                return f"{name} reported success but {sid} is still in order {result.public_id}"
            return self._compare(result, self.state(lambda f: f.orders[result.public_id]))

        return name, True, call, check

    def _skip_next_order(self, sid: str) -> Planned:
        return self._skipped_from("subscriptions.skip_next_order", sid, lambda c: c.subscriptions.skip_next_order(sid))

    def _skip_subscription(self, oid: str, sid: str) -> Planned:
        return self._skipped_from("orders.skip_subscription", sid, lambda c: c.orders.skip_subscription(oid, sid))

    def _order_action(self, name: str, oid: str, call: Callable[[Any], Any], holds: Callable[[Any], bool]) -> Planned:
        def check(result: og.Order) -> str | None:
            record = self.state(lambda f: f.orders[oid])
            if not holds(record):
                return f"{name} reported success but the state does not show it: {record}"
            return self._compare(result, record)

        return name, True, call, check

    def _change_place_date(self, oid: str, when: dt.date) -> Planned:
        return self._order_action(
            "orders.change_place_date",
            oid,
            lambda c: c.orders.change_place_date(oid, when),
            lambda o: o["place"] == f"{when.isoformat()} 00:00:00",
        )

    def _send_now(self, oid: str) -> Planned:
        return self._order_action(
            "orders.send_now", oid, lambda c: c.orders.send_now(oid), lambda o: o["status"] == STATUS_SEND_NOW
        )

    def _cancel_order(self, oid: str) -> Planned:
        return self._order_action(
            "orders.cancel", oid, lambda c: c.orders.cancel(oid), lambda o: o["status"] == STATUS_CANCELLED
        )

    def _set_contact_details(self, cid: str) -> Planned:
        email = f"{cid}.{next(self.counter)}@soak.example"
        phone = "+1555000" + str(next(self.counter) % 10000).zfill(4)

        def check(result: og.ContactDetails) -> str | None:
            record = self.state(lambda f: f.customers[cid])
            if (record["email"], record["phone_number"]) != (email, phone):
                return f"set_contact_details reported success but the state has {record['email']}"
            if (result.email, result.phone_number) != (email, phone):
                return f"set_contact_details answered {result!r}"
            return None

        return (
            "customers.set_contact_details",
            True,
            lambda c: c.customers.set_contact_details(cid, email=email, phone_number=phone),
            check,
        )

    # -- running ---------------------------------------------------------------------------------------------
    def _record(self, tag: str, name: str, action: bool, result: Any, error: BaseException | None, check: Any) -> None:
        if error is None:
            problem = check(result)
            self.results.append(CallResult(tag, name, action, "ok", problem=problem))
        elif isinstance(error, og.OrdergrooveError):
            self.results.append(CallResult(tag, name, action, type(error).__name__, error))
        else:
            problem = f"{name} raised {type(error).__name__}: {error!r} (not an OrdergrooveError)"
            self.results.append(CallResult(tag, name, action, type(error).__name__, error, problem))

    def sync_worker(self, index: int, calls: int, client: og.Ordergroove) -> None:
        rng = random.Random(self.seed * 1000 + index)
        for _ in range(calls):
            tag = f"s{index}-{next(self.counter)}"
            try:
                name, action, call, check = self.plan(rng, self.partitions[index])
            except Exception as exc:  # a bug in the soak itself: reported, never swallowed
                self.results.append(CallResult(tag, "plan", False, "plan", exc, f"planning failed: {exc!r}"))
                continue
            token = _tag.set(tag)
            result: Any = None
            error: BaseException | None = None
            try:
                result = call(client)
            except Exception as exc:
                error = exc
            finally:
                _tag.reset(token)
            self.settle(tag)
            self._record(tag, name, action, result, error, check)

    async def async_worker(self, index: int, calls: int, client: og.AsyncOrdergroove) -> None:
        rng = random.Random(self.seed * 1000 + 100 + index)
        for _ in range(calls):
            tag = f"a{index}-{next(self.counter)}"
            try:
                name, action, call, check = self.plan(rng, self.partitions[index])
            except Exception as exc:
                self.results.append(CallResult(tag, "plan", False, "plan", exc, f"planning failed: {exc!r}"))
                continue
            token = _tag.set(tag)
            result: Any = None
            error: BaseException | None = None
            try:
                result = call(client)
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:
                error = exc
            finally:
                _tag.reset(token)
            await self.asettle(tag)
            self._record(tag, name, action, result, error, check)

    def run_sync(self, calls: int) -> None:
        client, http = self.sync_client()
        try:
            per_worker = _split(calls, WORKERS)
            threads = [
                threading.Thread(target=self.sync_worker, args=(i, n, client), name=f"soak-{i}")
                for i, n in enumerate(per_worker)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            client.close()
            http.close()

    async def run_async(self, calls: int) -> None:
        client, http = self.async_client()
        try:
            per_worker = _split(calls, WORKERS)
            await asyncio.gather(*(self.async_worker(i, n, client) for i, n in enumerate(per_worker)))
        finally:
            await client.aclose()
            await http.aclose()

    # -- figures ---------------------------------------------------------------------------------------------
    def figures(self, seconds: float) -> Figures:
        figures = Figures(seconds=round(seconds, 1))
        figures.calls = len(self.results)
        figures.sync_calls = sum(r.tag.startswith("s") for r in self.results)
        figures.async_calls = figures.calls - figures.sync_calls
        figures.requests = sum(len(records) for records in self.log.by_tag.values())
        figures.faults = (
            dict(sorted(self.fake.faults.counts.items())) if isinstance(self.fake.faults, SoakFaults) else {}
        )
        figures.outcomes = dict(collections.Counter(r.outcome for r in self.results).most_common())
        figures.calls_by_name = dict(sorted(collections.Counter(r.name for r in self.results).items()))
        figures.problems = [r.problem for r in self.results if r.problem]
        for result in self.results:
            records = self.log.by_tag.get(result.tag, [])
            figures.retries += len(records) - len({_request_key(r) for r in records})
            figures.retry_after_retries += _retried_after_retry_after(records)
            if not result.action:
                continue
            figures.actions += 1
            applied = sum(r.applied for r in records)
            retry_safe = result.name in RETRY_SAFE
            if applied > 1 and retry_safe:
                figures.applied_again += 1
            elif applied > 1:
                figures.applied_twice += 1
                figures.problems.append(f"{result.name} ({result.tag}) was applied {applied} times")
            if result.outcome == "ok":
                figures.actions_ok += 1
                if applied == 0 or (applied > 1 and not retry_safe):
                    figures.problems.append(f"{result.name} ({result.tag}) succeeded but was applied {applied} times")
            elif _certainly_not_sent(result.error) and applied:
                figures.problems.append(f"{result.name} ({result.tag}) said request_sent=False but was applied")
        figures.retry_after_honoured = sum(1 for delay in self.sleeps if delay == float(RETRY_AFTER))
        return figures


def _certainly_not_sent(error: BaseException | None) -> bool:
    return isinstance(error, og.APIConnectionError) and not error.request_sent


def _request_key(record: RecordedRequest) -> tuple[Any, ...]:
    return record.method, record.path, tuple(sorted((k, tuple(v)) for k, v in record.params.items())), record.body


def _retried_after_retry_after(records: list[RecordedRequest]) -> int:
    """How many 429s with Retry-After were followed by the same request (each such retry slept RETRY_AFTER)."""
    count = 0
    for index, record in enumerate(records):
        if record.fault == "429+retry-after":
            key = _request_key(record)
            count += any(_request_key(later) == key for later in records[index + 1 :])
    return count


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _pair(first: Callable[[], Any], second: Callable[[], Any]) -> Any:
    """A list call, then a second call (made only once the first has succeeded)."""
    listed = first()
    if inspect.isawaitable(listed):

        async def both() -> list[Any]:
            return [*(await listed), await second()]

        return both()
    return [*listed, second()]


def _list_then_retrieve(resource: Any, cid: str) -> Any:
    """The customer's first record, listed then retrieved by id (a list call and a retrieve call)."""
    pager = resource.list(customer=cid).to_list(limit=1)
    if inspect.isawaitable(pager):

        async def both() -> list[Any]:
            found = await pager
            return [*found, await resource.retrieve(found[0].public_id)] if found else []

        return both()
    return [*pager, resource.retrieve(pager[0].public_id)] if pager else []


def _items_then_retrieve(items: Any, oid: str) -> Any:
    listed = items.list(order=oid).to_list()
    if inspect.isawaitable(listed):

        async def both() -> list[Any]:
            found = await listed
            return [*found, await items.retrieve(found[0].public_id)] if found else []

        return both()
    return [*listed, items.retrieve(listed[0].public_id)] if listed else []


def run_soak(calls: int, *, seed: int = 9, rate: float = 0.2) -> Figures:
    """``calls`` mixed calls (half sync on 8 threads, half async on 8 tasks) against a served, faulty emulator.

    The clients' sleeps are replaced for the run (retries wait a millisecond; the delays asked for are kept).
    """
    fake = FakeOrdergroove.demo()
    fake.faults = SoakFaults(rate, seed)
    started = time.monotonic()
    with serve(fake) as base_url, _fast_sleeps() as sleeps:
        soak = Soak(fake, base_url, seed)
        soak.sleeps = sleeps
        soak.run_sync(calls // 2)
        asyncio.run(soak.run_async(calls - calls // 2))
    return soak.figures(time.monotonic() - started)


@contextlib.contextmanager
def _fast_sleeps() -> Iterator[list[float]]:
    asked: list[float] = []

    def sleep(delay: float) -> None:
        asked.append(delay)
        time.sleep(0.001)

    async def async_sleep(delay: float) -> None:
        asked.append(delay)
        await asyncio.sleep(0.001)

    saved = _io.sleep, _io.async_sleep
    _io.sleep, _io.async_sleep = sleep, async_sleep
    try:
        yield asked
    finally:
        _io.sleep, _io.async_sleep = saved

"""Target 1: decoding, JSON bytes -> models, on every public path, against pydantic's ``model_validate_json``.

Pages of 100 subscriptions: the realistic page of earlier versions (``_data.subscriptions``) and pages that mix the
documented forms as real ones do (``_data.mixed_subscriptions``: a third cancelled, ``extra_data`` half a string of
JSON and half an object, a fifth with components in their three forms, most prices null). Each public path is timed
against pydantic v2 on the same bytes:

- the list calls' page decoder (the parser, then ``decode_list``), as the pagers run it;
- ``og.from_dict`` over the records of a page (parsed once, then one call per record: it copies each);
- ``retrieve``: one record per body, parsed and decoded (100 bodies);
- ``og.webhooks.parse``: one event envelope per body, its ``data.object`` a subscription (100 bodies).

And the key-set mix: a page whose optional fields are each present or absent at random (almost every record has a
key set of its own) against the same records with every field, per record. Target: at most 1.5x.

Times are this thread's CPU time (``time.thread_time``), medians of interleaved runs whose order alternates.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from typing import Any

import _data
from _common import Result, interleaved, median

import ordergroove as og
from ordergroove import Subscription
from ordergroove._calls._base import list_call, retrieve_call
from ordergroove._json import loads
from ordergroove.models import decode_list

NEXT = "https://restapi.ordergroove.com/subscriptions/?cursor=x"


def _client_decoder(call: Any) -> Callable[[Any], Any]:
    """A call's decoder as a default (lenient) client runs it. Versions before the client's ``strict`` took the
    body alone: so this benchmark also runs on them (``PYTHONPATH=<their checkout>``), to compare with them."""
    try:
        from ordergroove._call import LENIENT
    except ImportError:
        return call.decode  # type: ignore[no-any-return]
    return lambda body: call.decode(body, LENIENT)


def _compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _envelope(index: int, record: dict[str, Any]) -> bytes:
    return _compact(
        {
            "id": f"evt_{index:04d}",
            "type": "subscription.cancel",
            "created": 1718000000 + index,
            "data": {"object": record},
        }
    )


def _pair(ours: Callable[[], Any], theirs: Callable[[], Any], rounds: int, batch: int) -> tuple[float, float]:
    """Per-call medians, ours then pydantic's: interleaved, the order alternating from round to round."""

    def batched(fn: Callable[[], Any]) -> Callable[[], None]:
        def many() -> None:
            for _ in range(batch):
                fn()

        return many

    # CPU time of this thread: decoding neither waits nor spawns threads, and on a loaded machine the wall clock
    # mostly measures the other processes (ratios from one run to the next then differ by 2x).
    forward = interleaved({"ours": batched(ours), "theirs": batched(theirs)}, (rounds + 1) // 2, clock=time.thread_time)
    backward = interleaved({"theirs": batched(theirs), "ours": batched(ours)}, rounds // 2, clock=time.thread_time)
    mine = median(forward["ours"] + backward["ours"])
    reference = median(forward["theirs"] + backward["theirs"])
    return mine / batch, reference / batch


def _collections(fn: Callable[[], Any], pages: int = 30) -> float:
    """The garbage collections ``fn`` starts, per call (each call's result dropped before the next, as timed)."""
    started = [0]

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] += 1

    gc.collect()
    gc.callbacks.append(count)
    try:
        for _ in range(pages):
            fn()
    finally:
        gc.callbacks.remove(count)
    return started[0] / pages


def run(quick: bool) -> Result:
    from _pydantic_models import Subscription as PydanticSubscription
    from _pydantic_models import SubscriptionPage, WebhookEnvelope

    earlier = _data.page_bytes(_data.subscriptions(100), NEXT)
    mixed_records = _data.mixed_subscriptions(100)
    mixed = _data.page_bytes(mixed_records, NEXT)
    bodies = [_compact(record) for record in mixed_records]
    envelopes = [_envelope(index, record) for index, record in enumerate(mixed_records)]
    # The decoders the client's calls use.
    decode_page = _client_decoder(list_call(Subscription, "subscriptions", ()))
    decode_one = _client_decoder(retrieve_call(Subscription, "subscriptions", "subscription_id", "s"))

    def list_page(body: bytes) -> Callable[[], Any]:
        return lambda: decode_page(loads(body)).items

    def from_dict_page() -> list[Subscription]:
        return [og.from_dict(Subscription, record) for record in loads(mixed)["results"]]

    def retrieve_each() -> list[Subscription]:
        return [decode_one(loads(body)) for body in bodies]

    def parse_each() -> list[Any]:
        return [og.webhooks.parse(body).object for body in envelopes]

    def pydantic_page(body: bytes) -> Callable[[], Any]:
        return lambda: SubscriptionPage.model_validate_json(body).results

    cases: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "list page, earlier page": (list_page(earlier), pydantic_page(earlier)),
        "list page, mixed forms": (list_page(mixed), pydantic_page(mixed)),
        "og.from_dict over a page, mixed forms": (from_dict_page, pydantic_page(mixed)),
        "retrieve x100, mixed forms": (
            retrieve_each,
            lambda: [PydanticSubscription.model_validate_json(body) for body in bodies],
        ),
        "webhooks.parse x100, mixed forms": (
            parse_each,
            lambda: [WebhookEnvelope.model_validate_json(body).data for body in envelopes],
        ),
    }
    for name, (ours, theirs) in cases.items():  # both sides decode the same records, to the same values
        mine, reference = ours(), theirs()
        ids = [getattr(item, "public_id", None) or item.object.public_id for item in reference]
        assert [model.public_id for model in mine] == ids, name
        assert all(type(model) is Subscription and not model.unparsed for model in mine), name

    rounds = 15 if quick else 80
    batch = 3
    ratios: dict[str, float] = {}
    details: dict[str, Any] = {}
    for name, (ours, theirs) in cases.items():
        mine_time, reference_time = _pair(ours, theirs, rounds, batch)
        ratios[name] = mine_time / reference_time
        details[name] = f"{ratios[name]:.2f}x ({mine_time * 1e6:.0f} us vs {reference_time * 1e6:.0f} us)"

    # The key-set mix: the same records, every optional field present or absent at random, per record.
    dense_records = _data.subscriptions(1000, seed=24)
    sparse_records = _data.sparse_subscriptions(1000, seed=24)
    key_sets = len({tuple(record) for record in sparse_records})
    sparse_time, dense_time = _pair(
        lambda: decode_list(Subscription, sparse_records), lambda: decode_list(Subscription, dense_records), rounds, 1
    )
    sparse_ratio = sparse_time / dense_time
    details["key-set mix vs every field, per record"] = (
        f"{sparse_ratio:.2f}x ({sparse_time * 1e3:.2f} us vs {dense_time * 1e3:.2f} us; {key_sets} key sets in "
        f"{len(sparse_records)} records; target <= 1.5x)"
    )
    details["page sizes"] = f"earlier {len(earlier)} bytes, mixed {len(mixed)} bytes"
    details["samples"] = f"{rounds} x {batch} runs of each case, interleaved (order alternating), median"

    # Why a path costs what it does beyond its own work: the collections of the young generation one page starts
    # (the collector runs once 700 new containers are alive; a page's records and models are such containers).
    collections = {name: _collections(ours) for name, (ours, _) in cases.items()}
    collections["pydantic, list page mixed forms"] = _collections(cases["list page, mixed forms"][1])
    details["gc collections per page"] = ", ".join(f"{name}: {count:.1f}" for name, count in collections.items())

    worst = max(ratios.values())
    return Result(
        target="decode",
        title="decode subscriptions (bytes -> models) on every public path vs pydantic v2 model_validate_json",
        figure=round(worst, 3),
        goal="<= 1.0x on every path; key-set mix <= 1.5x",
        met=worst <= 1.0 and sparse_ratio <= 1.5,
        details=details,
    )

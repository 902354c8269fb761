"""Target 1: a page of 100 realistic subscriptions, JSON bytes -> models, against pydantic's model_validate_json."""

from __future__ import annotations

from functools import partial
from typing import Any

import _data
from _common import Result, interleaved, median

from ordergroove import Subscription
from ordergroove._json import loads
from ordergroove._page import page_decoder
from ordergroove.models._convert import decode_list


def run(quick: bool) -> Result:
    from _pydantic_models import SubscriptionPage

    body = _data.page_bytes(_data.subscriptions(100), "https://restapi.ordergroove.com/subscriptions/?cursor=x")
    # The library's own path for a page: the parser, then the page decoder the list calls use (in place: each page
    # is freshly parsed).
    decode_page = page_decoder(partial(decode_list, Subscription, owned=True))

    def ordergroove_page() -> Any:
        return decode_page(loads(body))

    def pydantic_page() -> Any:
        return SubscriptionPage.model_validate_json(body)

    ours, theirs = ordergroove_page(), pydantic_page()
    assert len(ours.items) == len(theirs.results) == 100
    assert [s.public_id for s in ours.items] == [s.public_id for s in theirs.results]
    # Each sample times a batch of pages, so a sample is well above the clock's resolution; each page is dropped
    # before the next is decoded, as a pager does.
    batch = 20

    def batched(fn: Any) -> Any:
        def many() -> None:
            for _ in range(batch):
                fn()

        return many

    rounds = 15 if quick else 60
    times = interleaved({"ordergroove": batched(ordergroove_page), "pydantic": batched(pydantic_page)}, rounds)
    mine, reference = median(times["ordergroove"]) / batch, median(times["pydantic"]) / batch
    ratio = mine / reference
    return Result(
        target="decode",
        title="decode a page of 100 subscriptions (bytes -> models) vs pydantic v2 model_validate_json",
        figure=round(ratio, 3),
        goal="<= 1.0x",
        met=ratio <= 1.0,
        details={
            "ordergroove per page": f"{mine * 1e6:.0f} us",
            "pydantic per page": f"{reference * 1e6:.0f} us",
            "page size": f"{len(body)} bytes",
            "samples": f"{rounds} x {batch} pages each, interleaved, median",
        },
    )

"""100,000 products written and read back in bounded memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from ordergroove.feed import FeedProduct, read_product_feed, write_product_feed

# About 30-90 s: run by .ci/run (`-m slow`), not by the default run.
pytestmark = pytest.mark.slow

COUNT = 100_000
# One product at a time plus the parser's buffers stays far below this (a few hundred KB); holding every
# product, or the tree of the whole file, would take hundreds of MB.
PEAK_LIMIT = 3 * 1024 * 1024


def catalog() -> Iterator[FeedProduct]:
    return (make(index) for index in range(COUNT))


def make(index: int) -> FeedProduct:
    return FeedProduct(
        f"Product n°{index} & <friends> ]]> {'x' * (index % 50)}",
        f"p-{index}",
        f"SKU-{index:06d}",
        f"{index % 9999 + 1}.{index % 100:02d}",
        f"https://shop.example/products/{index}?ref=feed&v=1",
        f"https://cdn.example/{index}.png",
        index % 3 != 0,
        autoship_eligible=index % 2 == 0,
        groups=[("sku_swap", f"group {index % 100}")] if index % 5 == 0 else (),
        extra_data={"variant_name": f"size {index % 7}"} if index % 4 == 0 else None,
        every=index % 12 + 1 if index % 6 == 0 else None,
        every_period=index % 4 + 1 if index % 6 == 0 else None,
    )


def test_100k_products_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "merchant.Products.xml"
    tracemalloc.start()
    try:
        with path.open("wb") as out:
            assert write_product_feed(catalog(), out) == COUNT
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        read = 0
        with path.open("rb") as stream:
            for index, got in enumerate(read_product_feed(stream)):
                assert got.product_id == f"p-{index}"
                # Building the expected product costs as much as reading one: compare a sample whole.
                if index % 10 == 0 or index == COUNT - 1:
                    assert got == make(index)
                read += 1
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == COUNT
    assert path.stat().st_size > 10 * PEAK_LIMIT  # the file is far larger than the memory allowed
    assert write_peak < PEAK_LIMIT, f"writing peaked at {write_peak} bytes"
    assert read_peak < PEAK_LIMIT, f"reading peaked at {read_peak} bytes"

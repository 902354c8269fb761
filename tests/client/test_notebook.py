"""What a notebook shows: HTML views of pagers (with their filters), pages, summaries, webhook events and export
results, every value escaped; a pager's repr with its filters; progress bars for to_list, to_dataframe and export.

Sync and async: each test that reads runs on both clients (``kind``).
"""

from __future__ import annotations

import json
import re
import sys
import types
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import ordergroove as og
from ordergroove import _progress, webhooks
from ordergroove.testing import FakeOrdergroove

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake() -> FakeOrdergroove:
    fake = FakeOrdergroove(seed=1)
    fake.add_product(SCRIPT, price="12.00")
    for _ in range(5):
        fake.add_subscription("c1", SCRIPT)
    return fake


@pytest.fixture
async def client(fake: FakeOrdergroove, kind: str) -> AsyncIterator[Any]:
    if kind == "sync":
        with fake.client() as sync_client:
            yield sync_client
    else:
        async with fake.async_client() as async_client:
            yield async_client


async def _run(value: Any) -> Any:
    return await value if hasattr(value, "__await__") else value


async def _first_page(pager: Any) -> Any:
    pages = pager.pages()
    if hasattr(pages, "__anext__"):
        page = await pages.__anext__()
        await pages.aclose()
        return page
    page = next(pages)
    pages.close()
    return page


@pytest.fixture(autouse=True)
def outside_a_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "in_notebook", lambda: False)


# -- pagers --------------------------------------------------------------------------------------------------


async def test_a_pagers_repr_shows_its_filters_and_hides_personal_ones(client: Any, fake: FakeOrdergroove) -> None:
    pager = client.subscriptions.list(customer="c1", live=True)
    assert repr(pager).endswith("GET /subscriptions/ customer='c1' live='true'>")
    assert "page_size" not in repr(pager)  # how it is fetched, not what it selects
    by_email = client.customers.list(email="ann@example.com")
    assert "ann@example.com" not in repr(by_email) + by_email._repr_html_()
    assert "email='...'" in repr(by_email)
    assert fake.requests == []  # showing a pager sends nothing


async def test_a_pagers_html_shows_its_filters_escaped(client: Any, fake: FakeOrdergroove) -> None:
    view = client.subscriptions.list(customer=SCRIPT)._repr_html_()
    assert "GET /subscriptions/" in view
    assert ESCAPED in view
    assert SCRIPT not in view
    assert "filters" in client.subscriptions.list()._repr_html_()  # no filter: says so
    assert fake.requests == []


async def test_a_graphql_pagers_repr_shows_its_variables(client: Any) -> None:
    assert repr(client.graphql.subscriptions(customer="c1")).endswith(" customer='c1'>")


# -- records -------------------------------------------------------------------------------------------------


async def test_a_page_lists_its_records_escaped(client: Any) -> None:
    page = await _first_page(client.subscriptions.list(page_size=2))
    view = page._repr_html_()
    assert "Page of 2 records" in view
    assert view.count("<li>") == 2
    assert "a next page follows" in view
    assert ESCAPED in view and SCRIPT not in view


async def test_a_customer_summary_shows_its_counts_and_next_order(client: Any) -> None:
    summary = await _run(client.customers.summary("c1"))
    view = summary._repr_html_()
    assert "CustomerSummary c1" in view
    assert "<th style='text-align:left'>active subscriptions</th><td>5</td>" in view
    assert summary.next_order is not None and summary.next_order.public_id in view
    assert "<script>" not in view


def test_a_summarys_values_are_escaped() -> None:
    summary = og.CustomerSummary(
        customer_id=SCRIPT,
        active_subscriptions=0,
        total_subscriptions=0,
        canceled_subscriptions=0,
        orders_fulfilled=0,
        lifetime_value=Decimal("0"),
        next_order=None,
    )
    view = summary._repr_html_()
    assert ESCAPED in view and SCRIPT not in view


def test_a_webhook_event_shows_its_object_escaped() -> None:
    envelope = {
        "id": "evt_1",
        "type": "subscription.cancel",
        "created": 1700000000,
        "data": {"object": {"public_id": "s1", "customer": "c1", "product": SCRIPT, "live": False}},
    }
    view = webhooks.parse(json.dumps(envelope).encode())._repr_html_()
    assert "WebhookEvent evt_1" in view and "subscription.cancel" in view
    assert ESCAPED in view and SCRIPT not in view

    envelope["type"] = "gift.sent"  # no model for it: the raw object's field names only
    envelope["data"] = {"object": {"note": SCRIPT, "to": "ann@example.com"}}
    view = webhooks.parse(json.dumps(envelope).encode())._repr_html_()
    assert "a JSON object with note, to" in view
    assert "ann@example.com" not in view and "alert" not in view


# -- progress ------------------------------------------------------------------------------------------------


async def test_to_list_shows_no_bar_outside_a_notebook_unless_asked(
    client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    records = await _run(client.subscriptions.list(page_size=2).to_list())
    assert len(records) == 5
    assert capsys.readouterr().err == ""
    await _run(client.subscriptions.list(page_size=2).to_list(progress=False))
    assert capsys.readouterr().err == ""

    records = await _run(client.subscriptions.list(page_size=2).to_list(progress=True))
    assert len(records) == 5
    err = capsys.readouterr().err
    assert "subscriptions" in err and re.search(r"\b5 records\b", err)  # tqdm's bar, counting every record


async def test_in_a_notebook_the_bar_shows_by_default(
    client: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_progress, "in_notebook", lambda: True)
    frame = await _run(client.subscriptions.list(page_size=2).to_dataframe(limit=3))
    assert len(frame) == 3
    err = capsys.readouterr().err
    assert re.search(r"\b3 records\b", err) and not re.search(r"\b5 records\b", err)  # the limit, not the pages


async def test_the_librarys_own_lists_show_no_bar_in_a_notebook(
    client: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A summary or a skip lists records on the way: its user asked for one result, not for a list's progress.
    monkeypatch.setattr(_progress, "in_notebook", lambda: True)
    summary = await _run(client.customers.summary("c1"))
    await _run(
        client.subscriptions.skip_next_order(
            (await _run(client.subscriptions.list().to_list(limit=1, progress=False)))[0].public_id
        )
    )
    assert summary.total_subscriptions == 5
    assert capsys.readouterr().err == ""


async def test_without_tqdm_progress_is_a_line_on_stderr(
    client: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # as when tqdm is not installed
    monkeypatch.setattr(_progress, "in_notebook", lambda: True)
    await _run(client.subscriptions.list(page_size=2).to_list())
    assert capsys.readouterr().err == ""  # the notebook default needs tqdm... when it is importable
    await _run(client.subscriptions.list(page_size=2).to_list(progress=True))
    err = capsys.readouterr().err
    assert err.endswith("\n")
    assert "\rsubscriptions: 5 records" in err


async def test_a_bad_progress_value_is_refused(client: Any) -> None:
    with pytest.raises(og.ConfigurationError, match="progress"):
        await _run(client.subscriptions.list().to_list(progress="yes"))


async def test_export_reports_readable_progress_and_shows_a_bar(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    updates: list[og.ExportProgress] = []
    result = await _run(client.subscriptions.export(tmp_path / "a.jsonl", page_size=2, progress=updates.append))
    assert [update.records for update in updates] == [2, 4, 5]
    assert updates[-1].done and not updates[0].done
    text = str(updates[-1])
    assert text.startswith("subscriptions: 5 of 5 records, 3 pages, ")  # the total, from the count read
    assert all(update.total == 5 for update in updates)
    assert text.endswith(" records/s, done")
    assert updates[-1].written == 5 and updates[-1].rate >= 0
    assert capsys.readouterr().err == ""  # a function of one's own: no bar

    result = await _run(client.subscriptions.export(tmp_path / "b.jsonl", page_size=2, progress=True))
    assert "export subscriptions" in capsys.readouterr().err
    assert str(result) == f"subscriptions: 5 records in {tmp_path / 'b.jsonl'}, 3 pages fetched"
    with pytest.raises(og.ConfigurationError, match="progress"):
        await _run(client.subscriptions.export(tmp_path / "c.jsonl", progress="yes"))


async def test_an_export_result_shows_as_a_table_escaped(client: Any, tmp_path: Path) -> None:
    target = tmp_path / f"{SCRIPT.replace('/', '_')}.jsonl"
    result = await _run(client.subscriptions.export(target))
    view = result._repr_html_()
    assert "ExportResult: subscriptions" in view
    assert "<th style='text-align:left'>records</th><td>5</td>" in view
    assert "&lt;script&gt;" in view and "<script>" not in view


def test_progress_text_says_what_a_resumed_run_wrote() -> None:
    update = og.ExportProgress(resource="orders", records=1200, pages=2, resumed_from=1000, elapsed=4.0, done=False)
    assert str(update) == "orders: 1,200 records (200 this run), 2 pages, 4.0 s, 50 records/s"
    one = og.ExportProgress(resource="orders", records=1, pages=1, resumed_from=0, elapsed=0.0, done=True)
    assert str(one) == "orders: 1 record, 1 page, 0.0 s, 0 records/s, done"
    known = og.ExportProgress("orders", records=1200, pages=2, resumed_from=1000, elapsed=4.0, done=False, total=5000)
    assert known.remaining == 76.0  # 3,800 to go at 50 a second
    assert str(known) == "orders: 1,200 of 5,000 records (200 this run), 2 pages, 4.0 s, 50 records/s, about 76 s left"
    assert str(attrs.evolve(known, done=True)).endswith("50 records/s, done")
    assert attrs.evolve(known, elapsed=0.0).remaining is None and one.remaining is None


# -- where a bar shows by default ----------------------------------------------------------------------------


@pytest.fixture
def ipython(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    module = types.ModuleType("IPython")
    monkeypatch.setitem(sys.modules, "IPython", module)
    yield module


@pytest.mark.parametrize(("shell", "notebook"), [("ZMQInteractiveShell", True), ("TerminalInteractiveShell", False)])
def test_a_notebook_is_a_jupyter_kernel(
    ipython: types.ModuleType, monkeypatch: pytest.MonkeyPatch, shell: str, notebook: bool
) -> None:
    monkeypatch.undo()  # the real detection, not the autouse stand-in ...
    monkeypatch.setitem(sys.modules, "IPython", ipython)  # ... with this IPython
    instance = type(shell, (), {})()
    ipython.get_ipython = lambda: instance  # type: ignore[attr-defined]
    assert _progress.in_notebook() is notebook
    ipython.get_ipython = lambda: None  # type: ignore[attr-defined]  # IPython imported, no shell running
    assert _progress.in_notebook() is False

"""Bulk export to JSON Lines: every record once, as received, resumable exactly after an interruption.

Each test runs on the sync and the async client (``kind``), against the emulator.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

import ordergroove as og
from ordergroove import ExportProgress, ExportResult, export_cursor_path
from ordergroove import testing as ogt
from ordergroove._export import CURSOR_SUFFIX


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake() -> ogt.FakeOrdergroove:
    return ogt.FakeOrdergroove.demo()


@pytest.fixture
def clients(fake: ogt.FakeOrdergroove) -> Iterator[list[Any]]:
    made: list[Any] = []
    yield made
    for client in made:
        if isinstance(client, og.Ordergroove):
            client.close()


async def _close_async(clients: list[Any]) -> None:
    for client in clients:
        if isinstance(client, og.AsyncOrdergroove):
            await client.aclose()


class Exporter:
    """One client of ``kind`` and an awaitable ``export`` on any of its resources."""

    def __init__(self, fake: ogt.FakeOrdergroove, kind: str, made: list[Any], **options: Any) -> None:
        self.fake = fake
        options.setdefault("max_retries", 0)
        self.client: Any = fake.async_client(**options) if kind == "async" else fake.client(**options)
        made.append(self.client)

    async def export(self, resource: str, path: Path, **kwargs: Any) -> ExportResult:
        result = getattr(self.client, resource).export(path, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        assert isinstance(result, ExportResult)
        return result

    async def listed(self, resource: str, **kwargs: Any) -> list[dict[str, Any]]:
        pager = getattr(self.client, resource).list(**kwargs)
        records = pager.to_list()
        if inspect.isawaitable(records):
            records = await records
        return [og.to_dict(record) for record in records]


@pytest.fixture
async def exporter(fake: ogt.FakeOrdergroove, kind: str, clients: list[Any]) -> Any:
    made = Exporter(fake, kind, clients)
    yield made
    await _close_async(clients)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def _stop_after(fake: ogt.FakeOrdergroove, pages: int, path: str = "/subscriptions/") -> Any:
    """A progress callback that makes the next list request fail (500) once ``pages`` pages are written."""

    def progress(state: ExportProgress) -> None:
        if state.pages == pages:
            fake.faults.add(500, path=path)

    return progress


async def test_export_writes_every_record_as_received(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "subscriptions.jsonl"
    result = await exporter.export("subscriptions", target, page_size=7)
    expected = await exporter.listed("subscriptions")
    assert _lines(target) == expected
    assert len(expected) == len(exporter.fake.subscriptions) > 14
    assert result.records == result.written == len(expected)
    assert result.pages == -(-len(expected) // 7)
    assert result.resumed is False and result.resource == "subscriptions" and result.path == target
    assert not export_cursor_path(target).exists()
    assert target.read_bytes().endswith(b"\n") and b"\n\n" not in target.read_bytes()


async def test_export_sends_the_filters(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "live.jsonl"
    result = await exporter.export("subscriptions", target, live=True, page_size=50)
    records = _lines(target)
    assert records and all(record["live"] is True for record in records)
    assert result.records == len(records) == sum(1 for s in exporter.fake.subscriptions.values() if s["live"])
    sent = [r for r in exporter.fake.requests if r.path == "/subscriptions/"]
    assert sent[0].params["live"] == ["true"] and sent[0].params["page_size"] == ["50"]


@pytest.mark.parametrize("resource", ["orders", "customers"])
async def test_export_orders_and_customers(exporter: Exporter, tmp_path: Path, resource: str) -> None:
    target = tmp_path / f"{resource}.jsonl"
    result = await exporter.export(resource, target)
    expected = await exporter.listed(resource)
    assert _lines(target) == expected and result.records == len(expected) > 0


async def test_progress_after_every_page_then_done(exporter: Exporter, tmp_path: Path) -> None:
    seen: list[ExportProgress] = []
    result = await exporter.export("subscriptions", tmp_path / "s.jsonl", page_size=10, progress=seen.append)
    assert [p.pages for p in seen] == [*range(1, result.pages), result.pages]
    assert [p.done for p in seen] == [False] * (result.pages - 1) + [True]
    assert [p.records for p in seen[:-1]] == [10 * n for n in range(1, result.pages)]
    assert seen[-1].records == result.records and all(p.resumed_from == 0 for p in seen)


async def test_interrupted_export_resumes_exactly(exporter: Exporter, tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl"
    await exporter.export("subscriptions", whole, page_size=6)
    target = tmp_path / "part.jsonl"
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target, page_size=6, progress=_stop_after(exporter.fake, 3))
    # Three pages are in the file and the cursor file says where the fourth starts.
    assert len(_lines(target)) == 18
    cursor = json.loads(export_cursor_path(target).read_text())
    assert cursor["records"] == 18 and cursor["offset"] == target.stat().st_size
    assert "cursor=" in cursor["next"] and cursor["resource"] == "subscriptions"

    before = len(exporter.fake.requests)
    seen: list[ExportProgress] = []
    result = await exporter.export("subscriptions", target, page_size=6, resume=True, progress=seen.append)
    assert target.read_bytes() == whole.read_bytes()  # no record lost, none written twice
    assert result.resumed and result.records == len(_lines(whole)) and result.written == result.records - 18
    assert seen[0].resumed_from == 18 and seen[0].records == 24
    # The resumed run started at the recorded link, not at the first page (after its count read, for the progress).
    count, first = exporter.fake.requests[before : before + 2]
    assert "cursor" not in count.params and seen[0].total == len(_lines(whole))
    assert first.params["cursor"] == parse_qs(urlsplit(cursor["next"]).query)["cursor"]
    assert not export_cursor_path(target).exists()


async def test_lines_written_after_the_last_cursor_are_dropped(exporter: Exporter, tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl"
    await exporter.export("subscriptions", whole, page_size=5)
    target = tmp_path / "part.jsonl"
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target, page_size=5, progress=_stop_after(exporter.fake, 2))
    # An interruption between writing a page and recording its cursor: its lines are in the file, unrecorded.
    with target.open("ab") as file:
        file.write(b'{"public_id": "half a page"}\n{"public_id": "cut sh')
    await exporter.export("subscriptions", target, page_size=5, resume=True)
    assert target.read_bytes() == whole.read_bytes()


async def test_interrupted_on_the_first_page_resumes_from_the_start(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "s.jsonl"
    exporter.fake.faults.add(500, path="/subscriptions/")
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target)
    assert target.read_bytes() == b"" and json.loads(export_cursor_path(target).read_text())["next"] is None
    result = await exporter.export("subscriptions", target, resume=True)
    assert result.records == len(exporter.fake.subscriptions) == len(_lines(target))


async def test_a_fresh_export_refuses_to_overwrite_an_interrupted_one(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "s.jsonl"
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target, page_size=5, progress=_stop_after(exporter.fake, 1))
    kept = target.read_bytes()
    with pytest.raises(og.ConfigurationError, match="resume=True"):
        await exporter.export("subscriptions", target, page_size=5)
    assert target.read_bytes() == kept and export_cursor_path(target).exists()


async def test_resume_needs_the_same_filters(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "s.jsonl"
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target, page_size=5, progress=_stop_after(exporter.fake, 1))
    requests = len(exporter.fake.requests)
    with pytest.raises(og.ConfigurationError, match="same filters") as refused:
        await exporter.export("subscriptions", target, page_size=5, live=True, resume=True)
    # Read as a person writes filters, not as lists.
    assert "live=true" in str(refused.value) and "[" not in str(refused.value)
    with pytest.raises(og.ConfigurationError, match="same filters"):
        await exporter.export("orders", target, page_size=5, resume=True)
    assert len(exporter.fake.requests) == requests  # refused before any request


async def test_resume_of_a_completed_export_is_refused(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "s.jsonl"
    await exporter.export("subscriptions", target)
    done = target.read_bytes()
    with pytest.raises(og.ConfigurationError, match="nothing to resume"):
        await exporter.export("subscriptions", target, resume=True)
    assert target.read_bytes() == done


async def test_resume_without_a_file_starts_a_fresh_export(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "new.jsonl"
    result = await exporter.export("customers", target, resume=True)
    assert result.records == len(exporter.fake.customers) and result.resumed is False


async def test_a_cursor_pointing_elsewhere_is_refused(exporter: Exporter, tmp_path: Path) -> None:
    target = tmp_path / "s.jsonl"
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target, page_size=5, progress=_stop_after(exporter.fake, 1))
    cursor = export_cursor_path(target)
    state = json.loads(cursor.read_text())
    state["next"] = "https://attacker.example/subscriptions/?cursor=x"
    cursor.write_text(json.dumps(state))
    requests = len(exporter.fake.requests)
    with pytest.raises(og.ConfigurationError, match="another host"):
        await exporter.export("subscriptions", target, page_size=5, resume=True)
    assert len(exporter.fake.requests) == requests  # the key never went anywhere


@pytest.mark.parametrize("damage", ["shortened", "not a cursor", "other base url"])
async def test_a_damaged_cursor_or_file_cannot_resume(exporter: Exporter, tmp_path: Path, damage: str) -> None:
    target = tmp_path / "s.jsonl"
    with pytest.raises(og.ServerError):
        await exporter.export("subscriptions", target, page_size=5, progress=_stop_after(exporter.fake, 2))
    cursor = export_cursor_path(target)
    if damage == "shortened":
        target.write_bytes(target.read_bytes()[:10])
    elif damage == "not a cursor":
        cursor.write_text("[1, 2")
    else:
        cursor.write_text(cursor.read_text().replace(exporter.fake.base_url, "http://other.test"))
    with pytest.raises(og.ConfigurationError, match=r"cannot resume|not a cursor file|not from"):
        await exporter.export("subscriptions", target, page_size=5, resume=True)


async def test_resume_must_be_a_bool(exporter: Exporter, tmp_path: Path) -> None:
    with pytest.raises(og.ConfigurationError, match="resume"):
        await exporter.export("subscriptions", tmp_path / "s.jsonl", resume="yes")


def test_cursor_file_sits_beside_the_output(tmp_path: Path) -> None:
    assert export_cursor_path(tmp_path / "out.jsonl") == tmp_path / f"out.jsonl{CURSOR_SUFFIX}"
    assert export_cursor_path("exports/a.jsonl").name == "a.jsonl.cursor"


async def test_a_page_s_count_is_the_progress_total(kind: str, tmp_path: Path) -> None:
    # Ordergroove's page-number pages carry the list's count (its cursor pages do not): progress reports it.
    import httpx

    def answer(request: httpx.Request) -> httpx.Response:
        first = "cursor" not in request.url.params
        records = [{"merchant_user_id": f"c{n}", "email": f"c{n}@example.com"} for n in ((1, 2) if first else (3,))]
        nxt = "https://og.example/customers/?cursor=2" if first else None
        return httpx.Response(200, json={"count": 3, "next": nxt, "previous": None, "results": records})

    seen: list[ExportProgress] = []
    target = tmp_path / "c.jsonl"
    if kind == "sync":
        with og.Ordergroove(
            api_key="k", base_url="https://og.example", http_client=httpx.Client(transport=httpx.MockTransport(answer))
        ) as client:
            client.customers.export(target, progress=seen.append)
            first_page, _ = list(client.customers.list().pages())
    else:
        transport = httpx.MockTransport(answer)
        async with og.AsyncOrdergroove(
            api_key="k", base_url="https://og.example", http_client=httpx.AsyncClient(transport=transport)
        ) as aclient:
            await aclient.customers.export(target, progress=seen.append)
            first_page, _ = [page async for page in aclient.customers.list().pages()]
    assert [(p.records, p.total, p.done) for p in seen] == [(2, 3, False), (3, 3, True)]
    assert first_page.count == 3 and len(_lines(target)) == 3


# -- the total: one count read, only when progress is shown ---------------------------------------------------------


def _count_reads(fake: ogt.FakeOrdergroove) -> list[Any]:
    """The requests sent without the cursor header: page-number mode, the count read's."""
    return [r for r in fake.requests if r.headers.get("x-og-api-version") is None]


async def test_progress_shows_the_total_from_one_count_read_with_the_filters(
    exporter: Exporter, tmp_path: Path
) -> None:
    seen: list[ExportProgress] = []
    result = await exporter.export("subscriptions", tmp_path / "s.jsonl", live=True, page_size=10, progress=seen.append)
    live = sum(1 for s in exporter.fake.subscriptions.values() if s["live"])
    assert result.records == live and {p.total for p in seen} == {live}
    (count,) = _count_reads(exporter.fake)
    assert exporter.fake.requests[0] is count  # before the first page
    assert count.params["live"] == ["true"] and count.params["page_size"] == ["1"] and "cursor" not in count.params
    assert f"of {live:,} records" in str(seen[-1])


async def test_no_progress_no_count_read(exporter: Exporter, tmp_path: Path) -> None:
    await exporter.export("subscriptions", tmp_path / "s.jsonl", progress=False)
    assert _count_reads(exporter.fake) == []


async def test_a_count_the_answer_does_not_carry_leaves_the_total_unknown(exporter: Exporter, tmp_path: Path) -> None:
    exporter.fake.faults.add(200, path="/subscriptions/", body={"next": None, "previous": None, "results": []})
    seen: list[ExportProgress] = []
    result = await exporter.export("subscriptions", tmp_path / "s.jsonl", progress=seen.append)
    assert result.records == len(exporter.fake.subscriptions)
    assert {p.total for p in seen} == {None} and " of " not in str(seen[-1])


async def test_a_failed_count_read_is_not_retried_and_the_export_goes_on(
    fake: ogt.FakeOrdergroove, kind: str, clients: list[Any], tmp_path: Path
) -> None:
    exporter = Exporter(fake, kind, clients, max_retries=3)
    fake.faults.add(503, path="/subscriptions/")  # the count read's answer
    seen: list[ExportProgress] = []
    try:
        result = await exporter.export("subscriptions", tmp_path / "s.jsonl", progress=seen.append)
    finally:
        await _close_async(clients)
    assert result.records == len(_lines(tmp_path / "s.jsonl")) == len(fake.subscriptions)
    assert {p.total for p in seen} == {None}
    assert [r.status for r in _count_reads(fake)] == [503]  # once: not retried


async def test_the_count_read_logs_neither_the_key_nor_a_personal_filter(
    fake: ogt.FakeOrdergroove, kind: str, clients: list[Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    exporter = Exporter(fake, kind, clients)
    email = next(iter(fake.customers.values()))["email"]
    fake.faults.add(503, path="/customers/")
    caplog.set_level("DEBUG", logger="ordergroove")
    try:
        result = await exporter.export("customers", tmp_path / "c.jsonl", email=email, progress=lambda update: None)
    finally:
        await _close_async(clients)
    assert result.records == 1
    assert "no total for the progress (the count read failed: 503)" in caplog.text
    assert email not in caplog.text and quote(email) not in caplog.text and fake.api_key not in caplog.text

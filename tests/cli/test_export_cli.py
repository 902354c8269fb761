"""``ordergroove export subscriptions|orders|customers [filters] -o FILE``: formats, stdout, progress, --resume."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest

import ordergroove as og
from ordergroove import ExportProgress, cli, export_cursor_path
from ordergroove import testing as ogt
from ordergroove.cli import _export as cli_export
from ordergroove.cli import _main as cli_main


@pytest.fixture
def fake() -> ogt.FakeOrdergroove:
    fake = ogt.FakeOrdergroove.demo()
    for index in range(250):  # three pages of 100 and more
        fake.add_subscription(f"bulk-{index % 40}", "SKU-BULK", create_order=False)
    return fake


@pytest.fixture
def made(fake: ogt.FakeOrdergroove, monkeypatch: pytest.MonkeyPatch) -> list[og.Ordergroove]:
    """The command's clients, wired to the emulator (they remember the options the command gave)."""
    clients: list[og.Ordergroove] = []

    def client(args: Any, **options: Any) -> og.Ordergroove:
        made = fake.client(**options)
        clients.append(made)
        return made

    monkeypatch.setattr(cli_main, "_client", client)
    return clients


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_export_writes_the_file_and_reports_on_stderr(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path
) -> None:
    target = tmp_path / "subs.jsonl"
    status, out, err = run("export", "subscriptions", "-o", str(target))
    assert status == 0 and out == ""
    records = _lines(target)
    assert len(records) == len(fake.subscriptions) == len({r["public_id"] for r in records})
    assert f"exported {len(records):,} subscriptions to {target}" in err
    # Not a terminal: one progress line at the end, no carriage returns.
    assert "exporting subscriptions:" in err and "\r" not in err
    # The export keeps to Ordergroove's 6,000 requests a minute unless told otherwise.
    limiter = made[0]._shared.limits.limiter
    assert limiter is not None and limiter.interval == pytest.approx(60 / 6000)


def test_filters_and_rate_limit_options(fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path) -> None:
    target = tmp_path / "orders.jsonl"
    status, _, err = run(
        "export", "orders", "--status", "1", "--customer", "bulk-3", "--rate-limit", "120", "--no-progress",
        "-o", str(target),
    )  # fmt: skip
    assert status == 0, err
    assert "exporting" not in err  # --no-progress
    assert all(r.headers.get("x-og-api-version") == "2" for r in fake.requests)  # so no count read for a total
    sent = [r for r in fake.requests if r.path == "/orders/"]
    assert sent[0].params["status"] == ["1"] and sent[0].params["customer"] == ["bulk-3"]
    assert all(r["customer"] == "bulk-3" and r["status"] == 1 for r in _lines(target))
    limiter = made[0]._shared.limits.limiter
    assert limiter is not None and limiter.interval == pytest.approx(0.5)


def test_export_customers_by_email(fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path) -> None:
    customer = next(iter(fake.customers.values()))
    target = tmp_path / "c.jsonl"
    status, _, err = run("export", "customers", "--email", str(customer["email"]), "-o", str(target))
    assert status == 0, err
    assert [r["merchant_user_id"] for r in _lines(target)] == [customer["merchant_user_id"]]


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, pages: int, action: Any) -> None:
    """Make the command's progress line run ``action`` once ``pages`` pages are written."""
    original = cli_export.Progress.__call__

    def call(self: cli_export.Progress, progress: ExportProgress) -> None:
        original(self, progress)
        if progress.pages == pages and not progress.done:
            action()

    monkeypatch.setattr(cli_export.Progress, "__call__", call)


def _ctrl_c() -> None:
    raise KeyboardInterrupt


def test_ctrl_c_then_resume_writes_each_record_once(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = tmp_path / "whole.jsonl"
    assert run("export", "subscriptions", "-o", str(whole))[0] == 0
    target = tmp_path / "subs.jsonl"
    with monkeypatch.context() as patch:
        _interrupt_after(patch, 2, _ctrl_c)
        status, _, err = run("export", "subscriptions", "-o", str(target))
    assert status == 130
    assert "interrupted; run the same command with --resume to continue" in err
    assert len(_lines(target)) == 200 and export_cursor_path(target).exists()

    status, _, err = run("export", "subscriptions", "-o", str(target), "--resume")
    assert status == 0, err
    assert target.read_bytes() == whole.read_bytes()
    assert f"exported {len(fake.subscriptions):,} subscriptions" in err and "this run)" in err
    assert "resumed after 200" in err
    assert not export_cursor_path(target).exists()


def test_an_api_error_midway_says_how_to_resume(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "subs.jsonl"
    with monkeypatch.context() as patch:
        # 403 is not retried: the export stops at once.
        _interrupt_after(patch, 1, lambda: fake.faults.add(403, path="/subscriptions/"))
        status, _, err = run("export", "subscriptions", "-o", str(target))
    assert status == 1
    assert "ordergroove: error: Ordergroove refused the request (403)" in err and "--resume to continue" in err
    assert "Error" not in err
    assert run("export", "subscriptions", "-o", str(target), "--resume")[0] == 0
    assert len(_lines(target)) == len(fake.subscriptions)


def test_refusals_are_plain_errors(fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path) -> None:
    target = tmp_path / "subs.jsonl"
    assert run("export", "subscriptions", "-o", str(target))[0] == 0
    status, _, err = run("export", "subscriptions", "-o", str(target), "--resume")
    assert status == 1 and "nothing to resume" in err and "--resume to continue" not in err
    assert "resume=True" not in err and "without --resume to start over" in err
    status, _, err = run("export", "subscriptions", "-o", str(tmp_path / "missing" / "x.jsonl"))
    assert status == 1 and "cannot write the export" in err


def test_rate_limit_must_be_positive(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "subscriptions", "--rate-limit", "0", "-o", str(tmp_path / "x.jsonl")])
    assert "whole number >= 1" in capsys.readouterr().err


def test_progress_draws_a_bar_on_a_terminal_with_total_and_time_left() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    bar = cli_export.Progress(err)
    bar(ExportProgress("orders", records=100, pages=1, resumed_from=0, elapsed=0.5, done=False, total=400))
    bar(ExportProgress("orders", records=400, pages=4, resumed_from=0, elapsed=1.0, done=True, total=400))
    text = err.getvalue()
    assert "\r" in text and text.endswith("\n")
    assert "exporting orders: 100%" in text and "400/400" in text and "records/s" in text


def test_progress_lines_in_a_log_show_the_rate_and_when_known_the_total_and_time_left() -> None:
    err = io.StringIO()
    line = cli_export.Progress(err)
    line(ExportProgress("orders", records=300, pages=3, resumed_from=100, elapsed=2.0, done=True, total=1000))
    line(ExportProgress("customers", records=68, pages=1, resumed_from=0, elapsed=0.5, done=True))
    first, second = err.getvalue().splitlines()
    # 200 records fetched in 2 s: 100/s, 700 to go: 7 s left.
    assert first.startswith("exporting orders:  30% 300/1000 [00:02<00:07, 100.00 records/s]")
    assert first.endswith("(resumed after 100)")
    assert second == "exporting customers: 68 records [00:00, 136.00 records/s]"


def test_the_format_follows_the_extension_csv(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path
) -> None:
    target = tmp_path / "subs.csv"
    status, _, err = run("export", "subscriptions", "-o", str(target))
    assert status == 0, err
    with target.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == len(fake.subscriptions)
    assert {"public_id", "customer", "live", "every_period"} <= set(rows[0])
    assert {row["live"] for row in rows} <= {"true", "false"}
    assert any(name.startswith("prepaid_subscription_context.") for name in rows[0])  # nested: dotted columns
    assert f"exported {len(rows):,} subscriptions to {target} as CSV" in err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["subs.csv"]  # the JSON Lines beside it is gone


def test_the_format_follows_the_extension_parquet(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path
) -> None:
    pandas = pytest.importorskip("pandas")
    target = tmp_path / "orders.parquet"
    status, _, err = run("export", "orders", "--status", "unsent", "-o", str(target))
    assert status == 0, err
    frame = pandas.read_parquet(target)
    unsent = [o for o in fake.orders.values() if o["status"] == 1]
    assert len(frame) == len(unsent) and set(frame["status"]) == {"unsent"}
    assert str(frame["total"].dtype) == "float64" and "datetime64" in str(frame["place"].dtype)


def test_an_interrupted_csv_export_resumes_then_converts(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "subs.csv"
    with monkeypatch.context() as patch:
        _interrupt_after(patch, 1, _ctrl_c)
        status, _, err = run("export", "subscriptions", "-o", str(target))
    assert status == 130 and "--resume to continue" in err and not target.exists()
    status, _, err = run("export", "subscriptions", "-o", str(target))
    assert status == 1 and "add --resume to continue it" in err
    status, _, err = run("export", "subscriptions", "-o", str(target), "--resume")
    assert status == 0, err
    with target.open(newline="", encoding="utf-8") as file:
        ids = [row["public_id"] for row in csv.DictReader(file)]
    assert sorted(ids) == sorted(fake.subscriptions)


def test_dash_writes_json_lines_to_stdout(fake: ogt.FakeOrdergroove, made: list[og.Ordergroove]) -> None:
    status, out, err = run("export", "customers", "-o", "-")
    assert status == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert sorted(r["merchant_user_id"] for r in records) == sorted(fake.customers)
    assert "exporting customers:" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "subs.json"], "cannot tell which format to write subs.json in (its extension .json)"),
        (["-o", "subs"], "(it has no extension): name it .jsonl (JSON Lines), .csv or .parquet"),
        (["-o", "-", "--resume"], "--resume needs a file"),
    ],
)
def test_an_output_without_a_known_format_is_a_usage_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "subscriptions", *argv])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_parquet_without_pyarrow_says_which_extra(
    made: list[og.Ordergroove], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    status, _, err = run("export", "orders", "-o", str(tmp_path / "o.parquet"))
    assert status == 1 and 'pip install "ordergroove[parquet]"' in err
    assert list(tmp_path.iterdir()) == []


def test_progress_without_tqdm_says_which_extra(
    made: list[og.Ordergroove], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tqdm" else real(name, *a))
    status, _, err = run("export", "orders", "-o", str(tmp_path / "o.jsonl"))
    assert status == 1 and 'needs tqdm: pip install "ordergroove[cli]" (or --no-progress)' in err
    status, _, err = run("export", "orders", "-o", str(tmp_path / "o.jsonl"), "--no-progress")
    assert status == 0, err


def _count_reads(fake: ogt.FakeOrdergroove) -> list[Any]:
    return [r for r in fake.requests if r.headers.get("x-og-api-version") is None]


@pytest.mark.parametrize("output", ["subs.jsonl", "-"])
def test_progress_shows_the_total_and_time_left_from_one_count_read(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path, output: str
) -> None:
    status, _, err = run(
        "export", "subscriptions", "--live", "true", "-o", str(tmp_path / output) if output != "-" else output
    )
    assert status == 0, err
    live = sum(1 for s in fake.subscriptions.values() if s["live"])
    assert f"exporting subscriptions: 100% {live}/{live} [" in err  # the total, and tqdm's time left (<00:00)
    (count,) = _count_reads(fake)
    assert count.params["live"] == ["true"] and count.params["page_size"] == ["1"]


@pytest.mark.parametrize("output", ["subs.jsonl", "-"])
def test_a_failed_count_read_leaves_the_progress_without_a_total(
    fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path, output: str
) -> None:
    fake.faults.add(503, path="/subscriptions/")  # the count read, sent first and not retried
    status, _, err = run("export", "subscriptions", "-o", str(tmp_path / output) if output != "-" else output)
    assert status == 0, err
    assert f"exporting subscriptions: {len(fake.subscriptions)} records [" in err and "%" not in err
    assert "error" not in err.lower() and "503" not in err
    assert [r.status for r in _count_reads(fake)] == [503]

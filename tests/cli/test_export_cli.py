"""``ordergroove export subscriptions|orders|customers [filters] -o FILE.jsonl``: progress, interruption, --resume."""

from __future__ import annotations

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
    original = cli_export.ProgressLine.__call__

    def call(self: cli_export.ProgressLine, progress: ExportProgress) -> None:
        original(self, progress)
        if progress.pages == pages and not progress.done:
            action()

    monkeypatch.setattr(cli_export.ProgressLine, "__call__", call)


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
    assert "PermissionDeniedError" in err and "--resume to continue" in err
    assert run("export", "subscriptions", "-o", str(target), "--resume")[0] == 0
    assert len(_lines(target)) == len(fake.subscriptions)


def test_refusals_are_plain_errors(fake: ogt.FakeOrdergroove, made: list[og.Ordergroove], tmp_path: Path) -> None:
    target = tmp_path / "subs.jsonl"
    assert run("export", "subscriptions", "-o", str(target))[0] == 0
    status, _, err = run("export", "subscriptions", "-o", str(target), "--resume")
    assert status == 1 and "nothing to resume" in err and "--resume to continue" not in err
    status, _, err = run("export", "subscriptions", "-o", str(tmp_path / "missing" / "x.jsonl"))
    assert status == 1 and "cannot write the export" in err


def test_rate_limit_must_be_positive(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        cli.main(["export", "subscriptions", "--rate-limit", "0", "-o", str(tmp_path / "x.jsonl")])
    assert "whole number >= 1" in capsys.readouterr().err


def test_progress_line_redraws_in_place_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    line = cli_export.ProgressLine(err)
    line(ExportProgress("orders", records=100, pages=1, resumed_from=0, elapsed=0.5, done=False))
    line(ExportProgress("orders", records=150, pages=2, resumed_from=0, elapsed=1.0, done=True))
    text = err.getvalue()
    assert text.startswith("\rexporting orders: 100 records, 1 pages, 200/s")
    assert text.endswith("\rexporting orders: 150 records, 2 pages, 150/s\n")

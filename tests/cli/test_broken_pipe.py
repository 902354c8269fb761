"""The command's output read by a reader that stops early (``ordergroove ... | head -c 10``): no traceback, no error
line, and an exit status that does not call an applied change a failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ENV = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": os.pathsep.join(sys.path)}


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command with its stdout a pipe whose reader is gone before it writes (as `| head -c 0` leaves it)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has stopped: every write to the pipe fails (EPIPE)
    try:
        return subprocess.run(
            [sys.executable, "-m", "ordergroove", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env=ENV,
        )
    finally:
        os.close(write_end)


def test_a_read_into_a_closed_pipe_exits_141_quietly() -> None:
    result = run_into_a_closed_pipe("--sandbox", "--json", "customers", "list")
    assert result.returncode == 141, result.stderr
    assert result.stderr == ""


def test_a_read_cut_short_by_head_exits_quietly() -> None:
    # A reader that takes 10 bytes then stops, as `| head -c 10` does.
    process = subprocess.Popen(
        [sys.executable, "-m", "ordergroove", "--sandbox", "customers", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdout is not None and process.stderr is not None
    assert len(process.stdout.read(10)) == 10
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    status = process.wait(timeout=60)
    assert status in (0, 141)  # 0 when all the output was in the pipe before the reader left
    assert stderr == ""


def test_a_change_whose_output_cannot_be_written_exits_with_its_own_status() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "ordergroove", "--sandbox", "--json", "subscriptions", "list", "--live", "true"],
        capture_output=True,
        text=True,
        timeout=60,
        env=ENV,
    )
    target = next(s for s in json.loads(listed.stdout) if not s.get("prepaid_subscription_context"))
    result = run_into_a_closed_pipe("--sandbox", "subscriptions", "cancel", target["public_id"], "--reason", "4")
    # The subscription was canceled: a success, not "error: Broken pipe" and exit 1.
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_a_change_that_fails_with_its_output_closed_still_says_so() -> None:
    result = run_into_a_closed_pipe("--sandbox", "subscriptions", "cancel", "no-such-subscription", "--reason", "4")
    assert result.returncode == 1
    assert result.stderr.startswith("ordergroove: error: not found (404)")
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


def test_an_export_to_a_closed_stdout_stops_as_a_read_does() -> None:
    # An export reads and changes nothing at Ordergroove: its reader gone, it stops at once (141) rather than
    # reading every page of the account into a closed pipe.
    result = run_into_a_closed_pipe("--sandbox", "export", "subscriptions", "-o", "-")
    assert result.returncode == 141, result.stderr
    assert "100%" not in result.stderr and "Traceback" not in result.stderr and "Broken pipe" not in result.stderr

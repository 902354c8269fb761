"""Every script of examples/ runs on the emulator, as a user would run it (a subprocess, a fresh directory)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(path.name for path in EXAMPLES.glob("*.py") if not path.name.startswith("_"))

# What each script must print: proof that it did its job, not just that it exited.
EXPECTED: dict[str, list[str]] = {
    "explore_subscriptions.py": [r"^\d+ subscriptions, 40 customers$", r"^active\s+\d+$", r"every 2 weeks", r"wrote "],
    "churn_by_cancel_reason.py": [
        r"^\d+ of \d+ subscriptions canceled \(\d+%\)$",
        r"^Overstocked\s+\d+\s+[\d.]+\s+\d+%",
    ],
    "gladly_lookup.py": [
        r'"externalCustomerId": "cust_0001"',
        r"SUBSCRIPTION .* CANCELED\s+\[Reactivate subscription\]",
    ],
    "webhook_receiver.py": [
        r"handled subscription\.cancel",
        r"delivered again: 200 \{'status': 'duplicate'\}",
        r"another key: 401",
        r"^3 events handled, each exactly once$",
    ],
}


def run(script: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Without ORDERGROOVE_* the scripts use the demo emulator, never an account that happens to be configured.
    env = {key: value for key, value in os.environ.items() if not key.startswith("ORDERGROOVE_")}
    env["MPLBACKEND"] = "Agg"
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_script_has_expectations() -> None:
    assert sorted(EXPECTED) == SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs_and_prints_what_it_promises(script: str, tmp_path: Path) -> None:
    result = run(script, tmp_path)
    assert result.returncode == 0, result.stderr
    for pattern in EXPECTED[script]:
        assert re.search(pattern, result.stdout, re.MULTILINE), (pattern, result.stdout)
    assert "Traceback" not in result.stderr


def test_the_subscription_plot_is_a_png(tmp_path: Path) -> None:
    result = run("explore_subscriptions.py", tmp_path, "breakdown.png")
    assert result.returncode == 0, result.stderr
    png = (tmp_path / "breakdown.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000  # two charts, not an empty canvas

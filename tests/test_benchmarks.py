"""The benchmark suite keeps working: ``python benchmarks/run.py --quick`` completes and reports every target.

The figures themselves are not asserted: they are timings of a shared machine (docs/performance.md has them).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"
TARGETS = {"decode", "list", "memory", "fanout", "rate", "import", "lookup", "emulator"}


@pytest.mark.slow  # 15-35 s; .ci/run runs it with `-m slow`
def test_quick_run_reports_every_target(tmp_path: Path) -> None:
    report_path = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--json", str(report_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(report_path.read_text())
    assert report["quick"] is True and report["command"] == "python benchmarks/run.py --quick"
    assert {"python", "cpu", "cpus", "json parser", "httpx"} <= set(report["machine"])
    results = {result["target"]: result for result in report["results"]}
    assert set(results) == TARGETS
    for target, result in results.items():
        assert isinstance(result["figure"], int | float) and result["figure"] >= 0, target
        assert isinstance(result["met"], bool) and result["goal"] and result["details"], target
        assert f"[{target}]" in done.stdout
    assert "targets met" in done.stdout


def test_unknown_targets_are_refused() -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--only", "decode,speed"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 2 and "unknown targets: speed" in done.stderr


def test_every_benchmark_module_imports() -> None:
    # The quick run is slow (`-m slow`); a module importing a name the library no longer has must fail the default run.
    modules = sorted(path.stem for path in (ROOT / "benchmarks").glob("_*.py"))
    code = "import " + ", ".join(modules)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT / "benchmarks"
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(modules) >= 10

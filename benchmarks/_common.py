"""What the benchmarks share: results, side-by-side timing, the server process, the machine's facts."""

from __future__ import annotations

import contextlib
import gc
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

HERE = Path(__file__).resolve().parent
API_KEY = "bench-key"


@attrs.frozen
class Result:
    """One target: the figure reached, the goal, and how it was measured."""

    target: str  # "decode", "list", "memory", "fanout", "rate", "import", "lookup"
    title: str
    figure: float
    goal: str
    met: bool
    details: dict[str, Any] = attrs.field(factory=dict)

    def as_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


def interleaved(
    candidates: dict[str, Callable[[], object]],
    rounds: int,
    warmup: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, list[float]]:
    """Run each candidate once per round, in turn, so drifts of a noisy machine hit all of them alike (``clock``:
    ``time.thread_time`` counts only this thread's CPU time, for work that neither waits nor spawns threads)."""
    for _ in range(warmup):
        for fn in candidates.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, fn in candidates.items():
            gc.collect()
            start = clock()
            fn()
            times[name].append(clock() - start)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextlib.contextmanager
def server() -> Iterator[str]:
    """The benchmarks' server (``_server.py``) in a process of its own; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "_server.py")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"the benchmark server did not start (said {line!r})")
        yield line.split(" ", 1)[1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    from ordergroove._json import PARSER

    facts = {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": str(os.cpu_count()),
        "json parser": PARSER,
    }
    for package in ("ordergroove", "httpx", "attrs", "cattrs", "orjson", "pydantic", "uvicorn", "httptools", "h11"):
        facts[package] = _version(package)
    return facts

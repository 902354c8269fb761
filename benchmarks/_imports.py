"""Target 6: ``python -c "import ordergroove"`` against ``python -c "import httpx"``, fresh interpreters, interleaved.

Like hyperfine: each command runs many times in turn with the other (after warm-up runs that fill the bytecode
caches), and the medians are compared. ``-X importtime`` names the modules that cost the most.
"""

from __future__ import annotations

import subprocess
import sys
import time

from _common import Result, median

COMMANDS = {
    "python": "pass",
    "httpx": "import httpx",
    "ordergroove": "import ordergroove",
}
# Not the target, shown in the full run for what it costs to get going: the models load when a client is created.
WITH_A_CLIENT = {
    "httpx + a client": "import httpx; httpx.Client()",
    "ordergroove + a client": "import ordergroove; ordergroove.Ordergroove(api_key='k')",
}


def _run_once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def importtime(code: str, top: int = 8) -> list[tuple[str, int]]:
    """The modules with the largest own import time (microseconds), from ``-X importtime``."""
    text = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], check=True, capture_output=True, text=True
    ).stderr
    costs: list[tuple[str, int]] = []
    for line in text.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[0].split(":")[1].strip().isdigit():
            costs.append((parts[2].strip(), int(parts[0].split(":")[1])))
    return sorted(costs, key=lambda item: -item[1])[:top]


def run(quick: bool) -> Result:
    runs = 8 if quick else 40
    commands = COMMANDS if quick else {**COMMANDS, **WITH_A_CLIENT}
    for code in commands.values():  # warm-up: bytecode caches written, files in the page cache
        _run_once(code)
        _run_once(code)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, code in commands.items():
            times[name].append(_run_once(code))
    ours, httpx_time = median(times["ordergroove"]), median(times["httpx"])
    ratio = ours / httpx_time
    details = {name: f"{median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f})" for name, values in times.items()}
    details["runs"] = f"{runs} each, interleaved, median"
    details["largest own import times in ordergroove (-X importtime, one run)"] = ", ".join(
        f"{name} {micros / 1000:.1f} ms" for name, micros in importtime("import ordergroove")
    )
    return Result(
        target="import",
        title='python -c "import ordergroove" vs python -c "import httpx"',
        figure=round(ratio, 3),
        goal="<= 1.3x",
        met=ratio <= 1.3,
        details=details,
    )

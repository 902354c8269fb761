"""Target 3: iterating 100,000 subscriptions (1,000 pages) grows peak RSS by less than 20 MB.

Measured in a fresh interpreter (``_memory_child.py``): the peak RSS (VmHWM) before the first request and after
the last record; the pager holds one page at a time.
"""

from __future__ import annotations

import json
import subprocess
import sys

from _common import HERE, Result

LIMIT_MB = 20.0


def run(base_url: str, quick: bool) -> Result:
    total = 20_000 if quick else 100_000
    output = subprocess.run(
        [sys.executable, str(HERE / "_memory_child.py"), base_url, str(total)],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE,
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    if report["count"] != total:
        raise RuntimeError(f"iterated {report['count']} subscriptions, expected {total}")
    growth = (report["after_kib"] - report["before_kib"]) / 1024
    after_first_page = (report["after_kib"] - report["warmed_kib"]) / 1024
    return Result(
        target="memory",
        title=f"peak RSS growth while iterating {total:,} subscriptions (fresh interpreter)",
        figure=round(growth, 1),
        goal=f"< {LIMIT_MB:.0f} MB",
        met=growth < LIMIT_MB,
        details={
            "peak RSS before the first request": f"{report['before_kib'] / 1024:.1f} MB",
            "peak RSS after the last record": f"{report['after_kib'] / 1024:.1f} MB",
            "growth after the first page (one-time costs excluded)": f"{after_first_page:.1f} MB",
            "RSS before and after": f"{report['before_now_kib'] / 1024:.1f}, {report['after_now_kib'] / 1024:.1f} MB",
        },
    )

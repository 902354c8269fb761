"""Run by the memory benchmark in a fresh interpreter: iterate N subscriptions, report the peak RSS.

python benchmarks/_memory_child.py BASE_URL TOTAL    # prints one JSON line
"""

from __future__ import annotations

import gc
import json
import resource
import sys

import ordergroove as og


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_kib() -> int:
    """Peak resident set size of this process (kibibytes).

    VmHWM where Linux has it: ``ru_maxrss`` carries over the parent's peak at fork-exec, which would hide growth.
    """
    peak = _status_kib("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def current_kib() -> int:
    """Resident set size now, to show next to the peak."""
    return _status_kib("VmRSS") or 0


def main() -> None:
    base_url, total = sys.argv[1], int(sys.argv[2])
    with og.Ordergroove(api_key="bench-key", base_url=f"{base_url}/o/total={total}") as client:
        gc.collect()
        before, before_now = peak_kib(), current_kib()
        # One page first, so one-time costs (converters, generated decoders, the connection) are known apart.
        first = next(iter(client.subscriptions.list(page_size=100).pages()))
        del first
        gc.collect()
        warmed = peak_kib()
        count = 0
        for subscription in client.subscriptions.list(page_size=100):
            count += subscription.quantity is not None
        after, after_now = peak_kib(), current_kib()
    report = {"count": count, "before_kib": before, "warmed_kib": warmed, "after_kib": after}
    print(json.dumps({**report, "before_now_kib": before_now, "after_now_kib": after_now}))


if __name__ == "__main__":
    main()

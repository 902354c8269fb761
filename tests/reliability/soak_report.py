"""Run the fault soak and print the figures of docs/reliability.md.

.venv/bin/python -m tests.reliability.soak_report [--calls 2000] [--seed 9]
"""

from __future__ import annotations

import argparse

from ._soak import CLIENT_TIMEOUT, FAULT_DELAY, RETRY_AFTER, WORKERS, run_soak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--rate", type=float, default=0.2)
    args = parser.parse_args()
    figures = run_soak(args.calls, seed=args.seed, rate=args.rate)
    print(
        f"calls: {figures.calls} ({figures.sync_calls} sync on {WORKERS} threads, "
        f"{figures.async_calls} async on {WORKERS} tasks), in {figures.seconds} s"
    )
    print(f"client timeout {CLIENT_TIMEOUT} s, injected delays {FAULT_DELAY} s, Retry-After {RETRY_AFTER} s")
    print(f"requests received by the emulator: {figures.requests}")
    print(f"faults injected: {sum(figures.faults.values())}")
    for kind, count in figures.faults.items():
        print(f"  {kind:<16} {count}")
    print(f"retries (the same request sent again within one call): {figures.retries}")
    print(
        f"  after a 429 with Retry-After: {figures.retry_after_retries}, "
        f"each waiting the announced {RETRY_AFTER} s: {figures.retry_after_honoured}"
    )
    print("outcomes:")
    for outcome, count in figures.outcomes.items():
        print(f"  {outcome:<22} {count}")
    print(
        f"actions: {figures.actions}, succeeded: {figures.actions_ok}, applied twice: {figures.applied_twice} "
        f"(retry-safe ones sent again and applied again: {figures.applied_again})"
    )
    print(f"problems (wrong results, foreign exceptions, double applications): {len(figures.problems)}")
    for problem in figures.problems:
        print(f"  {problem}")
    return 1 if figures.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

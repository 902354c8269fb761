"""The performance benchmarks of ``ordergroove``: every target of docs/performance.md, measured side by side.

    python benchmarks/run.py            # the full run (about two minutes); results in docs/performance.md
    python benchmarks/run.py --quick    # smaller sizes, a few seconds each: CI runs it so the benchmarks keep working
    python benchmarks/run.py --only decode,import --json results.json

Every figure is a ratio (or a size) taken in one run, the library and its reference measured in turn, because
the machines that run it are noisy. A target that is missed is reported as missed; the exit status is 0 unless a
benchmark fails to run (``--strict``: 1 also when a target is missed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common  # after the path is set: the helpers live beside this script

TARGETS = ("decode", "list", "memory", "fanout", "rate", "import", "lookup", "emulator")


def _runner(target: str, quick: bool) -> Callable[[str], _common.Result]:
    """The function that runs one target, given the benchmark server's URL."""
    if target == "decode":
        import _decode

        return lambda _url: _decode.run(quick)
    if target == "list":
        import _listing

        return lambda url: _listing.run(url, quick)
    if target == "memory":
        import _memory

        return lambda url: _memory.run(url, quick)
    if target == "fanout":
        import _fanout

        return lambda url: _fanout.run(url, quick)
    if target == "rate":
        import _rate

        return lambda url: _rate.run(url, quick)
    if target == "lookup":
        import _lookup

        return lambda _url: _lookup.run(quick)
    if target == "emulator":
        import _emulator

        return lambda url: _emulator.run(url, quick)
    import _imports

    return lambda _url: _imports.run(quick)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: seconds, not minutes")
    parser.add_argument("--only", help=f"comma-separated targets among {', '.join(TARGETS)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    targets = TARGETS if not args.only else tuple(t.strip() for t in args.only.split(","))
    unknown = set(targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")

    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    machine = _common.machine()
    print(f"# {command}")
    for name, value in machine.items():
        print(f"#   {name}: {value}")
    results: list[_common.Result] = []
    started = time.perf_counter()
    with _common.server() as url:
        for target in targets:
            began = time.perf_counter()
            result = _runner(target, args.quick)(url)
            results.append(result)
            verdict = "met" if result.met else "NOT MET"
            print(f"\n[{result.target}] {result.title}")
            print(f"  figure {result.figure}  (target {result.goal}): {verdict}  [{time.perf_counter() - began:.1f} s]")
            for key, value in result.details.items():
                print(f"    {key}: {value}")
            sys.stdout.flush()
    print(f"\n{sum(r.met for r in results)} of {len(results)} targets met in {time.perf_counter() - started:.1f} s")
    if args.json is not None:
        report = {
            "command": command,
            "quick": args.quick,
            "machine": machine,
            "results": [r.as_json() for r in results],
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if args.strict and not all(r.met for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())

"""The lookup benchmark's Ordergroove: the emulator's demo data served on 127.0.0.1 in a process of its own, so
that its work (graphql-core executing a query, the REST handlers) does not run on the measured client's loop.

    python benchmarks/_lookup_server.py DELAY_SECONDS   # prints "READY http://127.0.0.1:PORT", serves until killed
"""

from __future__ import annotations

import sys
import time

from ordergroove.testing import FakeOrdergroove, serve


def main() -> None:
    delay = float(sys.argv[1])
    fake = FakeOrdergroove.demo()
    if delay > 0:
        fake.faults.add(delay=delay, times=None)  # every request, as a distant Ordergroove would
    with serve(fake) as url:
        print(f"READY {url}", flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()

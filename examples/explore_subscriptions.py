"""Every subscription into a DataFrame, then a status and frequency breakdown plotted to a PNG.

    python examples/explore_subscriptions.py [out.png]

Runs on the demo emulator; with ORDERGROOVE_API_KEY set it reads your account instead (it only reads).
Needs the ``examples`` extra (pandas, matplotlib).
"""

from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")  # draw to a file: no display needed
import matplotlib.pyplot as plt

import ordergroove as og
from ordergroove.testing import FakeOrdergroove


def open_client() -> og.Ordergroove:
    """Your account when ORDERGROOVE_API_KEY is set; the demo emulator otherwise."""
    return og.Ordergroove() if os.environ.get("ORDERGROOVE_API_KEY") else FakeOrdergroove.demo().client()


def main(out: str) -> None:
    with open_client() as client:
        frame = client.subscriptions.list().to_dataframe()

    frame["status"] = frame["live"].map({True: "active", False: "canceled"})
    frame["frequency"] = [
        f"every {every} {period.removesuffix('s') if every == 1 else period}"
        for every, period in zip(frame["every"], frame["every_period"].astype("string"), strict=True)
    ]
    by_status = frame["status"].value_counts()
    by_frequency = frame.groupby(["frequency", "status"]).size().unstack(fill_value=0)
    print(f"{len(frame)} subscriptions, {frame['customer'].nunique()} customers")
    print(by_status.to_string(), end="\n\n")
    print(by_frequency.to_string())

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    by_status.plot.bar(ax=left, title="Subscriptions by status", rot=0, color=["tab:green", "tab:gray"])
    by_frequency.plot.barh(ax=right, stacked=True, title="By frequency", color=["tab:green", "tab:gray"])
    left.set_ylabel("subscriptions")
    right.set_xlabel("subscriptions")
    figure.savefig(out, dpi=100)
    plt.close(figure)
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "subscriptions.png")

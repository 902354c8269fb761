"""Churn by cancel reason: how many subscriptions each reason ended, and how long they had lasted.

    python examples/churn_by_cancel_reason.py

Runs on the demo emulator; with ORDERGROOVE_API_KEY set it reads your account instead (it only reads).
Needs the ``pandas`` extra.
"""

from __future__ import annotations

import os

import pandas as pd

import ordergroove as og
from ordergroove.testing import FakeOrdergroove


def open_client() -> og.Ordergroove:
    """Your account when ORDERGROOVE_API_KEY is set; the demo emulator otherwise."""
    return og.Ordergroove() if os.environ.get("ORDERGROOVE_API_KEY") else FakeOrdergroove.demo().client()


def main() -> None:
    with open_client() as client:
        frame = client.subscriptions.list().to_dataframe()

    canceled = frame[frame["cancelled"].notna()].copy()
    # cancel_reason_label: the standard label of a standard code, else the merchant's text ("10|Moving abroad").
    canceled["reason"] = canceled["cancel_reason_label"].fillna("Other")
    canceled["months"] = (canceled["cancelled"] - canceled["created"]).dt.days / 30.44
    table = canceled.groupby("reason").agg(canceled=("public_id", "size"), median_months=("months", "median"))
    table["share"] = table["canceled"] / table["canceled"].sum()
    table = table.sort_values("canceled", ascending=False)

    churn = len(canceled) / len(frame)
    print(f"{len(canceled)} of {len(frame)} subscriptions canceled ({churn:.0%})\n")
    with pd.option_context("display.float_format", "{:.2f}".format):
        print(table.to_string(formatters={"share": "{:.0%}".format}))


if __name__ == "__main__":
    main()

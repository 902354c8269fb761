"""og.frames.to_dataframe and the pagers' to_dataframe: typed columns, flattening, extras, sync and async."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from payloads import (
    canceled_subscription_payload,
    customer_payload,
    order_payload,
    payment_payload,
    prepaid_subscription_payload,
    subscription_payload,
)

import ordergroove as og
from ordergroove.testing import FakeOrdergroove


def test_importing_ordergroove_never_loads_pandas() -> None:
    code = (
        "import sys, ordergroove, ordergroove.frames, ordergroove.pagination\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_without_pandas_a_pager_names_the_extra_to_install() -> None:
    # pandas hidden (None in sys.modules makes its import fail, as when it is not installed); the emulator's client.
    code = (
        "import sys\n"
        "sys.modules['pandas'] = None\n"
        "import ordergroove as og\n"
        "from ordergroove.testing import FakeOrdergroove\n"
        "with FakeOrdergroove.demo().client() as client:\n"
        "    try:\n"
        "        client.subscriptions.list().to_dataframe(limit=1)\n"
        "    except og.ConfigurationError as exc:\n"
        "        print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "pip install 'ordergroove[pandas]'" in result.stdout


def test_the_pagers_reach_frames_only_through_its_hook() -> None:
    # The core names no extra: the pager's module does not import ordergroove.frames, which registers itself.
    code = (
        "import sys, ordergroove\n"
        "assert 'ordergroove.frames' not in sys.modules\n"
        "from ordergroove import _extras, frames\n"
        "assert _extras._to_dataframe is frames._pager_frame\n"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_one_row_per_model_with_typed_columns(og_client: og.Ordergroove) -> None:
    subscriptions = og_client.subscriptions.list().to_list()
    frame = og.frames.to_dataframe(subscriptions)

    assert len(frame) == len(subscriptions) > 10
    assert frame["public_id"].tolist() == [s.public_id for s in subscriptions]
    assert frame["created"].dtype == "datetime64[us]"
    assert frame["start_date"].dtype == "datetime64[us]"  # dates too, at the same resolution
    assert frame["cancelled"].dtype == "datetime64[us]"
    assert frame["live"].dtype == "boolean"
    assert frame["quantity"].dtype == "Int64"
    assert frame["price"].dtype == "float64"
    assert isinstance(frame["every_period"].dtype, pd.CategoricalDtype)
    assert frame["created"].tolist() == [pd.Timestamp(s.created) for s in subscriptions if s.created]
    assert frame["live"].tolist() == [s.live for s in subscriptions]
    assert frame["every_period"].tolist() == [og.Period(s.every_period or 0).name.lower() for s in subscriptions]
    assert frame["cancelled"].isna().tolist() == [s.cancelled is None for s in subscriptions]
    assert frame["cancelled"].dropna().tolist() == [pd.Timestamp(s.cancelled) for s in subscriptions if s.cancelled]


def test_statuses_and_periods_are_readable_categories_in_code_order() -> None:
    orders = [
        og.from_dict(og.Order, order_payload(public_id="o1", status=5)),
        og.from_dict(og.Order, order_payload(public_id="o2", status=1)),
        og.from_dict(og.Order, order_payload(public_id="o3", status=21)),  # a code this version does not know
        og.from_dict(og.Order, order_payload(public_id="o4", status=5)),
    ]
    frame = og.frames.to_dataframe(orders)
    assert frame["status"].tolist() == ["success", "unsent", "21", "success"]
    # Every status of the enum is a category (a page without rejected orders still counts them, as 0), in the
    # enum's order; an unknown code follows.
    assert list(frame["status"].cat.categories) == [status.name.lower() for status in og.OrderStatus] + ["21"]
    assert frame["status"].value_counts()["success"] == 2
    assert frame["status"].value_counts()["rejected"] == 0

    subscriptions = [
        og.from_dict(og.Subscription, subscription_payload(public_id="s1", every_period=2)),
        og.from_dict(og.Subscription, subscription_payload(public_id="s2", every_period=9)),
        og.from_dict(og.Subscription, subscription_payload(public_id="s3", every_period=None)),
    ]
    periods = og.frames.to_dataframe(subscriptions)["every_period"]
    assert periods.tolist()[:2] == ["weeks", "9"]
    assert pd.isna(periods.iloc[2])
    assert list(periods.cat.categories) == ["days", "weeks", "months", "years", "9"]


def test_frames_of_different_pages_share_their_categories() -> None:
    first = og.frames.to_dataframe([og.from_dict(og.Order, order_payload(public_id="o1", status=5))])
    second = og.frames.to_dataframe([og.from_dict(og.Order, order_payload(public_id="o2", status=1))])
    both = pd.concat([first, second], ignore_index=True)
    assert isinstance(both["status"].dtype, pd.CategoricalDtype)  # same categories: concat keeps the category
    assert both["status"].tolist() == ["success", "unsent"]


def test_flattened_json_objects_are_typed_like_the_top_level() -> None:
    prepaid = og.from_dict(og.Subscription, prepaid_subscription_payload(public_id="s1"))
    number = og.from_dict(
        og.Subscription,
        prepaid_subscription_payload(
            public_id="s2",
            prepaid_subscription_context={"prepaid_orders_remaining": 0, "last_renewal_revenue": 100.8},
        ),
    )
    plain = og.from_dict(og.Subscription, subscription_payload(public_id="s3"))
    frame = og.frames.to_dataframe([prepaid, number, plain])

    # Counts: Int64 with a missing value, not float64.
    remaining = frame["prepaid_subscription_context.prepaid_orders_remaining"]
    assert remaining.dtype == "Int64"
    assert remaining.tolist() == [2, 0, pd.NA]
    assert frame["prepaid_subscription_context.prepaid_orders_per_billing"].dtype == "Int64"
    assert frame["free_trial_subscription_context.trial_days"].dtype == "Int64"
    # Money, a decimal string or a number on the wire: the dtype of the top level's money columns.
    revenue = frame["prepaid_subscription_context.last_renewal_revenue"]
    assert revenue.dtype == frame["price"].dtype == "float64"
    assert revenue.tolist()[:2] == [59.97, 100.8]
    assert pd.isna(revenue.iloc[2])
    exact = og.frames.to_dataframe([prepaid, number, plain], money="decimal")
    assert exact["prepaid_subscription_context.last_renewal_revenue"].tolist() == [
        Decimal("59.97"),
        Decimal("100.8"),
        None,
    ]
    assert exact["prepaid_subscription_context.last_renewal_revenue"].dtype == exact["price"].dtype == object


def test_unknown_fields_are_typed_by_their_values() -> None:
    first = og.from_dict(og.Order, order_payload(public_id="o1", loyalty={"points": 120, "vip": True}))
    second = og.from_dict(og.Order, order_payload(public_id="o2", loyalty={"points": 7}))
    frame = og.frames.to_dataframe([first, second])
    assert frame["loyalty.points"].dtype == "Int64"
    assert frame["loyalty.vip"].dtype == "boolean"
    assert frame["loyalty.vip"].tolist() == [True, pd.NA]


def test_a_cancel_reason_label_column_follows_the_code() -> None:
    def canceled(public_id: str, reason: str | None, code: int | None) -> og.Subscription:
        payload = canceled_subscription_payload(public_id=public_id, cancel_reason=reason, cancel_reason_code=code)
        return og.from_dict(og.Subscription, payload)

    subscriptions = [
        canceled("s1", "4|Overstocked", 4),
        canceled("s2", "10|Moving abroad", 10),  # "Other": the merchant's words say more
        canceled("s3", None, 6),  # a standard code alone
        canceled("s4", "77|Too expensive", None),  # the code only in the text
        og.from_dict(og.Subscription, subscription_payload(public_id="s5")),  # not canceled
    ]
    frame = og.frames.to_dataframe(subscriptions)
    columns = list(frame.columns)
    assert columns.index("cancel_reason_label") == columns.index("cancel_reason_code") + 1
    assert frame["cancel_reason_label"].tolist()[:4] == [
        "Overstocked",
        "Moving abroad",
        "Quality issues",
        "Too expensive",
    ]
    assert pd.isna(frame["cancel_reason_label"].iloc[4])
    # Churn by reason, as a notebook asks it.
    assert frame.groupby("cancel_reason_label").size().to_dict() == {
        "Moving abroad": 1,
        "Overstocked": 1,
        "Quality issues": 1,
        "Too expensive": 1,
    }
    # Models without cancel reasons get no such column.
    assert "cancel_reason_label" not in og.frames.to_dataframe([og.from_dict(og.Order, order_payload())])


def test_money_is_float_by_default_and_exact_decimal_on_request() -> None:
    orders = [og.from_dict(og.Order, order_payload(public_id=f"o{n}", total="0.10", tax_total=None)) for n in range(3)]
    as_float = og.frames.to_dataframe(orders)
    assert as_float["total"].dtype == "float64"
    assert as_float["total"].tolist() == [0.1, 0.1, 0.1]
    assert as_float["tax_total"].isna().all()

    exact = og.frames.to_dataframe(orders, money="decimal")
    assert exact["total"].dtype == object
    assert exact["total"].tolist() == [Decimal("0.10")] * 3
    assert exact["total"].sum() == Decimal("0.30")  # floats would give 0.30000000000000004
    assert exact["tax_total"].tolist() == [None, None, None]

    with pytest.raises(ValueError, match="money"):
        og.frames.to_dataframe(orders, money="cents")  # type: ignore[arg-type]


def test_nested_objects_are_flattened_with_dotted_names() -> None:
    prepaid = og.from_dict(og.Subscription, prepaid_subscription_payload(public_id="s1"))
    plain = og.from_dict(og.Subscription, subscription_payload(public_id="s2"))
    frame = og.frames.to_dataframe([prepaid, plain])

    assert frame["prepaid_subscription_context.prepaid_orders_remaining"].iloc[0] == 2
    assert pd.isna(frame["prepaid_subscription_context.prepaid_orders_remaining"].iloc[1])
    assert frame["prepaid_subscription_context.renewal_behavior"].iloc[0] == "autorenew"
    assert frame["free_trial_subscription_context.trial_days"].iloc[0] == 14
    assert frame["extra_data.source"].tolist() == ["pdp", "pdp"]
    # The parent of spread columns is gone; the dotted columns sit where it was.
    assert "prepaid_subscription_context" not in frame
    columns = list(frame.columns)
    assert columns.index("extra_data.gift") == columns.index("components") + 1
    # Lists stay lists: the components, as their JSON shape.
    assert frame["components"].iloc[0] == [
        {"public_id": "aab3238922bcc25a6f606eb525ffdc56", "quantity": 2, "product": "SKU-FILTER"}
    ]


def test_a_nested_model_gets_dotted_typed_columns(og_client: og.Ordergroove) -> None:
    summary = og_client.customers.summary("cust_0001")
    assert summary.next_order is not None
    frame = og.frames.to_dataframe([summary])

    assert frame["customer_id"].tolist() == ["cust_0001"]
    assert frame["lifetime_value"].iloc[0] == float(summary.lifetime_value)
    assert frame["next_order.public_id"].iloc[0] == summary.next_order.public_id
    assert frame["next_order.status"].tolist() == ["unsent"]
    assert frame["next_order.place"].dtype == "datetime64[us]"
    assert frame["next_order.place"].iloc[0].to_pydatetime() == summary.next_order.place


def test_unknown_fields_become_columns_of_their_own() -> None:
    first = og.from_dict(
        og.Order, order_payload(public_id="o1", loyalty={"tier": "gold", "points": 120}, channel="app")
    )
    second = og.from_dict(og.Order, order_payload(public_id="o2"))
    frame = og.frames.to_dataframe([first, second])

    assert frame["channel"].iloc[0] == "app"
    assert pd.isna(frame["channel"].iloc[1])
    assert frame["loyalty.tier"].iloc[0] == "gold"
    assert frame["loyalty.points"].iloc[0] == 120
    assert list(frame.columns)[-3:] == ["loyalty.tier", "loyalty.points", "channel"]


def test_tokens_session_ids_and_card_holders_are_left_out() -> None:
    payment = og.from_dict(og.Payment, payment_payload())
    customer = og.from_dict(og.Customer, customer_payload())
    subscription = og.from_dict(og.Subscription, canceled_subscription_payload())
    for model, secrets in (
        (payment, ("tok-pay-99", "Ada Lovelace")),
        (customer, ("tok-user-55", "sess-9a8b7c")),
        (subscription, ("sess-9a8b7c",)),
    ):
        frame = og.frames.to_dataframe([model])
        assert not {"token_id", "cc_holder", "user_token_id", "session_id"} & set(frame.columns)
        text = frame.to_string() + frame.to_html()
        for secret in secrets:
            assert secret not in text


def test_empty_input_and_an_explicit_model_class() -> None:
    assert og.frames.to_dataframe([]).shape == (0, 0)
    empty = og.frames.to_dataframe([], model=og.Order)
    assert empty.shape[0] == 0
    assert {"public_id", "status", "total", "place"} <= set(empty.columns)
    assert empty["place"].dtype == "datetime64[us]"
    assert empty["total"].dtype == "float64"


def test_models_of_one_class_only() -> None:
    order = og.from_dict(og.Order, order_payload())
    subscription = og.from_dict(og.Subscription, subscription_payload())
    with pytest.raises(TypeError, match="one class, got Order and Subscription"):
        og.frames.to_dataframe([order, subscription])
    with pytest.raises(TypeError, match="models of this library"):
        og.frames.to_dataframe([{"public_id": "x"}])
    with pytest.raises(TypeError, match="one class"):
        og.frames.to_dataframe([order], model=og.Subscription)


def test_aware_datetimes_become_utc_and_a_naive_aware_mix_stays_as_received() -> None:
    aware = [
        og.from_dict(og.Order, order_payload(public_id="o1", created="2024-05-02T08:00:00+02:00")),
        og.from_dict(og.Order, order_payload(public_id="o2", created="2024-05-02T08:00:00Z")),
    ]
    frame = og.frames.to_dataframe(aware)
    assert str(frame["created"].dtype) == "datetime64[us, UTC]"
    assert frame["created"].iloc[0] == pd.Timestamp("2024-05-02 06:00:00", tz="UTC")

    mixed = [aware[0], og.from_dict(og.Order, order_payload(public_id="o3"))]
    created = og.frames.to_dataframe(mixed)["created"]
    assert created.dtype == object
    assert created.tolist() == [mixed[0].created, mixed[1].created]


def _every_subscription(fake: FakeOrdergroove) -> list[str]:
    with fake.client() as client:
        return [s.public_id for s in client.subscriptions.list()]


def test_sync_pager_to_dataframe_walks_every_page(fake_ordergroove: FakeOrdergroove) -> None:
    expected = _every_subscription(fake_ordergroove)
    with fake_ordergroove.client() as client:
        before = len(fake_ordergroove.requests)
        frame = client.subscriptions.list(page_size=25).to_dataframe()
        assert len(fake_ordergroove.requests) - before == -(-len(expected) // 25)  # one request per page
        assert frame["public_id"].tolist() == expected
        assert isinstance(frame["every_period"].dtype, pd.CategoricalDtype)

        limited = client.subscriptions.list(page_size=25).to_dataframe(limit=30)
        assert limited["public_id"].tolist() == expected[:30]
        exact = client.orders.list(customer="cust_0001").to_dataframe(money="decimal")
        assert all(isinstance(total, Decimal) for total in exact["total"])
        with pytest.raises(og.ConfigurationError):
            client.subscriptions.list().to_dataframe(limit=-1)


async def test_async_pager_to_dataframe_walks_every_page(fake_ordergroove: FakeOrdergroove) -> None:
    expected = _every_subscription(fake_ordergroove)
    async with fake_ordergroove.async_client() as client:
        before = len(fake_ordergroove.requests)
        frame = await client.subscriptions.list(page_size=25).to_dataframe()
        assert len(fake_ordergroove.requests) - before == -(-len(expected) // 25)
        assert frame["public_id"].tolist() == expected
        assert isinstance(frame["every_period"].dtype, pd.CategoricalDtype)

        limited = await client.subscriptions.list(page_size=25).to_dataframe(limit=30)
        assert limited["public_id"].tolist() == expected[:30]
        exact = await client.orders.list(customer="cust_0001").to_dataframe(money="decimal")
        assert all(isinstance(total, Decimal) for total in exact["total"])
        with pytest.raises(og.ConfigurationError):
            await client.subscriptions.list().to_dataframe(limit=-1)


async def test_an_empty_async_list_is_an_empty_frame(fake_ordergroove: FakeOrdergroove) -> None:
    async with fake_ordergroove.async_client() as client:
        frame = await client.subscriptions.list(customer="nobody-here").to_dataframe()
    assert frame.empty


def test_dates_in_a_frame_compare_with_python_dates(og_client: og.Ordergroove) -> None:
    frame = og_client.subscriptions.list(customer="cust_0001").to_dataframe()
    recent = frame[frame["start_date"] >= pd.Timestamp(dt.date(2000, 1, 1))]
    assert len(recent) == len(frame) > 0


def test_a_whole_number_beyond_64_bits_stays_as_received() -> None:
    # A server's quantity of 10**30 decodes (an int); its column cannot be Int64, so it keeps the values as they came
    # (the other whole-number columns stay Int64) instead of failing the whole frame with an OverflowError.
    huge = og.from_dict(og.Subscription, subscription_payload(public_id="s1", quantity=10**30, every=-(2**63) - 1))
    usual = og.from_dict(og.Subscription, subscription_payload(public_id="s2", quantity=2))
    frame = og.frames.to_dataframe([huge, usual])
    assert list(frame["quantity"]) == [10**30, 2]
    assert frame["quantity"].dtype == object and frame["every"].dtype == object
    assert str(frame["reminder_days"].dtype) == "Int64"
    assert str(og.frames.to_dataframe([usual])["quantity"].dtype) == "Int64"

"""The demo data set, the import cost of the package, and the socket server's life cycle."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import httpx
import pytest

from ordergroove.testing import FakeOrdergroove, serve

LISTS = ("/customers/", "/subscriptions/", "/orders/", "/items/", "/products/", "/addresses/", "/payments/")


def everything(fake: FakeOrdergroove) -> dict[str, list[object]]:
    """Every record, as the API serves it, walking cursor pages."""
    found: dict[str, list[object]] = {}
    with httpx.Client(transport=fake.transport(), base_url=fake.base_url) as client:
        for path in LISTS:
            rows: list[object] = []
            url: str | None = path
            while url:
                body = client.get(
                    url,
                    params=None if "?" in url else {"page_size": 100},
                    headers={"x-api-key": fake.api_key, "X-OG-API-VERSION": "2"},
                ).json()
                rows += body["results"]
                url = body["next"]
            found[path] = rows
    return found


def test_demo_is_identical_from_run_to_run() -> None:
    first, second = everything(FakeOrdergroove.demo()), everything(FakeOrdergroove.demo())
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    # And in a fresh interpreter (no shared state, another hash seed).
    code = (
        "import json, sys; sys.path.insert(0, 'tests'); from testing.test_fake_demo import everything;"
        "from ordergroove.testing import FakeOrdergroove;"
        "print(json.dumps(everything(FakeOrdergroove.demo()), sort_keys=True))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123"}
    ).stdout
    assert out.strip() == json.dumps(first, sort_keys=True)


def test_demo_contents() -> None:
    fake = FakeOrdergroove.demo()
    assert len(fake.customers) == 40 and len(fake.products) == 10
    subs = list(fake.subscriptions.values())
    assert len(subs) >= 60
    kinds = Counter(
        "prepaid" if s.get("prepaid_subscription_context") else "active" if s["live"] else "canceled" for s in subs
    )
    assert kinds["active"] >= 30 and kinds["canceled"] >= 8 and kinds["prepaid"] >= 2
    assert all(s["cancel_reason"] and s["cancel_reason_code"] for s in subs if not s["live"])
    statuses = Counter(o["status"] for o in fake.orders.values())
    assert {1, 3, 4, 5, 6} <= set(statuses) and statuses[5] > statuses[1] > 20
    for order in fake.orders.values():
        if order["status"] == 5:
            parts = Decimal(order["sub_total"]) + Decimal(order["tax_total"]) + Decimal(order["shipping_total"])
            assert Decimal(order["total"]) == parts - Decimal(order["discount_total"]) > 0
            assert fake.items_of(order)
    waiting = [s for s in subs if s["live"] and fake.upcoming_order(s) is None]
    # Every active subscription has its next order, unsent, or (once) already asked to be sent now.
    assert len(waiting) == 1 and waiting[0]["customer"] == "cust_0007"
    assert {r["cancel_reason"] for r in fake.cancel_reasons} == {*range(1, 11), 12}


def test_demo_customer_one() -> None:
    fake = FakeOrdergroove.demo()
    mine = [s for s in fake.subscriptions.values() if s["customer"] == "cust_0001"]
    assert [s["live"] for s in mine] == [True, True, False]
    assert fake.upcoming_order(mine[0]) is fake.upcoming_order(mine[1])
    assert sum(1 for o in fake.orders.values() if o["customer"] == "cust_0001" and o["status"] == 5) >= 3


def test_a_fresh_store_is_empty_and_its_key_is_bulk() -> None:
    fake = FakeOrdergroove(api_key="k")
    with httpx.Client(transport=fake.transport(), base_url=fake.base_url, headers={"x-api-key": "k"}) as client:
        assert client.get("/subscriptions/").json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert "0 customers" in repr(fake)


def test_importing_the_package_does_not_import_uvicorn() -> None:
    code = "import sys, ordergroove.testing; assert 'uvicorn' not in sys.modules, 'uvicorn imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_serve_starts_answers_and_stops() -> None:
    fake = FakeOrdergroove.demo()
    with serve(fake) as url:
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url, headers={"x-api-key": fake.api_key}) as client:
            assert client.get("/products/").json()["count"] == 10
        with serve(fake) as second:  # two at once: each on its own free port
            assert second != url
    with pytest.raises(httpx.ConnectError), httpx.Client(base_url=url) as client:
        client.get("/products/")

"""The catalog calls: products (group check, relationships, update, rotations, digital plans), product groups,
resources and offer profiles, against the emulator, sync and async."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from emulated import FLAVOURS, refused, run

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

pytestmark = pytest.mark.parametrize("flavour", FLAVOURS)

COFFEE, DECAF, TEA = "COFFEE-HOUSE-12OZ", "COFFEE-DECAF-12OZ", "TEA-GREEN-50"
UTC = dt.timezone.utc


def test_group_check(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    fake.add_product_group("incentive", "summer_sale", [COFFEE])
    yes = run(flavour, fake, lambda c: c.products.group_check(COFFEE, "incentive", "summer_sale"))
    assert isinstance(yes, og.GroupCheck) and yes.product_has_group is True
    assert fake.requests[-1].path == f"/products/{COFFEE}/incentive/summer_sale"  # no trailing slash
    no = run(flavour, fake, lambda c: c.products.group_check(TEA, "incentive", "summer_sale"))
    assert no.product_has_group is False


def test_relationships_filtered_by_type(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    fake.add_product_relationship(COFFEE, DECAF)
    fake.add_product_relationship(COFFEE, TEA, "other")
    found = run(flavour, fake, lambda c: c.products.relationships(COFFEE, type="swap_on_purchase"))
    assert found == [
        og.ProductRelationship(relationship_type="swap_on_purchase", from_product=COFFEE, to_product=DECAF)
    ]
    assert fake.requests[-1].params["type"] == ["swap_on_purchase"]
    assert len(run(flavour, fake, lambda c: c.products.relationships(COFFEE))) == 2


def test_update_product(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    updated = run(
        flavour,
        fake,
        lambda c: c.products.update(COFFEE, price=Decimal("13.49"), every_period=og.Period.WEEKS, discontinued=True),
    )
    assert isinstance(updated, og.Product) and updated.price == Decimal("13.49") and updated.discontinued is True
    sent = fake.requests[-1]
    assert (sent.method, sent.path, sent.json) == (
        "PATCH",
        f"/products/{COFFEE}/",
        {"price": 13.49, "every_period": 2, "discontinued": True},
    )
    assert run(flavour, fake, lambda c: c.products.retrieve(COFFEE)).price == Decimal("13.49")


def test_time_window_rotation_then_the_product_shipping_now(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    elements = [
        {"product": DECAF, "starting_date": dt.datetime(2024, 5, 1, tzinfo=UTC)},
        {"product": TEA, "starting_date": dt.datetime(2030, 5, 1, tzinfo=UTC)},
    ]
    rules = run(
        flavour,
        fake,
        lambda c: c.products.manage_time_window_rotation(COFFEE, product_selection_list_elements=elements),
    )
    assert [r.selection_rule_type for r in rules] == ["TIME_WINDOW"] and isinstance(rules[0], og.SelectionRule)
    assert fake.requests[-1].json == {
        "product_selection_list_elements": [
            {"product": DECAF, "starting_date": "2024-05-01T00:00:00Z"},
            {"product": TEA, "starting_date": "2030-05-01T00:00:00Z"},
        ]
    }
    now = run(flavour, fake, lambda c: c.products.retrieve_rotating_delivery_product(COFFEE))
    assert isinstance(now, og.Product) and now.external_product_id == DECAF


def test_ordinal_rotation(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    elements = [{"product": TEA, "starting_ordinal": 0}, {"product": DECAF, "starting_ordinal": 4}]
    rules = run(
        flavour,
        fake,
        lambda c: c.products.manage_ordinal_rotation(
            COFFEE, product_selection_list_elements=elements, configuration={"cyclical_rotation_enabled": True}
        ),
    )
    assert rules[0].selection_rule_type == "ORDINAL"
    assert rules[0].configuration["cyclical_rotation_enabled"] is True
    assert [e["starting_ordinal"] for e in fake.requests[-1].json["product_selection_list_elements"]] == ["0", "4"]
    assert (
        run(flavour, fake, lambda c: c.products.retrieve_rotating_delivery_product(COFFEE)).external_product_id == TEA
    )


def test_resources_and_a_digital_plan(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    created = run(
        flavour, fake, lambda c: c.resources.create(name="4k Resolution Movies", external_resource_id="id1234")
    )
    assert isinstance(created, og.Resource) and created.name == "4k Resolution Movies"
    assert fake.requests[-1].json == {"name": "4k Resolution Movies", "external_resource_id": "id1234"}
    assert run(flavour, fake, lambda c: c.resources.retrieve(created.public_id)).external_resource_id == "id1234"
    assert created.public_id in [r.public_id for r in run(flavour, fake, lambda c: c.resources.list())]
    updated = run(flavour, fake, lambda c: c.resources.update(created.public_id, description="Movies in 4k"))
    assert updated.description == "Movies in 4k"
    grants = run(
        flavour,
        fake,
        lambda c: c.products.manage_digital_plan(
            COFFEE,
            resource_grants=[
                {"resource": created.public_id, "time_amount": dt.timedelta(days=30), "grace_period": 86400}
            ],
        ),
    )
    assert isinstance(grants[0], og.ResourceGrant)
    assert (grants[0].time_amount, grants[0].grace_period) == (2592000, 86400)


def test_product_groups(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    created = run(flavour, fake, lambda c: c.product_groups.create(name="summer_sale", group_type="incentive"))
    assert created == og.ProductGroup(name="summer_sale", group_type="incentive")
    listed = run(flavour, fake, lambda c: c.product_groups.list(group_type="incentive"))
    assert listed == [created]
    renamed = run(flavour, fake, lambda c: c.product_groups.update("incentive", "summer_sale", name="fall_sale"))
    assert renamed.name == "fall_sale"
    assert (fake.requests[-1].path, fake.requests[-1].status) == ("/product_groups/incentive/summer_sale/", 201)
    assert [g.name for g in run(flavour, fake, lambda c: c.product_groups.list(name="fall_sale"))] == ["fall_sale"]


def test_offer_profiles(flavour: str) -> None:
    fake = FakeOrdergroove.demo()
    profile = fake.add_offer_profile(name="Default")
    listed = run(flavour, fake, lambda c: c.offer_profiles.list())
    assert profile["public_id"] in [p.public_id for p in listed] and isinstance(listed[0], og.OfferProfile)


NOW = dt.datetime(2025, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.products.group_check(COFFEE, "", "g"),
        lambda c: c.products.relationships(COFFEE, type=""),
        lambda c: c.products.update(COFFEE),
        lambda c: c.products.update(COFFEE, live="yes"),
        lambda c: c.products.update(COFFEE, price="cheap"),
        lambda c: c.products.update(COFFEE, every_period=9),
        lambda c: c.products.manage_time_window_rotation(COFFEE, product_selection_list_elements=[]),
        lambda c: c.products.manage_time_window_rotation(
            COFFEE, product_selection_list_elements=[{"product": TEA, "starting_date": dt.datetime(2025, 5, 1)}]
        ),
        lambda c: c.products.manage_time_window_rotation(
            COFFEE, product_selection_list_elements=[{"product": TEA, "starting_ordinal": 0}]
        ),
        lambda c: c.products.manage_ordinal_rotation(
            COFFEE, product_selection_list_elements=[{"product": TEA, "starting_ordinal": -1}]
        ),
        lambda c: c.products.manage_ordinal_rotation(
            COFFEE, product_selection_list_elements=[{"product": "..", "starting_ordinal": 0}]
        ),
        lambda c: c.products.manage_digital_plan(COFFEE, resource_grants=[{"resource": "r1"}]),
        lambda c: c.products.manage_digital_plan(COFFEE, resource_grants=[{"resource": "r1", "time_amount": 0}]),
        lambda c: c.products.manage_digital_plan(COFFEE, resource_grants={"resource": "r1", "time_amount": 1}),
        lambda c: c.product_groups.create(name="x", group_type="category"),
        lambda c: c.product_groups.update("category", "x", name="y"),
        lambda c: c.product_groups.update("incentive", "x", name=""),
        lambda c: c.product_groups.list(page_size=0),
        lambda c: c.resources.create(name="x", external_resource_id=""),
        lambda c: c.resources.update("r1"),
        lambda c: c.offer_profiles.list(page_size=101),
    ],
)
def test_bad_arguments_are_refused_before_any_request(flavour: str, call: Any) -> None:
    assert isinstance(refused(flavour, FakeOrdergroove.demo(), call), og.ConfigurationError)


@pytest.mark.parametrize(
    ("path", "call"),
    [
        (
            "/manage/",
            lambda c, r: c.products.manage_ordinal_rotation(
                COFFEE, product_selection_list_elements=[{"product": TEA, "starting_ordinal": 0}]
            ),
        ),
        ("/manage/", lambda c, r: c.products.manage_digital_plan(COFFEE, resource_grants=[])),
        ("/product_groups/create/", lambda c, r: c.product_groups.create(name="x", group_type="incentive")),
        ("/resources/create/", lambda c, r: c.resources.create(name="x", external_resource_id="y")),
    ],
)
def test_a_write_is_not_resent_after_an_ambiguous_failure(flavour: str, path: str, call: Any) -> None:
    fake = FakeOrdergroove.demo()
    resource = fake.add_resource(name="r", external_resource_id="r")
    fake.faults.add(drop="after", path=path)
    before = len(fake.requests)
    with pytest.raises(og.APIConnectionError) as caught:
        run(flavour, fake, lambda c: call(c, resource["public_id"]))
    assert caught.value.request_sent is True
    assert len(fake.requests) - before == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.products.group_check(COFFEE, "incentive", "x"),
        lambda c: c.products.relationships(COFFEE),
        lambda c: c.products.retrieve_rotating_delivery_product(COFFEE),
        lambda c: c.product_groups.list(),
        lambda c: c.resources.list(),
        lambda c: c.offer_profiles.list(),
    ],
)
def test_a_read_is_retried_after_an_ambiguous_failure(flavour: str, call: Any) -> None:
    fake = FakeOrdergroove.demo()
    fake.faults.add(drop="after", method="GET")
    before = len(fake.requests)
    run(flavour, fake, call)
    assert len(fake.requests) - before == 2

"""Products beyond list/retrieve, product groups and resources."""

from __future__ import annotations

from ordergroove.testing import FakeOrdergroove

from ._support import GRANT_FIELDS, NO_PERMISSION, PRODUCT_FIELDS, RESOURCE_FIELDS, Api, as_storefront


def test_group_check(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_product_group("incentive", "summer_sale", products=["SKU-1"])
    assert api.get("/products/SKU-1/incentive/summer_sale").json() == {"product_has_group": True}
    assert api.get("/products/SKU-1/incentive/winter").json() == {"product_has_group": False}
    assert api.get("/products/nope/incentive/summer_sale").status_code == 404
    assert api.get("/products/SKU-1/incentive/summer_sale/").status_code == 404  # no trailing slash


def test_relationships(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_product_relationship("SKU-1", "SKU-2")
    fake.add_product_relationship("SKU-1", "SKU-3", "upsell")
    page = http.get("/products/SKU-1/relationships/", params={"type": "swap_on_purchase"}).json()
    assert page["results"] == [
        {"relationship_type": "swap_on_purchase", "from_product": "SKU-1", "to_product": "SKU-2"}
    ]
    assert len(http.get("/products/SKU-1/relationships/").json()["results"]) == 2
    assert http.get("/products/SKU-1/relationships/", **as_storefront(fake, "c1")).json() == NO_PERMISSION


def test_update_product(http: Api, fake: FakeOrdergroove) -> None:
    product = fake.add_product("SKU-1")
    done = http.patch("/products/SKU-1/", {"name": "New", "price": 38.59, "live": False, "every": 2, "every_period": 3})
    assert done.status_code == 200
    assert set(done.json()) == PRODUCT_FIELDS - {"merchant", "groups", "created", "last_update"}
    assert (product["name"], product["price"], product["live"], product["every"]) == ("New", "38.59", False, 2)
    assert http.get("/products/SKU-1/").json()["price"] == "38.59"
    assert http.patch("/products/SKU-1/", {"price": "12.99"}).json()["price"] == "12.99"  # a string too
    bad = http.patch("/products/SKU-1/", {"live": "yes", "product_type": "kit", "every_period": 9})
    assert set(bad.json()) == {"live", "product_type", "every_period"} and product["live"] is False
    assert http.patch("/products/SKU-1/", {"name": "x"}, **as_storefront(fake, "c1")).json() == NO_PERMISSION
    assert http.patch("/products/nope/", {"name": "x"}).status_code == 404


def test_selection_rules_and_the_rotating_delivery_product(http: Api, fake: FakeOrdergroove) -> None:
    for sku in ("BOX", "MAY", "JUNE"):
        fake.add_product(sku)
    elements = [
        {"product": "MAY", "starting_date": "2025-02-01T00:00:00Z"},
        {"product": "JUNE", "starting_date": "2025-06-01T00:00:00Z"},
    ]
    done = http.post("/products/BOX/selection_rules/time_window/manage/", {"product_selection_list_elements": elements})
    assert done.status_code == 200
    (rule,) = done.json()
    assert set(rule) == {"public_id", "selection_rule_type", "product_selection_list_elements", "configuration"}
    assert rule["selection_rule_type"] == "TIME_WINDOW"
    assert rule["configuration"] == {"reveal_moment": "ORDER_PLACEMENT", "pricing_policy": "BEST_PRICE"}
    assert [e["product"] for e in rule["product_selection_list_elements"]] == ["MAY", "JUNE"]
    # The clock is at 2025-03-01: the window that started in February ships.
    assert http.get("/products/BOX/rotating_delivery_product/").json()["external_product_id"] == "MAY"
    read = http.get("/products/BOX/", params={"include_product_selection_rules": "true"}).json()
    assert read["product_selection_rules"] == [rule]
    assert "product_selection_rules" not in http.get("/products/BOX/").json()
    ordinal = http.post(
        "/products/BOX/selection_rules/ordinal/manage/",
        {
            "product_selection_list_elements": [{"product": "JUNE", "starting_ordinal": 0}],
            "configuration": {"cyclical_rotation_enabled": True, "cyclical_starting_ordinal": 1},
        },
    ).json()
    assert [r["selection_rule_type"] for r in ordinal] == ["TIME_WINDOW", "ORDINAL"]
    assert ordinal[1]["product_selection_list_elements"][0]["starting_ordinal"] == "0"  # a string of digits
    bad = http.post(
        "/products/BOX/selection_rules/ordinal/manage/", {"product_selection_list_elements": [{"product": "nope"}]}
    )
    assert bad.status_code == 400
    assert (
        http.post("/products/BOX/selection_rules/ordinal/manage/", {}, **as_storefront(fake, "c1")).json()
        == NO_PERMISSION
    )
    assert http.get("/products/MAY/rotating_delivery_product/").json()["external_product_id"] == "MAY"  # no rules


def test_digital_plan(http: Api, fake: FakeOrdergroove) -> None:
    fake.add_product("PLAN")
    resource = fake.add_resource(name="4k Resolution Movies")
    body = {"resource_grants": [{"resource": resource["public_id"], "time_amount": 2592000, "grace_period": 86400}]}
    done = http.post("/products/PLAN/resource_grants/manage/", body)
    (grant,) = done.json()
    assert set(grant) == GRANT_FIELDS and (grant["product"], grant["time_amount"]) == ("PLAN", 2592000)
    read = http.get("/products/", params={"include_product_resource_grants": "true"}).json()["results"][0]
    assert read["product_resource_grants"] == [grant]
    assert (
        http.post("/products/PLAN/resource_grants/manage/", {"resource_grants": [{"resource": "nope"}]}).status_code
        == 400
    )


def test_product_groups(api: Api, fake: FakeOrdergroove) -> None:
    fake.add_product("SKU-1")
    done = api.post("/product_groups/create/", {"name": "summer_sale", "group_type": "incentive"})
    assert (done.status_code, done.json()) == (200, {"name": "summer_sale", "group_type": "incentive"})
    api.post("/product_groups/create/", {"name": "prepaid", "group_type": "eligibility"})
    listed = api.get("/product_groups/", params={"group_type": "incentive"}).json()["results"]
    assert listed == [{"name": "summer_sale", "group_type": "incentive"}]
    assert api.get("/product_groups/", params={"name": "prepaid"}).json()["results"][0]["group_type"] == "eligibility"
    duplicate = api.post("/product_groups/create/", {"name": "summer_sale", "group_type": "incentive"})
    assert duplicate.status_code == 400
    assert api.post("/product_groups/create/", {"name": "x", "group_type": "color"}).status_code == 400
    fake.add_product_group("incentive", "summer_sale", products=["SKU-1"])
    renamed = api.patch("/product_groups/incentive/summer_sale/", {"name": "autumn_sale"})
    assert (renamed.status_code, renamed.json()) == (201, {"name": "autumn_sale", "group_type": "incentive"})
    assert fake.products["SKU-1"]["groups"] == [{"group_type": "incentive", "name": "autumn_sale"}]
    assert api.patch("/product_groups/incentive/summer_sale/", {"name": "x"}).status_code == 404
    assert api.get("/product_groups/", **as_storefront(fake, "c1")).json() == NO_PERMISSION


def test_resources(api: Api, fake: FakeOrdergroove) -> None:
    body = {"name": "4k Resolution Movies", "external_resource_id": "id1234", "description": "All of them"}
    done = api.post("/resources/create/", body)
    created = done.json()
    assert done.status_code == 200 and set(created) == RESOURCE_FIELDS and created["external_resource_id"] == "id1234"
    assert api.get(f"/resources/{created['public_id']}/", **as_storefront(fake, "c1")).json() == created
    assert api.get("/resources/").json()["results"] == [created]
    updated = api.patch(f"/resources/{created['public_id']}/update/", {"image_url": "https://img"}).json()
    assert (updated["image_url"], updated["name"]) == ("https://img", "4k Resolution Movies")
    assert api.post("/resources/create/", {}).json() == {
        "name": ["This field is required."],
        "external_resource_id": ["This field is required."],
    }
    assert api.post("/resources/create/", body, **as_storefront(fake, "c1")).json() == NO_PERMISSION
    assert (
        api.patch(f"/resources/{created['public_id']}/update/", {}, **as_storefront(fake, "c1")).json() == NO_PERMISSION
    )

"""Offer profiles and one-time incentives."""

from __future__ import annotations

from ordergroove.testing import FakeOrdergroove

from ._support import INCENTIVE_FIELDS, NO_PERMISSION, NOT_FOUND, OFFER_PROFILE_FIELDS, Api, as_storefront


def test_offer_profiles(http: Api, fake: FakeOrdergroove) -> None:
    profile = fake.add_offer_profile(name="Default")
    page = http.v2("/offer_profiles/").json()
    assert page == {"next": None, "previous": None, "results": [profile]} and set(profile) == OFFER_PROFILE_FIELDS
    assert http.get("/offer_profiles/", **as_storefront(fake, "c1")).json() == NO_PERMISSION


def test_one_time_incentive_lifecycle(api: Api, fake: FakeOrdergroove) -> None:
    order = fake.add_order("c1")
    body = {"external_code": "awesome_discount", "customer": "c1", "order": order["public_id"], "incentive": {"x": 1}}
    done = api.post("/one_time_incentives/create/", body)
    assert done.status_code == 200, done.text
    created = done.json()
    assert set(created) == INCENTIVE_FIELDS and created["external_code"] == "awesome_discount"
    path = f"/one_time_incentives/{created['public_id']}/"
    assert api.get(path).json() == created
    assert api.get("/one_time_incentives/").json()["results"] == [created]
    updated = api.patch(path + "update/", {"description": "10% off"}).json()
    assert (updated["description"], updated["external_code"]) == ("10% off", "awesome_discount")
    deleted = api.delete(path + "delete/")
    assert (deleted.status_code, deleted.json()["public_id"]) == (200, created["public_id"])
    assert api.get(path).json() == NOT_FOUND and api.delete(path + "delete/").status_code == 404


def test_one_time_incentive_errors_and_scope(http: Api, fake: FakeOrdergroove) -> None:
    assert http.post("/one_time_incentives/create/", {}).json() == {"external_code": ["This field is required."]}
    bad = http.post("/one_time_incentives/create/", {"external_code": "x", "customer": "nobody", "order": "nope"})
    assert set(bad.json()) == {"customer", "order"}
    mine = fake.add_one_time_incentive("c1")
    fake.add_one_time_incentive("c2")
    # A storefront lists its own incentives; retrieve, create, update and delete are application scope only.
    listed = http.get("/one_time_incentives/", **as_storefront(fake, "c1")).json()["results"]
    assert [row["public_id"] for row in listed] == [mine["public_id"]]
    signed = as_storefront(fake, "c1")
    path = f"/one_time_incentives/{mine['public_id']}/"
    assert http.get(path, **signed).json() == NO_PERMISSION
    assert http.post("/one_time_incentives/create/", {"external_code": "x"}, **signed).json() == NO_PERMISSION
    assert http.patch(path + "update/", {"description": "x"}, **signed).json() == NO_PERMISSION
    assert http.delete(path + "delete/", **signed).json() == NO_PERMISSION
    assert mine["public_id"] in fake._store.one_time_incentives

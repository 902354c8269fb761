"""x-api-key, the Bulk Operations permission and storefront (customer-scope) signatures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from assertions import assert_secret_absent

import ordergroove as og
from ordergroove.testing import FakeOrdergroove

from ._support import Api, ids, results

FAILED = {"detail": "Authentication Failed"}
NO_PERMISSION = {"detail": "You do not have permission to perform this action."}


@pytest.fixture
def two(fake: FakeOrdergroove) -> tuple[dict[str, Any], dict[str, Any]]:
    return fake.add_subscription("c1", "p1"), fake.add_subscription("c2", "p1")


def storefront(
    fake: FakeOrdergroove, customer: str, *, ts: int | None = None, key: str | None = None, **extra: Any
) -> dict[str, str]:
    """Signed by hand, exactly as the reference describes, independently of the emulator's helper."""
    stamp = fake.clock.timestamp() if ts is None else ts
    recognized = extra.get("trust_level") == "recognized"
    message = f"{customer}|recognized|{stamp}" if recognized else f"{customer}|{stamp}"
    secret = (key or fake.storefront_hash_key).encode()
    sig = base64.b64encode(hmac.new(secret, message.encode(), hashlib.sha256).digest()).decode()
    claims = {"public_id": fake.merchant_public_id, "ts": stamp, "sig_field": customer, "sig": sig, **extra}
    return {"Authorization": json.dumps(claims)}


def test_missing_key_is_401(api: Api, two: Any) -> None:
    response = api.get("/subscriptions/", key=None)
    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})


def test_wrong_key_is_403(api: Api, two: Any) -> None:
    for key in ("wrong", ""):
        response = api.get(f"/subscriptions/{two[0]['public_id']}/", key=key)
        assert (response.status_code, response.json()) == (403, FAILED)


def test_auth_is_checked_before_anything_changes(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    response = api.patch(f"/subscriptions/{two[0]['public_id']}/cancel/", {}, key="wrong")
    assert response.status_code == 403 and two[0]["live"] is True and fake.applied == []


def test_a_key_without_bulk_operations_must_name_a_customer(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    fake.add_api_key("narrow")
    fake.add_api_key("wide", bulk_operations=True)
    for path in ("/subscriptions/", "/orders/", "/items/", "/addresses/", "/payments/", "/customers/"):
        response = api.get(path, key="narrow")
        assert (response.status_code, response.json()) == (403, NO_PERMISSION), path
    assert ids(results(api.get("/subscriptions/", key="narrow", params={"customer": "c1"}))) == [two[0]["public_id"]]
    assert len(results(api.get("/subscriptions/", key="wide"))) == 2
    assert len(results(api.get("/customers/", key="narrow", params={"email": "c1@example.com"}))) == 1
    assert len(results(api.get("/products/", key="narrow"))) == 1
    assert api.get(f"/subscriptions/{two[1]['public_id']}/", key="narrow").status_code == 200


def test_storefront_reads_only_its_own_records(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    mine, theirs = two
    headers = storefront(fake, "c1")
    assert ids(results(api.get("/subscriptions/", key=None, headers=headers))) == [mine["public_id"]]
    # Asking for someone else's records finds none of them.
    assert results(api.get("/subscriptions/", key=None, headers=headers, params={"customer": "c2"})) == []
    assert [o["customer"] for o in results(api.get("/orders/", key=None, headers=headers))] == ["c1"]
    assert ids(results(api.get("/customers/", key=None, headers=headers)), "merchant_user_id") == ["c1"]
    assert api.get(f"/subscriptions/{mine['public_id']}/", key=None, headers=headers).status_code == 200
    other = api.get(f"/subscriptions/{theirs['public_id']}/", key=None, headers=headers)
    assert (other.status_code, other.json()) == (404, {"detail": "Unable to find requested asset."})
    assert api.get("/customers/c2/", key=None, headers=headers).status_code == 404
    order = fake.upcoming_order(theirs)
    assert order is not None
    item = fake.items_of(order)[0]
    assert api.get(f"/items/{item['public_id']}/", key=None, headers=headers).status_code == 404
    assert api.get("/products/p1/", key=None, headers=headers).status_code == 200


def test_storefront_acts_only_on_its_own_records(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    mine, theirs = two
    headers = storefront(fake, "c1")
    refused = api.patch(f"/subscriptions/{theirs['public_id']}/cancel/", {}, key=None, headers=headers)
    assert refused.status_code == 404 and theirs["live"] is True
    done = api.patch(f"/subscriptions/{mine['public_id']}/cancel/", {}, key=None, headers=headers)
    assert done.status_code == 200 and mine["live"] is False


def test_recognized_trust_level_reaches_only_the_calls_marked_for_it(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    mine, _ = two
    headers = storefront(fake, "c1", trust_level="recognized")
    # The reference marks retrieve and cancel "S+r"; list and change_quantity are "A, S" (full signature only).
    assert api.get(f"/subscriptions/{mine['public_id']}/", key=None, headers=headers).status_code == 200
    refused = api.patch(
        f"/subscriptions/{mine['public_id']}/change_quantity/", {"quantity": 2}, key=None, headers=headers
    )
    assert (refused.status_code, refused.json()) == (403, NO_PERMISSION)
    assert api.get("/subscriptions/", key=None, headers=headers).status_code == 403
    assert mine["quantity"] == 1
    done = api.patch(f"/subscriptions/{mine['public_id']}/cancel/", {}, key=None, headers=headers)
    assert done.status_code == 200 and mine["live"] is False
    # A recognized signature is not a full one, and the other way round.
    forged = storefront(fake, "c1")
    claims = json.loads(forged["Authorization"])
    claims["trust_level"] = "recognized"
    assert api.get("/subscriptions/", key=None, headers={"Authorization": json.dumps(claims)}).status_code == 403


def test_storefront_signature_lifetime_is_two_hours(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    signed_at = fake.clock.timestamp()
    headers = storefront(fake, "c1", ts=signed_at)
    fake.clock.advance(2 * 60 * 60)
    assert api.get("/subscriptions/", key=None, headers=headers).status_code == 200
    fake.clock.advance(1)
    expired = api.get("/subscriptions/", key=None, headers=headers)
    assert (expired.status_code, expired.json()) == (403, FAILED)


def test_the_helper_signs_like_the_reference(fake: FakeOrdergroove) -> None:
    def claims(headers: dict[str, str]) -> Any:
        return json.loads(headers["Authorization"])

    assert claims(fake.storefront_headers("c1")) == claims(storefront(fake, "c1"))
    recognized = claims(fake.storefront_headers("c1", recognized=True))
    assert recognized == claims(storefront(fake, "c1", trust_level="recognized"))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c.update(sig=base64.b64encode(b"x" * 32).decode()),
        lambda c: c.update(public_id="someone-else"),
        lambda c: c.update(sig_field="c2"),
        lambda c: c.update(ts=str(c["ts"])),
        lambda c: c.update(ts=c["ts"] + 1),
        lambda c: c.update(trust_level="admin"),
        lambda c: c.pop("sig"),
    ],
)
def test_bad_storefront_signatures(api: Api, fake: FakeOrdergroove, two: Any, tamper: Any) -> None:
    claims = json.loads(storefront(fake, "c1")["Authorization"])
    tamper(claims)
    response = api.get("/subscriptions/", key=None, headers={"Authorization": json.dumps(claims)})
    assert (response.status_code, response.json()) == (403, FAILED)


def test_signed_with_another_key_or_not_json(api: Api, fake: FakeOrdergroove, two: Any) -> None:
    other_key = storefront(fake, "c1", key="not-the-merchants-key")
    assert api.get("/subscriptions/", key=None, headers=other_key).status_code == 403
    for value in ("Bearer abc", "[1, 2]", "{"):
        assert api.get("/subscriptions/", key=None, headers={"Authorization": value}).status_code == 403


@pytest.mark.parametrize("field", ["sig_field", "sig"])
def test_a_storefront_claim_that_is_not_valid_unicode_is_refused(
    api: Api, fake: FakeOrdergroove, two: Any, field: str
) -> None:
    claims = json.loads(storefront(fake, "c1")["Authorization"])
    claims[field] += "\ud800"  # json.dumps escapes it: the header is ASCII, the decoded claim has no UTF-8 form
    response = api.get("/subscriptions/", key=None, headers={"Authorization": json.dumps(claims)})
    assert (response.status_code, response.json()) == (403, FAILED)


def test_a_storefront_hash_key_that_is_not_valid_unicode_is_refused_without_showing_it() -> None:
    secret = "emulator-hash-key-\ud800-SECRET"
    with pytest.raises(og.ConfigurationError, match="storefront_hash_key") as caught:
        FakeOrdergroove(storefront_hash_key=secret)
    fake = FakeOrdergroove()
    with pytest.raises(og.ConfigurationError, match="storefront_hash_key") as assigned:
        fake.storefront_hash_key = secret
    assert fake.storefront_hash_key == "test-storefront-hash-key"  # unchanged
    for error in (caught.value, assigned.value):
        assert_secret_absent(error, secret)


@pytest.mark.parametrize("key", ["", None, 42])
def test_a_storefront_hash_key_that_is_not_a_non_empty_string_is_refused(key: object) -> None:
    with pytest.raises(og.ConfigurationError, match="storefront_hash_key must be a non-empty string"):
        FakeOrdergroove(storefront_hash_key=key)  # type: ignore[arg-type]

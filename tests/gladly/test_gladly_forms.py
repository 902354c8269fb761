"""The form actions end to end: GET the form, POST the answers; the emulator's state and the timeline notes."""

# ruff: noqa: F811  (the fixtures are imported from the harness, and the tests take them as arguments)
from __future__ import annotations

import re
from typing import Any

import pytest
from _gladly_harness import (  # noqa: F401  (fixtures)
    DOWN_CUSTOMER,
    GLADLY_CUSTOMER,
    GLADLY_TOKEN,
    GLADLY_USER,
    NESTED_CUSTOMER,
    Adaptor,
    StartAdaptor,
    adaptor,
    basic_header,
    fake,
    first,
    gladly_stub,
    notes,
    og_url,
    start_adaptor,
)

from ordergroove import testing as ogt
from ordergroove.gladly import activity_id

Q = f"?gladlyCustomerId={GLADLY_CUSTOMER}"


async def detailed_actions(adaptor: Adaptor, customer_id: str = "cust_0001") -> dict[str, str]:
    """The form URLs the lookup offers, by ``"<subscription id> <action name>"``."""
    response = await adaptor.lookup(
        {"lookupLevel": "DETAILED", "query": {"externalCustomerId": customer_id, "id": GLADLY_CUSTOMER}}
    )
    [profile] = response.json()["results"]
    return {
        f"{t.get('subscriptionId', t.get('orderNumber'))} {a['name']}": a["formUrl"]
        for t in profile["transactions"]
        for a in t.get("actions", [])
    }


# -- cancel ------------------------------------------------------------------------------------------------------------
async def test_cancel_form_offers_the_standard_and_the_merchant_reasons(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove
) -> None:
    subscription = first(fake)
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Cancel subscription"]
    response = await adaptor.request("GET", url)
    assert response.status_code == 200
    form = response.json()
    assert form["title"] == "Cancel subscription"
    assert form["submitButton"] and form["closeButton"]
    assert form["actionUrl"] == url
    reason, details = form["sections"]
    assert (reason["type"], reason["attr"], reason["input"]["type"]) == ("input", "cancelReasonCode", "select")
    options = reason["input"]["options"]
    assert options[0] == {"text": "Customer request", "value": "1"}
    assert {"text": "Overstocked", "value": "4"} in options
    assert options[-1] == {"text": "Reason 12", "value": "12"}  # the demo merchant's own code
    assert [o["value"] for o in options] == [str(code) for code in [*range(1, 11), 12]]
    assert details["attr"] == "cancelReasonDetails"
    assert details["input"] == {"type": "text", "optional": True}


async def test_cancel_form_submitted_cancels_and_writes_one_note(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Cancel subscription"]
    response = await adaptor.request("POST", url, {"cancelReasonCode": "4", "cancelReasonDetails": "Too much coffee"})
    assert response.status_code == 200
    assert response.json() == {
        "message": "Subscription canceled",
        "detail": f"Subscription {subscription['public_id']} ({subscription['product']}) is canceled. "
        "Reason: Overstocked: Too much coffee.",
    }
    assert subscription["live"] is False
    assert subscription["cancel_reason"] == "4|Too much coffee"
    assert [(r.method, r.path) for r in fake.applied] == [
        ("PATCH", f"/subscriptions/{subscription['public_id']}/cancel/")
    ]
    [note] = notes
    assert note["customer_id"] == GLADLY_CUSTOMER
    cancelled = subscription["cancelled"].replace(" ", "T") + "Z"
    assert note["id"] == activity_id("cancel", subscription["public_id"], cancelled)
    assert note["content"]["type"] == "CUSTOMER_ACTIVITY"
    assert note["content"]["title"] == "Ordergroove: Subscription canceled"
    assert note["content"]["body"] == response.json()["detail"]
    assert note["content"]["sourceName"] == "Ordergroove"


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({}, [("cancelReasonCode", "required")]),
        ({"cancelReasonCode": ""}, [("cancelReasonCode", "required")]),
        ({"cancelReasonCode": "too much"}, [("cancelReasonCode", "invalid")]),
        ({"cancelReasonCode": "0"}, [("cancelReasonCode", "invalid")]),
        ({"cancelReasonCode": "4", "cancelReasonDetails": "x" * 251}, [("cancelReasonDetails", "too_long")]),
        ({"cancelReasonCode": "4", "cancelReasonDetails": "a|b"}, [("cancelReasonDetails", "invalid")]),
    ],
)
async def test_cancel_form_with_bad_input_is_a_400_and_changes_nothing(
    adaptor: Adaptor,
    fake: ogt.FakeOrdergroove,
    notes: list[dict[str, Any]],
    answers: dict[str, Any],
    errors: list[tuple[str, str]],
) -> None:
    subscription = first(fake)
    response = await adaptor.request("POST", f"/forms/cancel/{subscription['public_id']}{Q}", answers)
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == errors
    assert all(e["detail"] for e in response.json()["errors"])
    assert subscription["live"] is True
    assert not fake.applied and not notes


async def test_cancel_of_a_subscription_canceled_meanwhile_is_a_406(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Cancel subscription"]
    with fake.client() as client:  # someone else cancels it after the agent opened the profile
        client.subscriptions.cancel(subscription["public_id"])
    response = await adaptor.request("POST", url, {"cancelReasonCode": "1"})
    assert response.status_code == 406
    assert response.json() == {
        "errors": [
            {"code": "not_applicable", "detail": f"Subscription {subscription['public_id']} is no longer active."}
        ]
    }
    assert len(fake.applied) == 1  # only the other cancel
    assert not notes


async def test_ordergroove_state_error_is_a_406(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    prepaid = next(s for s in fake.subscriptions.values() if s.get("prepaid_subscription_context") and s["live"])
    response = await adaptor.request("POST", f"/forms/cancel/{prepaid['public_id']}{Q}", {"cancelReasonCode": 1})
    assert response.status_code == 406
    assert response.json()["errors"][0]["detail"] == "Prepaid subscriptions cannot be cancelled."
    assert prepaid["live"] is True and not notes


async def test_a_form_for_a_subscription_that_does_not_exist_is_a_406(adaptor: Adaptor) -> None:
    response = await adaptor.request("POST", f"/forms/cancel/nope{Q}", {"cancelReasonCode": 1})
    assert response.status_code == 406
    assert "no longer exists" in response.json()["errors"][0]["detail"]


async def test_a_locked_order_asks_the_agent_to_submit_again(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    fake.upcoming_order(subscription)["locked"] = True  # type: ignore[index]
    response = await adaptor.request("POST", f"/forms/cancel/{subscription['public_id']}{Q}", {"cancelReasonCode": 1})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "locked"
    assert subscription["live"] is True and not notes


# -- skip -------------------------------------------------------------------------------------------------------------
async def test_skip_form_asks_for_a_confirmation(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    subscription = first(fake)
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Skip next order"]
    form = (await adaptor.request("GET", url)).json()
    assert form["title"] == "Skip the next order"
    # The action is bound to the order the skip applies to (a repeated POST must not skip a second one).
    order = fake.upcoming_order(subscription)
    assert order is not None
    assert form["actionUrl"] == url.replace("?", f"?orderId={order['public_id']}&")
    [confirm] = form["sections"]
    assert confirm["attr"] == "confirm" and confirm["input"] == {"type": "checkbox"}


async def skip_action_url(adaptor: Adaptor, subscription: dict[str, Any]) -> str:
    """The actionUrl of the skip form the lookup offers for ``subscription`` (Gladly GETs the form, then POSTs)."""
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Skip next order"]
    action_url: str = (await adaptor.request("GET", url)).json()["actionUrl"]
    return action_url


@pytest.mark.parametrize("confirm", [True, "true", "on", ["true"]])
async def test_skip_form_submitted_skips_the_next_order(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]], confirm: Any
) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    response = await adaptor.request("POST", await skip_action_url(adaptor, subscription), {"confirm": confirm})
    assert response.status_code == 200
    assert response.json()["message"] == "Order skipped"
    assert order["public_id"] in response.json()["detail"]
    # The subscription left that order and got a later one.
    assert all(item["subscription"] != subscription["public_id"] for item in fake.items_of(order))
    later = fake.upcoming_order(subscription)
    assert later is not None and later["place"] > order["place"]
    [note] = notes
    assert note["id"] == activity_id("skip", subscription["public_id"], order["public_id"])
    assert note["customer_id"] == GLADLY_CUSTOMER


@pytest.mark.parametrize("answers", [{}, {"confirm": False}, {"confirm": "no"}])
async def test_skip_without_the_confirmation_is_a_400(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]], answers: dict[str, Any]
) -> None:
    subscription = first(fake)
    response = await adaptor.request("POST", await skip_action_url(adaptor, subscription), answers)
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [("confirm", "required")]
    assert not fake.applied and not notes


async def test_skip_from_the_order_card_skips_that_order(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    actions = await detailed_actions(adaptor)
    name = fake.products[subscription["product"]]["name"]
    url = actions[f"{order['public_id']} Skip {name} in this order"]
    response = await adaptor.request("POST", url, {"confirm": True})
    assert response.status_code == 200
    assert [(r.method, r.path) for r in fake.applied] == [("PATCH", f"/orders/{order['public_id']}/skip_subscription/")]
    assert fake.applied[0].json == {"subscription": subscription["public_id"]}
    [note] = notes
    assert note["id"] == activity_id("skip", subscription["public_id"], order["public_id"])


async def test_skip_of_an_order_that_is_no_longer_upcoming_is_a_406(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    url = f"/forms/skip/{subscription['public_id']}?orderId={order['public_id']}&gladlyCustomerId={GLADLY_CUSTOMER}"
    order["status"] = 6  # sent meanwhile
    response = await adaptor.request("POST", url, {"confirm": True})
    assert response.status_code == 406
    assert "SEND_NOW" in response.json()["errors"][0]["detail"]
    assert not fake.applied and not notes


async def test_a_repeated_skip_form_post_skips_only_one_order(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    action_url = await skip_action_url(adaptor, subscription)
    first_answer = await adaptor.request("POST", action_url, {"confirm": True})
    assert first_answer.status_code == 200
    # Gladly did not get (or timed out on) the first answer and sends the same POST again.
    second_answer = await adaptor.request("POST", action_url, {"confirm": True})
    assert second_answer.status_code == 406
    skips = [r for r in fake.applied if r.path.endswith("/skip_subscription/")]
    assert [r.path for r in skips] == [f"/orders/{order['public_id']}/skip_subscription/"]
    later = fake.upcoming_order(subscription)
    assert later is not None and all(i["subscription"] == subscription["public_id"] for i in fake.items_of(later))
    assert len(notes) == 1


async def test_a_skip_form_shown_without_an_upcoming_order_never_skips(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = fake.add_subscription("cust_0001", "TEA-GREEN-50", create_order=False)
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Skip next order"]
    form = (await adaptor.request("GET", url)).json()
    # An order appears after the form was shown; Gladly then posts the form (twice: its first answer was lost).
    fake.add_order("cust_0001", items=[{"product": "TEA-GREEN-50", "subscription": subscription["public_id"]}])
    answers = [await adaptor.request("POST", form["actionUrl"], {"confirm": True}) for _ in range(2)]
    # Nothing is skipped: the form was bound to no order, and acting on one the agent never saw is refused.
    assert not fake.applied and not notes
    for answer in answers:
        assert answer.status_code == 406
        [error] = answer.json()["errors"]
        assert error["code"] == "not_applicable"
        assert "named no order" in error["detail"] and "nothing was skipped" in error["detail"]
    # The form itself said there was nothing to skip, and its action names no order.
    assert form["title"] == "No order to skip"
    assert "has no upcoming order" in form["sections"][0]["label"]
    assert "orderId" not in form["actionUrl"]


async def test_a_bound_skip_form_names_the_order_it_skips(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    subscription = first(fake)
    order = fake.upcoming_order(subscription)
    assert order is not None
    url = (await detailed_actions(adaptor))[f"{subscription['public_id']} Skip next order"]
    form = (await adaptor.request("GET", url)).json()
    assert order["public_id"] in form["sections"][0]["label"]


@pytest.mark.parametrize("kind", ["cancel", "reactivate"])
async def test_an_order_id_on_a_form_that_acts_on_no_order_is_refused(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]], kind: str
) -> None:
    # A cancel or reactivate form acts on the subscription only: an order id would be shown but ignored.
    subscription = first(fake, live=kind == "cancel")
    order = next(iter(fake.orders))
    url = f"/forms/{kind}/{subscription['public_id']}?orderId={order}&gladlyCustomerId={GLADLY_CUSTOMER}"
    answers = {"cancelReasonCode": 1, "every": 1, "everyPeriod": 3, "startDate": "2025-02-01"}
    for method in ("GET", "POST"):
        response = await adaptor.request(method, url, answers if method == "POST" else None)
        assert response.status_code == 404, method
        assert "orderId" in response.json()["errors"][0]["detail"]
    assert not fake.applied and not notes


@pytest.mark.parametrize(
    ("kind", "answers", "attr"),
    [
        ("cancel", {"cancelReasonCode": "\u00b2"}, "cancelReasonCode"),
        ("cancel", {"cancelReasonCode": "\u0663"}, "cancelReasonCode"),
        ("cancel", {"cancelReasonCode": "9" * 5000}, "cancelReasonCode"),
        ("cancel", {"cancelReasonCode": 10**400}, "cancelReasonCode"),
        ("reactivate", {"every": "\u0663", "everyPeriod": "2", "startDate": "2025-02-01"}, "every"),
        ("reactivate", {"every": "2", "everyPeriod": "\u00b2", "startDate": "2025-02-01"}, "everyPeriod"),
        ("reactivate", {"every": "2", "everyPeriod": "2", "startDate": "\u0662025-02-01"}, "startDate"),
        ("reactivate", {"every": "2", "everyPeriod": "2", "startDate": "2025-\uff10\uff12-01"}, "startDate"),
    ],
)
async def test_numbers_are_ascii_digits_only(
    adaptor: Adaptor,
    fake: ogt.FakeOrdergroove,
    notes: list[dict[str, Any]],
    kind: str,
    answers: dict[str, Any],
    attr: str,
) -> None:
    subscription = first(fake, live=kind == "cancel")
    response = await adaptor.request("POST", f"/forms/{kind}/{subscription['public_id']}{Q}", answers)
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [(attr, "invalid")]
    assert not fake.applied and not notes


# -- reactivate -------------------------------------------------------------------------------------------------------
async def test_reactivate_form_asks_for_the_frequency_and_start(adaptor: Adaptor, fake: ogt.FakeOrdergroove) -> None:
    canceled = first(fake, live=False)
    url = (await detailed_actions(adaptor))[f"{canceled['public_id']} Reactivate subscription"]
    form = (await adaptor.request("GET", url)).json()
    assert form["actionUrl"] == url
    assert [s["attr"] for s in form["sections"]] == ["every", "everyPeriod", "startDate"]
    period = form["sections"][1]["input"]
    assert period["type"] == "select"
    assert [o["value"] for o in period["options"]] == ["1", "2", "3", "4"]


async def test_reactivate_form_submitted_reactivates(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    canceled = first(fake, live=False)
    url = (await detailed_actions(adaptor))[f"{canceled['public_id']} Reactivate subscription"]
    response = await adaptor.request("POST", url, {"every": "2", "everyPeriod": "2", "startDate": "2025-02-01"})
    assert response.status_code == 200
    assert response.json() == {
        "message": "Subscription reactivated",
        "detail": f"Subscription {canceled['public_id']} ({canceled['product']}) is active again: every 2 weeks, "
        "starting 2025-02-01.",
    }
    assert canceled["live"] is True
    assert (canceled["every"], canceled["every_period"], canceled["start_date"]) == (2, 2, "2025-02-01")
    assert fake.applied[0].json == {"every": 2, "every_period": 2, "start_date": "2025-02-01"}
    [note] = notes
    assert note["id"] == activity_id("reactivate", canceled["public_id"], canceled["updated"].replace(" ", "T") + "Z")


async def test_reactivate_with_bad_input_names_every_bad_field(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    canceled = first(fake, live=False)
    response = await adaptor.request(
        "POST",
        f"/forms/reactivate/{canceled['public_id']}{Q}",
        {"every": "0", "everyPeriod": "fortnights", "startDate": "next tuesday"},
    )
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("every", "invalid"),
        ("everyPeriod", "invalid"),
        ("startDate", "invalid"),
    ]
    assert canceled["live"] is False and not fake.applied and not notes


async def test_reactivate_of_an_active_subscription_is_a_406(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    active = first(fake)
    response = await adaptor.request(
        "POST",
        f"/forms/reactivate/{active['public_id']}{Q}",
        {"every": 1, "everyPeriod": "months", "startDate": "2025-02-01"},
    )
    assert response.status_code == 406
    assert response.json()["errors"][0]["detail"] == f"Subscription {active['public_id']} is already active."
    assert not fake.applied and not notes


# -- around the forms -------------------------------------------------------------------------------------------------
async def test_without_gladly_credentials_the_action_runs_and_no_note_is_written(
    start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    async with start_adaptor(notes=False) as running:
        response = await running.request(
            "POST", f"/forms/cancel/{subscription['public_id']}{Q}", {"cancelReasonCode": 1}
        )
    assert response.status_code == 200
    assert subscription["live"] is False
    assert not notes


async def test_a_note_gladly_refuses_does_not_fail_the_action(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    url = f"/forms/cancel/{subscription['public_id']}?gladlyCustomerId={DOWN_CUSTOMER}"
    response = await adaptor.request("POST", url, {"cancelReasonCode": 1})
    assert response.status_code == 200
    assert subscription["live"] is False
    assert not notes


async def test_a_note_answer_gladly_nests_deeply_does_not_fail_the_action(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    url = f"/forms/cancel/{subscription['public_id']}?gladlyCustomerId={NESTED_CUSTOMER}"
    response = await adaptor.request("POST", url, {"cancelReasonCode": 1})
    # The cancel is done: the answer says so (the note's failure is only logged).
    assert response.status_code == 200
    assert response.json()["message"] == "Subscription canceled"
    assert subscription["live"] is False
    assert not notes


@pytest.mark.parametrize("fault", [{"status": 502}, {"status": 500}, {"drop": "after"}, {"truncate": True}])
async def test_ordergroove_failing_during_an_action_says_it_may_be_applied(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]], fault: dict[str, Any]
) -> None:
    # The cancel may be done (a gateway's 5xx, a connection lost after sending, an answer cut short): the agent is
    # told so, never that it failed or to try again; it was sent once.
    subscription = first(fake)
    fake.faults.add(**fault, method="PATCH")
    response = await adaptor.request("POST", f"/forms/cancel/{subscription['public_id']}{Q}", {"cancelReasonCode": 1})
    assert response.status_code in (502, 503)
    [error] = response.json()["errors"]
    assert error["detail"].startswith("cancel: the outcome is unknown (")
    assert error["detail"].endswith("the change may have been applied: refresh before retrying.")
    assert [r.method for r in fake.requests].count("PATCH") == 1
    assert not notes


async def test_ordergroove_failing_before_an_action_is_a_clean_error(
    adaptor: Adaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    # The state check (a read) failed: nothing was sent that changes anything.
    subscription = first(fake)
    fake.faults.add(502, method="GET", times=None)
    response = await adaptor.request("POST", f"/forms/cancel/{subscription['public_id']}{Q}", {"cancelReasonCode": 1})
    assert response.status_code == 503
    [error] = response.json()["errors"]
    # The host Ordergroove was reached at, and what it answered.
    assert error["code"] == "ordergroove_error"
    assert re.fullmatch(r"Ordergroove \(127\.0\.0\.1:[0-9]+\) answered 502", error["detail"])
    assert subscription["live"] is True
    assert not notes


async def test_ordergroove_too_slow_during_an_action_warns_it_may_be_applied(
    start_adaptor: StartAdaptor, fake: ogt.FakeOrdergroove, notes: list[dict[str, Any]]
) -> None:
    subscription = first(fake)
    fake.faults.add(delay=3, method="PATCH")
    async with start_adaptor(deadline=0.5) as running:
        response = await running.request(
            "POST", f"/forms/cancel/{subscription['public_id']}{Q}", {"cancelReasonCode": 1}
        )
    assert response.status_code == 504
    assert "may have been applied" in response.json()["errors"][0]["detail"]
    assert not notes


async def test_an_unknown_form_is_a_404(adaptor: Adaptor) -> None:
    response = await adaptor.request("GET", "/forms/delete/abc")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


async def test_basic_auth_and_timeline_credentials_are_their_own(
    start_adaptor: StartAdaptor,
    fake: ogt.FakeOrdergroove,
    gladly_stub: Any,
) -> None:
    subscription = first(fake)
    async with start_adaptor(basic_auth=("gladly", "s3cret")) as running:
        response = await running.request(
            "POST", f"/forms/cancel/{subscription['public_id']}{Q}", {"cancelReasonCode": 1}
        )
    assert response.status_code == 200
    # The note went to Gladly with the API user's credentials, not with the adaptor's Basic auth.
    assert gladly_stub[0].authorizations == [basic_header(GLADLY_USER, GLADLY_TOKEN)]

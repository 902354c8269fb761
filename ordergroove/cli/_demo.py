"""``ordergroove demo``: a walk through the library on the demo emulator; no key, no network."""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from .. import BadRequestError, Customer, Period, Subscription
from ._output import summary_text, table

if TYPE_CHECKING:
    from .. import Ordergroove


def run_demo(out: TextIO) -> None:
    from ..testing import FakeOrdergroove

    fake = FakeOrdergroove.demo()

    def say(text: str = "") -> None:
        out.write(text + "\n")

    def step(title: str, code: str) -> None:
        say()
        say(f"== {title}")
        say(f"   >>> {code}")

    say("The ordergroove library, on its built-in emulator (FakeOrdergroove.demo(): seeded test data, no network).")
    with fake.client() as client:
        customer, subscription = _pick(client.customers.list().to_list(limit=100), client)
        step(f"Customer {customer}'s subscriptions", f"client.subscriptions.list(customer={customer!r})")
        table(client.subscriptions.list(customer=customer).to_list(), out)

        step(
            "The same in one GraphQL request, with each product and address",
            f"client.graphql.subscriptions(customer={customer!r})",
        )
        if importlib.util.find_spec("graphql") is None:  # the emulator runs GraphQL with graphql-core
            say("(skipped: the emulator's GraphQL needs graphql-core: pip install 'ordergroove[testing]')")
        else:
            for found in client.graphql.subscriptions(customer=customer):
                product = found.product.name if found.product else "-"
                city = found.shipping_address.city if found.shipping_address else "-"
                say(f"{found.public_id}  {product}  -> {city}")

        step("The customer at a glance", f"client.customers.summary({customer!r})")
        say(summary_text(client.customers.summary(customer)))

        step("Skip the next order", f"client.subscriptions.skip_next_order({subscription.public_id!r})")
        skipped = client.subscriptions.skip_next_order(subscription.public_id)
        say(f"skipped order {skipped.public_id} (was to be placed {skipped.place:%Y-%m-%d})")
        upcoming = client.orders.list(subscription=subscription.public_id, status=1).to_list()
        table(upcoming, out)

        reasons = client.merchant.cancel_reasons()
        reason = reasons[0]
        step(
            "Cancel with a reason",
            f"client.subscriptions.cancel({subscription.public_id!r}, reason_code={reason.code}, "
            "reason_details='Moving abroad')",
        )
        canceled = client.subscriptions.cancel(
            subscription.public_id, reason_code=reason.code, reason_details="Moving abroad"
        )
        table([canceled], out)

        step("A typed error: cancel it again", f"client.subscriptions.cancel({subscription.public_id!r})")
        try:
            client.subscriptions.cancel(subscription.public_id)
        except BadRequestError as exc:
            say(f"caught og.{type(exc).__name__} (status {exc.status_code}): detail={exc.detail!r}")

        start = fake.clock.now().date() + dt.timedelta(days=7)
        step(
            "Reactivate",
            f"client.subscriptions.reactivate({subscription.public_id!r}, every=1, every_period=og.Period.MONTHS, "
            f"start_date=date({start.year}, {start.month}, {start.day}))",
        )
        reactivated = client.subscriptions.reactivate(
            subscription.public_id, every=1, every_period=Period.MONTHS, start_date=start
        )
        table([reactivated], out)

        step(
            "Set contact details",
            f"client.customers.set_contact_details({customer!r}, email='new@example.com', phone_number='+15550100')",
        )
        details = client.customers.set_contact_details(customer, email="new@example.com", phone_number="+15550100")
        table([details], out)
    say()
    say(f"{len(fake.requests)} requests reached the emulator; {len(fake.applied)} of them changed its state.")


def _pick(customers: Sequence[Customer], client: Ordergroove) -> tuple[str, Subscription]:
    """A customer with an active, non-prepaid subscription that has an upcoming order: the demo needs one."""
    for customer in customers:
        for subscription in client.subscriptions.list(customer=customer.merchant_user_id):
            upcoming = client.orders.list(subscription=subscription.public_id, status=1)
            if subscription.live and not subscription.is_prepaid and upcoming.to_list(limit=1):
                return customer.merchant_user_id, subscription
    raise RuntimeError("the demo data set has no active subscription with an upcoming order")

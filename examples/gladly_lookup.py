"""Call the Gladly service as Gladly does: a signed lookup request, answered with the customer's profile.

    python examples/gladly_lookup.py [cust_0001]

The service (``ordergroove.gladly.create_app``) runs in-process on the demo emulator; the request is signed with
``gladly.sign_request`` exactly as Gladly signs it. Needs the ``gladly`` extra.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import httpx

from ordergroove import gladly
from ordergroove.testing import FakeOrdergroove

SIGNING_KEY = "example-gladly-signing-key"  # in production: the key generated in Gladly's Lookup Adaptor


async def lookup(app: object, level: str, query: dict[str, object]) -> dict[str, Any]:
    body = json.dumps({"lookupLevel": level, "query": query, "uniqueMatchRequired": False}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    headers |= gladly.sign_request("POST", "/lookup", "", headers, body, SIGNING_KEY)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://gladly-service") as http:
        response = await http.post("/lookup", content=body, headers=headers)
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


async def main(customer_id: str) -> None:
    fake = FakeOrdergroove.demo()
    email = fake.customers[customer_id]["email"]
    async with fake.async_client() as client:
        app = gladly.create_app(client, signing_key=SIGNING_KEY)

        basic = await lookup(app, "BASIC", {"emails": [email]})
        print(f"BASIC lookup of {email}:")
        print(json.dumps(basic, indent=2))

        detailed = await lookup(app, "DETAILED", {"externalCustomerId": customer_id})
        [profile] = detailed["results"]
        print(f"\nDETAILED lookup of {customer_id}: {len(profile['transactions'])} transactions")
        for transaction in profile["transactions"]:
            actions = ", ".join(action["name"] for action in transaction.get("actions", []))
            ident = transaction.get("subscriptionId") or transaction.get("orderNumber")
            print(
                f"  {transaction['type']:<12} {ident}  {transaction.get('status') or transaction.get('orderStatus')}"
                f"  [{actions}]"
            )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "cust_0001"))

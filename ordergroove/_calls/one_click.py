"""one_click.*: the 1-click actions of ``client.one_click``: GETs that change an order or a subscription."""

from __future__ import annotations

from .._call import Call, Params, positive_int
from ..errors import ConfigurationError
from ._base import no_body


def _action(path: str, token: str, params: Params) -> Call[None]:
    if not isinstance(token, str) or not token.strip():
        raise ConfigurationError(f"token must be the 1-click token (from a webhook's payload), got {token!r}")
    # Not idempotent: a GET with a side effect, never re-sent once it may have arrived (no trailing slash: as
    # documented).
    items = (("token", token), *params.items())
    Params().text("token", token)  # checked like any query value (length, encoding)
    return Call("GET", path, decode=no_body, params=items, idempotent=False)


def delay(token: str, days: int | None) -> Call[None]:
    # NOT idempotent: each call pushes the shipment again.
    return _action(
        "/one_click/delay", token, Params().integer("days", None if days is None else positive_int("days", days))
    )


def reactivate(token: str, winback_id: str | None) -> Call[None]:
    # NOT idempotent: a reactivation creates an order.
    return _action("/one_click/reactivate", token, Params().text("winback_id", winback_id))

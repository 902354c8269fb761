"""cart.*: the calls of ``client.cart`` (om host)."""

from __future__ import annotations

from .._call import Call, path, segment
from ..models import CartItem
from ._base import records_call


def retrieve(om_url: str, session_id: str) -> Call[list[CartItem]]:
    # A read. Unconfirmed: the container (one object or a list); a list here, as the emulator answers.
    url_path = path("carts", segment("session_id", session_id))
    call = records_call(CartItem, "GET", url_path, None, idempotent=True)
    return Call(call.method, call.path, decode=call.decode, url=om_url + url_path)

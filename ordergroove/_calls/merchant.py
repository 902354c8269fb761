"""merchant.*: the calls of ``client.merchant``."""

from __future__ import annotations

from typing import Any

from .._call import Call, Decoding
from ..errors import ResponseDecodeError
from ..models import CancelReason, decode_list


def _decode_cancel_reasons(body: Any, decoding: Decoding) -> list[CancelReason]:
    if not isinstance(body, dict) or "results" not in body:
        raise ResponseDecodeError("expected a JSON object with a 'results' list of cancel reasons")
    return decode_list(CancelReason, body["results"], strict=decoding.strict)


_CANCEL_REASONS: Call[list[CancelReason]] = Call("GET", "/merchant/cancel_reason/", decode=_decode_cancel_reasons)


def cancel_reasons() -> Call[list[CancelReason]]:
    # endpoint id: merchant.list_cancel_reasons (a read)
    return _CANCEL_REASONS

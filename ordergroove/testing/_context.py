"""What a rule sees of one request: who asks, the path arguments, the query and body, and the ways to answer.

Shared by the HTTP surface and the rule modules (so that neither imports the other): the principal, the
storefront ownership checks, pagination and the webhook events a call produces.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import attrs

from ordergroove.testing._records import Headers
from ordergroove.testing._rules import ApiError, not_found
from ordergroove.testing._store import Record, Store, ascii_int

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove
    from ordergroove.testing._routes import Endpoint

__all__ = ["NO_PERMISSION", "Call", "Params", "Principal", "last", "paginate", "parse_bool"]

NO_PERMISSION = "You do not have permission to perform this action."
PAGE_SIZE_DEFAULT = 10
PAGE_SIZE_MAX = 100

Params = Mapping[str, list[str]]


@attrs.frozen
class Principal:
    """Who is asking: an API key (with or without Bulk Operations), one storefront customer, or nobody."""

    bulk: bool = False
    customer: str | None = None
    trust_level: str | None = None
    anonymous: bool = False

    @property
    def storefront(self) -> bool:
        return self.customer is not None


def parse_bool(value: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower())


def last(params: Params, key: str) -> str | None:
    values = [v for v in params.get(key, []) if v != ""]
    return values[-1] if values else None


def refuse() -> ApiError:
    return ApiError(403, {"detail": NO_PERMISSION})


# -- pagination ---------------------------------------------------------------------------------------------
def _page_size(params: Params) -> int:
    raw = last(params, "page_size")
    if raw is None:
        return PAGE_SIZE_DEFAULT
    size = ascii_int(raw, signed=True)
    if size is None:
        raise ApiError(400, {"page_size": ["A valid integer is required."]})
    if size < 1:
        raise ApiError(400, {"page_size": ["Ensure this value is greater than or equal to 1."]})
    if size > PAGE_SIZE_MAX:
        raise ApiError(400, {"page_size": [f"Ensure this value is less than or equal to {PAGE_SIZE_MAX}."]})
    return size


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o={offset}".encode()).decode()


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ApiError(404, {"detail": "Invalid cursor"}) from None
    key, _, value = text.partition("=")
    offset = ascii_int(value) if key == "o" and value.isascii() and value.isdigit() else None
    if offset is None:
        raise ApiError(404, {"detail": "Invalid cursor"})
    return offset


def _link(origin: str, path: str, query: Sequence[tuple[str, str]], drop: str, add: tuple[str, str] | None) -> str:
    kept = [(k, v) for k, v in query if k != drop]
    if add is not None:
        kept.append(add)
    return f"{origin}{path}?{urlencode(kept)}" if kept else f"{origin}{path}"


def paginate(
    rows: Sequence[Record], params: Params, query: Sequence[tuple[str, str]], headers: Headers, origin: str, path: str
) -> dict[str, Any]:
    """One page of ``rows``: cursor mode with ``X-OG-API-VERSION: 2``, else the deprecated page numbers."""
    size = _page_size(params)
    if headers.get("x-og-api-version", "").strip() == "2":
        cursor = last(params, "cursor")
        offset = 0 if cursor is None else _decode_cursor(cursor)
        page = list(rows[offset : offset + size])
        following = offset + size
        nxt = (
            _link(origin, path, query, "cursor", ("cursor", _encode_cursor(following)))
            if following < len(rows)
            else None
        )
        previous: str | None = None
        if offset > 0:
            back = max(0, offset - size)
            previous = _link(origin, path, query, "cursor", ("cursor", _encode_cursor(back)) if back else None)
        return {"next": nxt, "previous": previous, "results": page}
    raw_page = last(params, "page") or "1"
    last_page = max(1, -(-len(rows) // size))
    number = last_page if raw_page == "last" else ascii_int(raw_page)
    if number is None or not 1 <= number <= last_page:
        raise ApiError(404, {"detail": "Invalid page."})
    page = list(rows[(number - 1) * size : number * size])
    nxt = _link(origin, path, query, "page", ("page", str(number + 1))) if number < last_page else None
    previous = None
    if number > 1:
        previous = _link(origin, path, query, "page", ("page", str(number - 1)) if number > 2 else None)
    return {"count": len(rows), "next": nxt, "previous": previous, "results": page}


# -- the call -------------------------------------------------------------------------------------------------
@attrs.define
class Call:
    """One routed, authenticated request, as the rules see it."""

    fake: FakeOrdergroove
    endpoint: Endpoint
    args: Mapping[str, str]
    principal: Principal
    params: Params
    query: Sequence[tuple[str, str]]
    headers: Headers
    parsed: Any
    body_error: bool
    raw_body: bytes
    origin: str
    raw_path: str
    applied: bool = True
    events: list[tuple[str, str, Any, Any]] = attrs.field(factory=list)
    extra_headers: tuple[tuple[str, str], ...] = ()

    @property
    def store(self) -> Store:
        return self.fake._store

    @property
    def body(self) -> Any:
        """The JSON body (None when empty); a body that is not JSON answers 400, as Django REST does."""
        if self.body_error:
            raise ApiError(400, {"detail": "JSON parse error - Expecting value: line 1 column 1 (char 0)"})
        return self.parsed

    def page(self, rows: Sequence[Record]) -> dict[str, Any]:
        return paginate(rows, self.params, self.query, self.headers, self.origin, self.raw_path)

    def emit(self, resource: str, action: str, obj: Record, before: Record | None) -> None:
        """Queue a webhook event (sent once the call has succeeded): ``(resource, action)`` as in EVENT_TYPES."""
        self.events.append((resource, action, obj, before))

    def sees(self, customer_id: str | None) -> bool:
        """Whether a record owned by ``customer_id`` exists for the caller (a storefront sees its own only)."""
        return not self.principal.storefront or customer_id == self.principal.customer

    def own(self, record: Record | None, customer_id: str | None) -> Record:
        """``record`` when the caller may see it; 404 otherwise, as for a record that does not exist."""
        if record is None or not self.sees(customer_id):
            not_found()
        return record

    def acting_for(self, customer_id: str | None) -> None:
        """A storefront may create records for its own customer only."""
        if customer_id is not None and not self.sees(customer_id):
            raise refuse()

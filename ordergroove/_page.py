"""A page of a list, without I/O: its decoder, and the check of its ``next`` link before it is followed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit

import attrs

from ._call import PAGER_PARAMS, URL_LIMIT, Call, Decoding
from ._html import listing
from .errors import ResponseDecodeError

T = TypeVar("T")
_SHOWN = 10  # records listed by a page's HTML view (the rest are counted)
_DEFAULT_PORTS = {"http": 80, "https": 443}


@attrs.frozen
class Page(Generic[T]):
    """One page of a list: its items and the link to the next page (None on the last); a GraphQL connection's
    page has the cursor to continue after instead (``after``). ``count``: the number of records of the whole list,
    when the page says (Ordergroove's page-number pages do, its cursor pages do not). ``url``: the URL it was read
    from, as sent, without a base URL's user and password (None for a page built in code)."""

    items: list[T]
    next_url: str | None
    after: str | None = None
    count: int | None = None
    url: str | None = attrs.field(default=None, eq=False, repr=False)

    def _repr_html_(self) -> str:
        shown = [repr(item) for item in self.items[:_SHOWN]]
        rest = len(self.items) - len(shown)
        more = f"and {rest} more; " if rest else ""
        more += "a next page follows" if self.next_url or self.after else "the last page"
        return listing(f"Page of {len(self.items)} records", shown, more=more)


def next_call(call: Call[Page[T]], page: Page[T]) -> Call[Page[T]] | None:
    """The call for the page after ``page``: its ``next`` link followed, or a GraphQL query continued after its
    cursor; None after the last page."""
    if page.next_url:
        return call.follow(page.next_url)
    return call.after(page.after) if page.after else None


class Trail:
    """The pages one walk through a list has asked for. A ``next`` link or a cursor that comes back (a server's
    bug, or a hostile one) would be followed forever, the same records read again and again: it is refused before
    it is followed. The first page counts too: a link back to the request that started the walk is refused as well.

    Links are compared as requests: scheme, host, port, path and the query's parameters in any order (percent-encoded
    or not), leaving out ``ignored`` (the caller's ``extra_query``, sent with every request whatever a link says).
    """

    __slots__ = ("_ignored", "_pages", "_seen")

    def __init__(self, ignored: Iterable[str] = ()) -> None:
        self._seen: set[str] = set()
        self._pages = 0
        self._ignored = frozenset(ignored)

    def next(self, call: Call[Page[T]], page: Page[T]) -> Call[Page[T]] | None:
        """:func:`next_call`, refusing a page asked for twice."""
        self._pages += 1
        if self._pages == 1:
            self._seen.update(self._first_keys(call, page))
        following = next_call(call, page)
        if following is not None:
            key = self._link_key(page.next_url) if page.next_url else f"after {page.after}"
            if key in self._seen:
                what = "'next' link" if page.next_url else "cursor (endCursor)"
                raise ResponseDecodeError(
                    f"the page's {what} leads back to a page already read (after {self._pages} pages): "
                    "the list would never end"
                )
            self._seen.add(key)
        return following

    def _first_keys(self, call: Call[Page[T]], page: Page[T]) -> list[str]:
        keys = [self._link_key(page.url)] if page.url is not None else []
        if isinstance(call.json, Mapping):  # a GraphQL query: the cursor it started after, if any
            variables = call.json.get("variables")
            if isinstance(variables, Mapping) and variables.get("after"):
                keys.append(f"after {variables['after']}")
        return keys

    def _link_key(self, url: str) -> str:
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:  # not followed anyway (check_next_url refuses it): compared as written
            return f"next {url}"
        scheme = parts.scheme.lower()
        if port == _DEFAULT_PORTS.get(scheme):
            port = None
        # surrogateescape: bytes that are not UTF-8 stay themselves (replaced, two cursors of different bytes would
        # read as one page).
        pairs = parse_qsl(parts.query, keep_blank_values=True, errors="surrogateescape")
        query = sorted(pair for pair in pairs if pair[0] not in self._ignored)
        text = urlencode(query, errors="surrogateescape")
        return f"next {scheme}://{parts.hostname or ''}:{port}{parts.path or '/'}?{text}"


def page_decoder(decode_items: Callable[[Any, Decoding], list[T]]) -> Callable[[Any, Decoding], Page[T]]:
    """A page's decoder: checks the page's shape, then ``decode_items(results, decoding)`` reads its records."""

    def decode_page(body: Any, decoding: Decoding) -> Page[T]:
        if not isinstance(body, Mapping) or "results" not in body:
            raise ResponseDecodeError("expected a page: a JSON object with a 'results' list")
        next_url = body.get("next")
        if next_url is not None and not isinstance(next_url, str):
            raise ResponseDecodeError("expected the page's 'next' to be a URL or null")
        count = body.get("count")
        # A count that is not a whole number is left out: it only ever feeds a progress display.
        known = count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None
        return Page(items=decode_items(body["results"], decoding), next_url=next_url or None, count=known)

    return decode_page


# -- the count of a list ------------------------------------------------------------------------------------------
# Ordergroove's cursor pages (X-OG-API-VERSION: 2, which every pager sends) carry no `count`; its deprecated
# page-number pages (the same list without that header) do. UNCONFIRMED beyond the pagination page of the
# reference: if page-number mode goes away or stops counting, count() answers None and nothing else changes.
COUNT_IN_PAGE_NUMBER_MODE = True


def count_call(call: Call[Page[T]]) -> Call[int | None] | None:
    """The cheapest request that tells how many records ``call``'s list holds: its first page in page-number mode,
    one record long, with the same filters. None when there is none (a GraphQL connection tells no total)."""
    if not COUNT_IN_PAGE_NUMBER_MODE or not call.paginated or call.json is not None:
        return None
    params = tuple((name, value) for name, value in call.params if name not in PAGER_PARAMS)
    # Not paginated: sent without the cursor header, so the answer is a page-number page, with `count`.
    return Call(
        call.method,
        call.path,
        decode=_decode_count,
        params=(*params, ("page_size", "1")),
        url=call.url,
        rate_group=call.rate_group,
    )


def _decode_count(body: Any, decoding: Decoding) -> int | None:
    count = body.get("count") if isinstance(body, Mapping) else None
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def origin(url: str) -> str:
    """``scheme://host/`` of ``url``: a ``next`` link starting with it is on that host."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def check_next_url(url: str, base_url: str, base_origin: str) -> None:
    """Refuse a ``next`` link that cannot be sent, or that leads away from ``base_url``'s host."""
    # A link httpx cannot send would fail as InvalidURL/UnicodeEncodeError when followed: refuse it here.
    if len(url) > URL_LIMIT:
        raise ResponseDecodeError(
            f"the page's 'next' link is not a valid URL (it is {len(url):,} characters long; "
            f"at most {URL_LIMIT:,} can be sent)"
        )
    if not url.isprintable():
        raise ResponseDecodeError("the page's 'next' link is not a valid URL (it has non-printable characters)")
    # The API key goes wherever `next` points: only ever follow it to the host we were configured with.
    if url.startswith(base_origin):  # the usual case, without parsing (same verdict as below)
        return
    expected = urlsplit(base_url)
    given = urlsplit(url)
    # The host is what matters, not a user:password@ that base_url may carry and a server's links never repeat.
    host = _host(given)
    if host is None or host != _host(expected):
        raise ResponseDecodeError(
            f"refusing to follow a 'next' link to another host ({given.scheme}://{given.hostname or ''})"
        )


def _host(parts: SplitResult) -> tuple[str, str, int | None] | None:
    """Scheme, host and port of a URL (None when its port is unreadable, which no host of ours has)."""
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.scheme.lower(), parts.hostname or "", port

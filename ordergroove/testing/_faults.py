"""Faults on demand: error statuses, delays, dropped connections and truncated bodies for chosen requests."""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from typing import Any, Literal

import attrs

from ordergroove.errors import ConfigurationError

__all__ = ["DEFAULT_KINDS", "Fault", "FaultRule", "Faults"]

Drop = Literal["before", "after"]

# The kinds ``Faults.random`` chooses from. "delay" waits ``delay`` seconds after applying the change (in
# process, longer than the read timeout: an immediate ``httpx.ReadTimeout``).
DEFAULT_KINDS: tuple[str, ...] = (
    "500",
    "502",
    "503",
    "429",
    "423",
    "delay",
    "drop-before",
    "drop-after",
    "truncate",
)

_HTML_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
# The kinds that are not a status; any other kind is a status written in ASCII digits.
_NAMED_KINDS = frozenset(kind for kind in DEFAULT_KINDS if not kind.isdigit())
_STATUS_KIND = re.compile(r"[0-9]{3}")


def _check_status(status: object) -> int:
    # A final HTTP status: no 1xx (informational, never an answer on its own) and nothing outside 100-599.
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
        raise ConfigurationError(f"a fault status must be an HTTP status from 200 to 599, got {status!r}")
    return status


def _check_delay(delay: object) -> float:
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not (math.isfinite(delay) and delay >= 0):
        raise ConfigurationError(f"a fault delay must be a finite number of seconds, zero or more, got {delay!r}")
    return float(delay)


def _compile_path(path: object) -> re.Pattern[str] | None:
    """The one rule for ``path`` in add() and random(): a regular expression, searched in the request's path."""
    if path is None:
        return None
    if not isinstance(path, str):
        raise ConfigurationError(f"a fault path must be a regular expression (a str), got {path!r}")
    try:
        return re.compile(path)
    except re.error as exc:
        # Refused now, not at the first request it would have to match; re.escape() it to match literally.
        raise ConfigurationError(f"a fault path {path!r} is not a valid regular expression: {exc.msg}") from None


def _check_method(method: object) -> str | None:
    if method is not None and (not isinstance(method, str) or not method):
        raise ConfigurationError(f"a fault method must be an HTTP method such as 'PATCH', got {method!r}")
    return method


def default_body(status: int) -> tuple[bytes, str]:
    """What Ordergroove (or the load balancer in front of it) answers with for an injected status."""
    if status in (502, 503, 504):
        page = _HTML_PAGE.format(status=status, reason=_REASONS[status])
        return page.encode(), "text/html"
    payload: dict[str, Any]
    if status == 423:
        payload = {"details": "Resource is currently in use. Please try again shortly."}
    elif status == 429:
        payload = {"detail": "Request was throttled."}
    elif status >= 500:
        payload = {"detail": "A server error occurred."}
    else:
        payload = {"detail": "Injected fault."}
    return json.dumps(payload).encode(), "application/json"


@attrs.frozen
class Fault:
    """One fault, as applied to one request."""

    status: int | None = None
    retry_after: str | None = None
    body: bytes | None = None
    content_type: str | None = None
    delay: float | None = None
    drop: Drop | None = None
    truncate: bool = False

    @property
    def kind(self) -> str:
        """A short name: the status, ``drop-before``, ``drop-after``, ``delay`` or ``truncate``."""
        if self.drop is not None:
            return f"drop-{self.drop}"
        if self.status is not None:
            return str(self.status)
        if self.truncate:
            return "truncate"
        return "delay"


@attrs.define
class FaultRule:
    """A fault waiting for its next ``remaining`` matching requests (``None``: every one)."""

    fault: Fault
    remaining: int | None
    method: str | None
    path: str | None
    _pattern: re.Pattern[str] | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        self._pattern = _compile_path(self.path)

    def matches(self, method: str, path: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self._pattern is None or self._pattern.search(path) is not None


def _as_bytes(body: bytes | str | Any) -> tuple[bytes, str]:
    if isinstance(body, bytes):
        return body, "application/octet-stream"
    if isinstance(body, str):
        return body.encode(), "text/html" if body.lstrip().startswith("<") else "text/plain"
    return json.dumps(body).encode(), "application/json"


class Faults:
    """The faults the emulator will inject. Explicit faults first (in the order added), then random ones."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self._random: tuple[float, tuple[str, ...], random.Random, float, str | None, re.Pattern[str] | None] | None = (
            None
        )

    def add(
        self,
        status: int | None = None,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | str | None = None,
        body: bytes | str | Any = None,
        delay: float | None = None,
        drop: Drop | None = None,
        truncate: bool = False,
    ) -> FaultRule:
        """Inject a fault into the next ``times`` requests matching ``method`` and ``path``.

        ``status``: answer with it instead of acting (a default body per status: HTML for 502/503/504,
        ``{"details": ...}`` for 423); ``retry_after``: the ``Retry-After`` header; ``body``: bytes, text or
        JSON-able value replacing the default; ``delay``: seconds to wait after acting and before answering;
        ``drop``: close the connection ``"before"`` or ``"after"`` the change is applied; ``truncate``: act,
        then send only part of the body announced by ``Content-Length``. ``times=None``: every match.

        ``path`` is a regular expression searched in the request's path, so a plain substring such as
        ``"/orders/"`` works too (``re.escape()`` one that holds ``(``, ``[``, ``?``...). Every argument is
        checked here: a bad one (an invalid pattern, a status outside 200-599...) raises
        :class:`~ordergroove.errors.ConfigurationError`, a ``ValueError``, naming it.
        """
        if drop not in (None, "before", "after"):
            raise ConfigurationError(f'drop must be "before", "after" or None, got {drop!r}')
        if status is None and delay is None and drop is None and not truncate:
            raise ConfigurationError("a fault needs a status, a delay, a drop or truncate=True")
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
            raise ConfigurationError(f"times must be at least 1 (or None for every matching request), got {times!r}")
        if status is not None:
            _check_status(status)
        if delay is not None:
            _check_delay(delay)
        _check_method(method)
        _compile_path(path)
        content: bytes | None = None
        content_type: str | None = None
        if status is not None:
            content, content_type = default_body(status) if body is None else _as_bytes(body)
        fault = Fault(
            status=status,
            retry_after=None if retry_after is None else str(retry_after),
            body=content,
            content_type=content_type,
            delay=delay,
            drop=drop,
            truncate=truncate,
        )
        rule = FaultRule(fault=fault, remaining=times, method=method, path=path)
        self.rules.append(rule)
        return rule

    def random(
        self,
        rate: float = 0.2,
        kinds: Sequence[str] = DEFAULT_KINDS,
        seed: int | None = None,
        *,
        delay: float = 60.0,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """From now on, each matching request (with no explicit fault) gets a fault with probability ``rate``.

        ``kinds`` from :data:`DEFAULT_KINDS`, or any status from 200 to 599 as text (``"504"``), ``delay``,
        ``drop-before``, ``drop-after``, ``truncate``; ``seed`` makes the sequence of faults repeatable. ``path``
        is a regular expression, as for :meth:`add`. Every argument is checked here, before anything changes:
        a bad one raises :class:`~ordergroove.errors.ConfigurationError` naming it.
        """
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0.0 <= rate <= 1.0:
            raise ConfigurationError(f"rate must be a number between 0 and 1, got {rate!r}")
        if isinstance(kinds, str) or not kinds:
            raise ConfigurationError(f"kinds must be a non-empty list of fault kinds, got {kinds!r}")
        unknown = [kind for kind in kinds if not _known_kind(kind)]
        if unknown:
            raise ConfigurationError(
                f"unknown fault kinds: {', '.join(map(repr, unknown))} (expected a status from 200 to 599 as text, "
                f"or one of {', '.join(sorted(_NAMED_KINDS))})"
            )
        pattern = _compile_path(path)
        self._random = (rate, tuple(kinds), random.Random(seed), _check_delay(delay), _check_method(method), pattern)

    def clear(self) -> None:
        """Forget every fault, explicit and random."""
        self.rules.clear()
        self._random = None

    @property
    def pending(self) -> list[FaultRule]:
        """The explicit faults that have not been used up."""
        return [rule for rule in self.rules if rule.remaining is None or rule.remaining > 0]

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if any (an explicit fault is used up by it)."""
        for rule in self.rules:
            if rule.matches(method, path):
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule.fault
        if self._random is not None:
            rate, kinds, rng, delay, want_method, want_path = self._random
            if want_method is not None and want_method.upper() != method.upper():
                return None
            if want_path is not None and want_path.search(path) is None:
                return None
            if rng.random() < rate:
                return _random_fault(rng.choice(kinds), delay)
        return None


def _known_kind(kind: object) -> bool:
    if not isinstance(kind, str):
        return False
    return kind in _NAMED_KINDS or (_STATUS_KIND.fullmatch(kind) is not None and 200 <= int(kind) <= 599)


def _random_fault(kind: str, delay: float) -> Fault:
    if kind not in _NAMED_KINDS:  # a status: checked by _known_kind when the kinds were given
        status = int(kind)
        body, content_type = default_body(status)
        # No Retry-After: a soak must not sleep whole seconds per throttled request.
        return Fault(status=status, body=body, content_type=content_type)
    if kind == "delay":
        return Fault(delay=delay)
    if kind == "truncate":
        return Fault(truncate=True)
    return Fault(drop="before" if kind == "drop-before" else "after")

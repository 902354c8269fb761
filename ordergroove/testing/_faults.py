"""Faults on demand: error statuses, delays, dropped connections and truncated bodies for chosen requests."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from typing import Any, Literal

import attrs

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
        if self.path is not None:
            try:
                self._pattern = re.compile(self.path)
            except re.error:
                self._pattern = re.compile(re.escape(self.path))

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
        self._random: tuple[float, tuple[str, ...], random.Random, float, str | None, str | None] | None = None

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
        """Inject a fault into the next ``times`` requests matching ``method`` and ``path`` (a regex or substring).

        ``status``: answer with it instead of acting (a default body per status: HTML for 502/503/504,
        ``{"details": ...}`` for 423); ``retry_after``: the ``Retry-After`` header; ``body``: bytes, text or
        JSON-able value replacing the default; ``delay``: seconds to wait after acting and before answering;
        ``drop``: close the connection ``"before"`` or ``"after"`` the change is applied; ``truncate``: act,
        then send only part of the body announced by ``Content-Length``. ``times=None``: every match.
        """
        if drop not in (None, "before", "after"):
            raise ValueError('drop must be "before", "after" or None')
        if status is None and delay is None and drop is None and not truncate:
            raise ValueError("a fault needs a status, a delay, a drop or truncate=True")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every matching request)")
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

        ``kinds`` from :data:`DEFAULT_KINDS` (a status as text, ``delay``, ``drop-before``, ``drop-after``,
        ``truncate``); ``seed`` makes the sequence of faults repeatable.
        """
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        unknown = [k for k in kinds if k not in DEFAULT_KINDS and not k.isdigit()]
        if unknown or not kinds:
            raise ValueError(f"unknown fault kinds: {unknown}")
        self._random = (rate, tuple(kinds), random.Random(seed), delay, method, path)

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
            if want_path is not None and re.search(want_path, path) is None:
                return None
            if rng.random() < rate:
                return _random_fault(rng.choice(kinds), delay)
        return None


def _random_fault(kind: str, delay: float) -> Fault:
    if kind.isdigit():
        status = int(kind)
        body, content_type = default_body(status)
        # No Retry-After: a soak must not sleep whole seconds per throttled request.
        return Fault(status=status, body=body, content_type=content_type)
    if kind == "delay":
        return Fault(delay=delay)
    if kind == "truncate":
        return Fault(truncate=True)
    return Fault(drop="before" if kind == "drop-before" else "after")

"""What the emulator remembers of each request it received."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = ["Headers", "RecordedRequest"]


class Headers(Mapping[str, str]):
    """Request headers, looked up case-insensitively; repeated headers are joined with ``", "``.

    The repr names the headers but never shows a value (an API key or a signature may be among them).
    """

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        merged: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            key = name.lower()
            if key in merged:
                merged[key] = (merged[key][0], f"{merged[key][1]}, {value}")
            else:
                merged[key] = (name, value)
        self._items = merged

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __repr__(self) -> str:
        return f"Headers({sorted(self._items)!r})"


def _freeze_params(params: Mapping[str, list[str]]) -> Mapping[str, list[str]]:
    return MappingProxyType({key: list(values) for key, values in params.items()})


@attrs.frozen
class RecordedRequest:
    """One request as the emulator received it, and what came of it.

    ``params`` maps each query parameter to its values (``{"live": ["true"]}``); ``headers`` is
    case-insensitive; ``json`` is the parsed body (``None`` when empty or not JSON). ``status`` is the status
    the emulator answered with (``None`` when the connection was dropped before an answer); ``applied`` is
    true when the request changed the state; ``fault`` names the injected fault, if any; ``endpoint`` is the
    reference's id of the endpoint the request reached (``"subscriptions.cancel"``), None when no route matched.
    """

    method: str
    path: str
    params: Mapping[str, list[str]] = attrs.field(converter=_freeze_params)
    headers: Headers = attrs.field(repr=False)
    json: Any
    body: bytes = attrs.field(repr=False)
    status: int | None
    applied: bool
    fault: str | None = None
    endpoint: str | None = None

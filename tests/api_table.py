"""docs/api.md's table of the 86 endpoints, read by the tests that hold the library and the emulator to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

TABLE = Path(__file__).parent.parent / "docs" / "api.md"
ROW = re.compile(
    r"^\| (GET|POST|PATCH|PUT|DELETE) \| ([a-z-]+) \| `([^`]+)` \| `client\.([a-z_.]+)` \| ([^|]+) \| "
    r"(yes|no|conditional)(?: \(see above\))? \|$"
)


def rows() -> list[tuple[str, str, str, str, str, str]]:
    """(method, host, path, SDK call without ``client.``, returns, "yes"/"no"/"conditional") for each row of the
    table ("conditional (see above)": retry-safe or not depending on the arguments, as the intro says)."""
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        matched = ROW.match(line)
        if matched:
            method, host, path, call, returns, safe = matched.groups()
            found.append((method, host, path, call, returns.strip(), safe))
    return found


def retry_rule(call: str) -> Literal["yes", "no", "conditional"]:
    """The table's retry-safe column for ``call`` ("subscriptions.change_payment")."""
    answers = [safe for *_, name, _, safe in rows() if name == call]
    assert len(answers) == 1, f"{call} is not once in docs/api.md"
    answer = answers[0]
    assert answer in ("yes", "no", "conditional")
    return answer  # type: ignore[return-value]


def retry_safe(call: str, *, if_conditional: bool | None = None) -> bool:
    """Whether the table says ``call`` is re-sent after an ambiguous failure. A "conditional" call needs
    ``if_conditional``: whether the case under test is one the intro calls retry-safe."""
    answer = retry_rule(call)
    if answer == "conditional":
        assert if_conditional is not None, f"{call} is conditional in docs/api.md: say which case is tested"
        return if_conditional
    return answer == "yes"

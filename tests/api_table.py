"""docs/api.md's table of the 86 endpoints, read by the tests that hold the library and the emulator to it."""

from __future__ import annotations

import re
from pathlib import Path

TABLE = Path(__file__).parent.parent / "docs" / "api.md"
ROW = re.compile(
    r"^\| (GET|POST|PATCH|PUT|DELETE) \| ([a-z-]+) \| `([^`]+)` \| `client\.([a-z_.]+)` \| ([^|]+) \| (yes|no) \|$"
)


def rows() -> list[tuple[str, str, str, str, str, str]]:
    """(method, host, path, SDK call without ``client.``, returns, "yes"/"no") for each row of the table."""
    found = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        matched = ROW.match(line)
        if matched:
            method, host, path, call, returns, safe = matched.groups()
            found.append((method, host, path, call, returns.strip(), safe))
    return found


def retry_safe(call: str) -> bool:
    """The table's retry-safe column for ``call`` ("subscriptions.change_payment")."""
    answers = [safe for *_, name, _, safe in rows() if name == call]
    assert len(answers) == 1, f"{call} is not once in docs/api.md"
    return answers[0] == "yes"

"""The 2,000-call soak runs only when asked for with ``-m soak``.

Selection, not skipping: without a marker expression naming ``soak``, the items marked ``soak`` are deselected
(reported as deselected, like ``-m "not soak"``). The default run still soaks, with the 300-call version.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "soak" in (config.option.markexpr or ""):
        return
    deselected = [item for item in items if item.get_closest_marker("soak") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if item.get_closest_marker("soak") is None]

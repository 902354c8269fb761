"""Progress of a long read (``to_list``, ``to_dataframe``, ``export``): a bar in a notebook, on request elsewhere.

``progress=None`` (the default) shows tqdm's bar when the code runs in a Jupyter notebook and tqdm is installed,
and nothing otherwise; ``True`` shows a bar wherever it runs (tqdm's, notebook or terminal, where tqdm is
installed; else a line on stderr rewritten in place); ``False`` never shows one. tqdm is optional (the
``notebook`` extra): nothing requires it.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from .errors import ConfigurationError

__all__ = ["ProgressBar", "check_progress", "in_notebook", "progress_bar"]


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (IPython in a terminal is not: its output is a plain terminal)."""
    ipython = sys.modules.get("IPython")  # never imported here: a notebook has always loaded it already
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _has_tqdm() -> bool:
    try:
        import tqdm.auto  # noqa: F401 (asked only in a notebook, where the bar is about to be made anyway)
    except ImportError:
        return False
    return True


def check_progress(progress: object) -> None:
    if progress is not None and not isinstance(progress, bool):
        raise ConfigurationError(f"progress must be True, False or None (in a notebook), got {progress!r}")


class ProgressBar:
    """Records counted as pages arrive: tqdm's bar (``tqdm.auto``: the notebook widget in a notebook), or a line
    on stderr where tqdm is not installed."""

    def __init__(self, description: str, total: int | None = None) -> None:
        self.description = description
        self.count = 0
        self._started = time.monotonic()
        self._bar: Any = None
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self._bar = tqdm(total=total, desc=description, unit=" records", leave=True)

    def update(self, records: int, total: int | None = None) -> None:
        self.count += records
        if self._bar is not None:
            if total is not None and self._bar.total != total:
                self._bar.total = total
            self._bar.update(records)
            return
        elapsed = time.monotonic() - self._started
        rate = f", {self.count / elapsed:,.0f} records/s" if elapsed > 0 else ""
        of = f" of {total:,}" if total is not None else ""
        sys.stderr.write(f"\r{self.description}: {self.count:,}{of} records{rate}")
        sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        else:
            sys.stderr.write("\n")
            sys.stderr.flush()


def progress_bar(progress: bool | None, description: str) -> ProgressBar | None:
    """The bar that ``progress`` asks for (None: none to show)."""
    check_progress(progress)
    if progress is False or (progress is None and not (in_notebook() and _has_tqdm())):
        return None
    return ProgressBar(description)

"""Small HTML tables for notebooks (``_repr_html_``): every value escaped, so a record's text is never markup."""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["listing", "table"]


def table(caption: str, rows: Iterable[tuple[str, str]], *, css: str = "ordergroove", extra: str = "") -> str:
    """A two-column table: ``caption`` and the names and values, escaped here (``extra``: trusted HTML after it,
    such as a nested model's own table)."""
    parts = [f'<table class="{html.escape(css)}"><caption style="text-align:left">{html.escape(caption)}</caption>']
    parts.extend(
        f"<tr><th style='text-align:left'>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>"
        for name, value in rows
    )
    parts.append("</table>")
    return "".join(parts) + extra


def listing(caption: str, lines: Iterable[str], *, more: str = "") -> str:
    """A caption over one line per record (each escaped), and a last line saying what is not shown."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    tail = f"<p>{html.escape(more)}</p>" if more else ""
    return f"<div class='ordergroove'><b>{html.escape(caption)}</b><ol>{items}</ol>{tail}</div>"

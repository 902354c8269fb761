"""The docs' pages as the docs tests read and run them: their fenced blocks (the python ones for tests/test_docs.py,
the bash ones for tests/test_docs_bash.py), and the runner of a page's python blocks in a fresh process
(``python tests/docs_pages.py PAGE.md``, which tests/test_docs.py starts for each page).

The runner runs a page's blocks top to bottom in one namespace, as a reader pastes them one after the other into
``python`` or a notebook's cells: a block may use what an earlier one defined, and a block with top-level ``await``
runs on the page's one event loop (as in a notebook or ``python -m asyncio``). It imports nothing a sample could
lean on: a sample names its own imports. A failure prints ``the sample at PAGE:LINE failed: ...`` and the
traceback, whose lines are the page's own, and exits 1.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import sys
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
NOT_RUN = re.compile(r"<!--\s*not-run\b")
FRAGMENT = re.compile(r"""\btitle\s*=\s*["']fragment["']""")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the first code line, 1-based
    code: str
    runs: bool

    @property
    def where(self) -> str:
        return f"{shown(self.path)}:{self.line}"


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def doc_pages() -> list[Path]:
    """README.md and every page of docs/: the pages a reader reads."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path for path in found if path.is_file()]


@dataclass(frozen=True)
class Fenced:
    """A fenced block of a Markdown file, as written: what the docs tests of each language read from a page."""

    line: int  # of the first code line, 1-based
    language: str  # lower case, "" for none
    info: str  # the opening fence's text after the backticks (language, title=...)
    code: str  # dedented by the fence's own indentation
    before: str  # the last non-blank line before the fence (where a not-run mark stands)


def fenced_blocks(path: Path) -> list[Fenced]:
    """The fenced blocks of a Markdown file, in order (``` or ~~~ fences, indented ones in a list item too)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Fenced] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"].strip()
        end = index + 1
        while end < len(lines):
            closing = FENCE.match(lines[end])
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            end += 1
        language = info.split(maxsplit=1)[0].lstrip(".{").lower() if info else ""
        body = [line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines[index + 1 : end]]
        before = next((line for line in reversed(lines[:index]) if line.strip()), "")
        blocks.append(Fenced(index + 2, language, info, "\n".join(body) + "\n", before))
        index = end + 1
    return blocks


def extract_blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file whose language is python (or py)."""
    return [
        Block(path, block.line, block.code, not FRAGMENT.search(block.info) and not NOT_RUN.search(block.before))
        for block in fenced_blocks(path)
        if block.language in ("python", "py")
    ]


def module_source(blocks: Sequence[Block]) -> str:
    """The blocks as one module, each at its own line of the page (so that tracebacks point at the page)."""
    lines: list[str] = []
    for block in blocks:
        lines.extend([""] * (block.line - 1 - len(lines)))
        lines.extend(block.code.splitlines())
    return "\n".join(lines) + "\n"


def defined_tests(blocks: Sequence[Block]) -> list[str]:
    """The names of the test functions the blocks define at their top level (``def test_...``)."""
    names: list[str] = []
    for block in blocks:
        try:
            tree = ast.parse(block.code)
        except SyntaxError:
            continue  # the runner reports it with the page's line
        names.extend(
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
        )
    return names


def run_page(blocks: Sequence[Block]) -> None:
    """Run the blocks in order, in one namespace and on one event loop; AssertionError names a failing block."""
    namespace: dict[str, object] = {"__name__": "__main__"}
    loop = asyncio.new_event_loop()
    try:
        for block in blocks:
            # Padding keeps line numbers: a traceback points at the Markdown file's own line.
            source = "\n" * (block.line - 1) + block.code
            try:
                code = compile(source, str(block.path), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
                result = eval(code, namespace)
                if inspect.iscoroutine(result):
                    loop.run_until_complete(result)
            except Exception as exc:
                raise AssertionError(f"the sample at {block.where} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        _close_clients(namespace, loop)
        loop.close()


def _close_clients(namespace: dict[str, object], loop: asyncio.AbstractEventLoop) -> None:
    # A sample may leave a client open for the reader to keep using; closing it keeps the output to the samples'.
    import ordergroove as og

    for value in list(namespace.values()):
        if isinstance(value, og.Ordergroove):
            value.close()
        elif isinstance(value, og.AsyncOrdergroove):
            loop.run_until_complete(value.aclose())


def main(argv: Sequence[str]) -> int:
    (page,) = argv
    blocks = [block for block in extract_blocks(Path(page).resolve()) if block.runs]
    try:
        run_page(blocks)
    except AssertionError as exc:
        print(exc, file=sys.stderr)
        traceback.print_exception(exc.__cause__ or exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Every ```python block of README.md and docs/ runs, against the emulator served on 127.0.0.1.

The blocks of one page run in order in one namespace (a page reads top to bottom, so a later block may use what
an earlier one defined), against a fresh ``FakeOrdergroove.demo()`` served over a real socket, with
``ORDERGROOVE_BASE_URL`` pointing at it, ``ORDERGROOVE_API_KEY=test-key`` and ``ORDERGROOVE_WEBHOOK_KEY``
set: ``og.Ordergroove()`` in a sample
talks to the emulator, and the demo ids (``cust_0001``...) resolve. A block may use top-level ``await``, as in a
notebook or ``python -m asyncio``. The working directory is a temporary one, so files a sample writes vanish.

A block that cannot run on its own (a shell session, a fragment of a larger program, a server that runs forever)
is marked so explicitly, and the marks are few: ```python title="fragment" (the title shows on the page), or an
HTML comment ``<!-- not-run: why -->`` on the line before the fence.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
import traceback
import types
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import ordergroove as og
from ordergroove.testing import FakeOrdergroove, serve

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
NOT_RUN = re.compile(r"<!--\s*not-run\b")
FRAGMENT = re.compile(r"""\btitle\s*=\s*["']fragment["']""")


@attrs.frozen
class Block:
    path: Path
    line: int  # of the first code line, 1-based
    code: str
    runs: bool

    @property
    def where(self) -> str:
        shown = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path.name
        return f"{shown}:{self.line}"


def extract_blocks(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file whose language is python (or py)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
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
        if language in ("python", "py"):
            body = [
                line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines[index + 1 : end]
            ]
            before = next((line for line in reversed(lines[:index]) if line.strip()), "")
            runs = not FRAGMENT.search(info) and not NOT_RUN.search(before)
            blocks.append(Block(path, index + 2, "\n".join(body) + "\n", runs))
        index = end + 1
    return blocks


def pages() -> list[Path]:
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path for path in found if path.is_file()]


def _run_page(blocks: list[Block]) -> None:
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
    # A sample may leave a client open for the reader to keep using; the test closes what it left.
    for value in list(namespace.values()):
        if isinstance(value, og.Ordergroove):
            value.close()
        elif isinstance(value, og.AsyncOrdergroove):
            loop.run_until_complete(value.aclose())


@pytest.fixture
def served_emulator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A fresh demo emulator on 127.0.0.1, and the environment that points ``og.Ordergroove()`` at it."""
    fake = FakeOrdergroove.demo()
    with serve(fake) as base_url:
        monkeypatch.setenv("ORDERGROOVE_BASE_URL", base_url)
        monkeypatch.setenv("ORDERGROOVE_API_KEY", fake.api_key)
        monkeypatch.setenv("ORDERGROOVE_WEBHOOK_KEY", "whsec-test")  # the receiver samples read it from there
        monkeypatch.delenv("ORDERGROOVE_ENVIRONMENT", raising=False)
        monkeypatch.chdir(tmp_path)
        yield base_url


PAGES = pages()


@pytest.mark.parametrize("path", PAGES, ids=[str(path.relative_to(ROOT)) for path in PAGES])
def test_every_python_sample_of_the_page_runs(path: Path, served_emulator: str) -> None:
    blocks = [block for block in extract_blocks(path) if block.runs]
    # A page without python blocks passes: there is nothing on it that could go stale.
    _run_page(blocks)


def test_the_pages_have_samples_and_few_are_not_run() -> None:
    blocks = [block for path in PAGES for block in extract_blocks(path)]
    skipped = [block.where for block in blocks if not block.runs]
    assert len(blocks) > 20
    assert len(skipped) <= len(blocks) // 5, f"too many samples are marked not-run: {skipped}"


def test_the_extractor_reads_fences_marks_and_indentation(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# t\n"
        "```python\n"
        "x = 1\n"
        "```\n"
        "```bash\n"
        "echo no\n"
        "```\n"
        '```python title="fragment"\n'
        "client.fragment()\n"
        "```\n"
        "<!-- not-run: starts a server -->\n"
        "\n"
        "```py\n"
        "serve_forever()\n"
        "```\n"
        "- a list item:\n"
        "    ```python\n"
        "    if x:\n"
        "        y = 2\n"
        "    ```\n",
        encoding="utf-8",
    )
    blocks = extract_blocks(page)
    assert [(b.line, b.code, b.runs) for b in blocks] == [
        (3, "x = 1\n", True),
        (9, "client.fragment()\n", False),
        (14, "serve_forever()\n", False),
        (18, "if x:\n    y = 2\n", True),
    ]


def test_a_failing_sample_names_its_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "broken.md"
    page.write_text("text\n\n```python\nx = 1\nraise ValueError('stale sample')\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"broken\.md:4 failed: ValueError: stale sample") as caught:
        _run_page([attrs.evolve(block, path=ROOT / "docs" / "broken.md") for block in extract_blocks(page)])
    assert caught.value.__cause__ is not None
    assert caught.value.__cause__.__traceback__ is not None
    frames = [frame.f_code.co_filename for frame, _ in _walk(caught.value.__cause__.__traceback__)]
    assert str(ROOT / "docs" / "broken.md") in frames


def test_top_level_await_runs_on_one_loop_per_page(tmp_path: Path) -> None:
    page = tmp_path / "async.md"
    page.write_text(
        "```python\nimport asyncio\nawait asyncio.sleep(0)\nloop = asyncio.get_running_loop()\n```\n"
        "```python\nawait asyncio.sleep(0)\nassert asyncio.get_running_loop() is loop\n```\n",
        encoding="utf-8",
    )
    _run_page(extract_blocks(page))


def _walk(tb: object) -> Iterator[tuple[types.FrameType, int]]:
    assert isinstance(tb, types.TracebackType)
    yield from traceback.walk_tb(tb)

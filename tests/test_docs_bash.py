"""Every ```bash block of README.md and docs/ runs, exactly as typed, in a shell, against the emulator.

The blocks of one page run in order, each as one ``bash -e -o pipefail`` script, in one temporary working
directory (a later block may use a file an earlier one wrote), against a fresh ``FakeOrdergroove.demo()`` served
on 127.0.0.1: ``ORDERGROOVE_BASE_URL`` points at it and ``ORDERGROOVE_API_KEY`` holds its key, as the docs tell a
reader to set them; ``ordergroove`` is this environment's console script. A block passes when it exits 0 with no
traceback on stderr.

A block that cannot run here (one that installs packages, starts a server that runs until stopped, or needs an
SFTP server) is marked so explicitly, as the python blocks are: an HTML comment ``<!-- not-run: why -->`` on the
line before the fence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from ordergroove.testing import FakeOrdergroove, serve

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
NOT_RUN = re.compile(r"<!--\s*not-run:\s*\S")
BIN = Path(sys.executable).parent


@attrs.frozen
class Block:
    path: Path
    line: int  # of the first command line, 1-based
    code: str
    runs: bool

    @property
    def where(self) -> str:
        shown = self.path.relative_to(ROOT) if self.path.is_relative_to(ROOT) else self.path.name
        return f"{shown}:{self.line}"


def extract_bash(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file whose language is bash (or sh, shell)."""
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
        if language in ("bash", "sh", "shell"):
            body = [line[len(indent) :] if line.startswith(indent) else line for line in lines[index + 1 : end]]
            before = next((line for line in reversed(lines[:index]) if line.strip()), "")
            blocks.append(Block(path, index + 2, "\n".join(body) + "\n", not NOT_RUN.search(before)))
        index = end + 1
    return blocks


def pages() -> list[Path]:
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [path for path in found if path.is_file() and extract_bash(path)]


@pytest.fixture
def environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A fresh demo emulator on 127.0.0.1 and the environment a reader sets to point the command at it."""
    fake = FakeOrdergroove.demo()
    with serve(fake) as base_url:
        env = {
            "PATH": f"{BIN}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "ORDERGROOVE_BASE_URL": base_url,
            "ORDERGROOVE_API_KEY": fake.api_key,
        }
        if "PYTHONPATH" in os.environ:  # where this test run takes the package from, the command takes it too
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        yield env


def run_block(block: Block, env: dict[str, str], cwd: Path) -> None:
    # Padding keeps line numbers: bash's own error messages point at the Markdown file's line.
    script = "\n" * (block.line - 1) + block.code
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script, block.where],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )
    said = f"\n--- stdout\n{result.stdout[-2000:]}\n--- stderr\n{result.stderr[-2000:]}"
    assert result.returncode == 0, f"the bash block at {block.where} exited {result.returncode}{said}"
    assert "Traceback" not in result.stderr, f"the bash block at {block.where} printed a traceback{said}"


PAGES = pages()


@pytest.mark.parametrize("path", PAGES, ids=[str(path.relative_to(ROOT)) for path in PAGES])
def test_every_bash_block_of_the_page_runs(path: Path, environment: dict[str, str], tmp_path: Path) -> None:
    for block in extract_bash(path):
        if block.runs:
            run_block(block, environment, tmp_path)


def test_the_command_s_pages_have_bash_blocks_that_run() -> None:
    blocks = [block for path in PAGES for block in extract_bash(path)]
    running = [block.where for block in blocks if block.runs]
    assert len(running) >= 5, running
    assert any(where.startswith("docs/cli.md") for where in running)


def test_the_extractor_reads_fences_and_marks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# t\n"
        "```bash\n"
        "ordergroove --sandbox customers list\n"
        "```\n"
        "```python\n"
        "x = 1\n"
        "```\n"
        "<!-- not-run: installs packages -->\n"
        "\n"
        "```sh\n"
        "pip install ordergroove\n"
        "```\n"
        "<!-- not-run -->\n"
        "```bash\n"
        "echo a mark without a reason does not count\n"
        "```\n",
        encoding="utf-8",
    )
    assert [(b.line, b.code, b.runs) for b in extract_bash(page)] == [
        (3, "ordergroove --sandbox customers list\n", True),
        (11, "pip install ordergroove\n", False),
        (15, "echo a mark without a reason does not count\n", True),
    ]


def test_a_failing_block_names_its_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "broken.md"
    page.write_text("text\n\n```bash\ntrue\nordergroove --sandbox subscriptions get nope\n```\n", encoding="utf-8")
    (block,) = extract_bash(page)
    env = {"PATH": f"{BIN}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(tmp_path)}
    with pytest.raises(AssertionError, match=r"broken\.md:4 exited 1") as caught:
        run_block(block, env, tmp_path)
    assert "not found (404)" in str(caught.value)

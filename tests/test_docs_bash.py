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
from pathlib import Path

import pytest
from docs_pages import ROOT, Block, doc_pages, fenced_blocks

NOT_RUN = re.compile(r"<!--\s*not-run:\s*\S")  # with a reason, unlike a python block's mark
BIN = Path(sys.executable).parent


def extract_bash(path: Path) -> list[Block]:
    """The fenced blocks of a Markdown file whose language is bash (or sh, shell)."""
    return [
        Block(path, block.line, block.code, not NOT_RUN.search(block.before))
        for block in fenced_blocks(path)
        if block.language in ("bash", "sh", "shell")
    ]


def pages() -> list[Path]:
    return [path for path in doc_pages() if extract_bash(path)]


@pytest.fixture
def environment(tmp_path: Path, served_demo: tuple[str, str]) -> dict[str, str]:
    """The environment a reader sets to point the command at a fresh demo emulator on 127.0.0.1."""
    base_url, api_key = served_demo
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "ORDERGROOVE_BASE_URL": base_url,
        "ORDERGROOVE_API_KEY": api_key,
    }
    if "PYTHONPATH" in os.environ:  # where this test run takes the package from, the command takes it too
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


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

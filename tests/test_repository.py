"""The repository is self-contained: a user's clone has nothing beside it, so nothing may read a path outside it.

A test, benchmark, example or doc that reads a folder beside the repository, or an absolute machine path, passes
only on the machine that has that folder; on a fresh clone the suite then fails at collection.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("tests", "benchmarks", "examples", "docs", "README.md", "mkdocs.yml", "pyproject.toml", ".ci")
# Built from pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        [
            re.escape(".." + "/shared"),
            r"parents\[[1-9]\]\s*/\s*[\"']" + "shared",
            r"[\"'](?:/work|/root|/home|/Users|/mnt)" + r"/[^\"']+[\"']",
        ]
    )
)


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *CHECKED], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if not listed:  # not a git checkout (an unpacked sdist): every file below the checked folders
        return [p for name in CHECKED for p in ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*"))]
    return [ROOT / name for name in listed]


def test_nothing_reads_a_path_outside_the_repository() -> None:
    offenders = []
    for path in tracked_files():
        if not path.is_file() or path.suffix in {".png", ".parquet"}:
            continue
        text = path.read_text("utf-8", errors="replace")
        offenders += [
            f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)
        ]
    assert not offenders, "paths outside the repository:\n" + "\n".join(offenders)


@pytest.mark.parametrize("name", ["ordergroove_aes.json", "gladly_request_signing.json"])
def test_the_published_vectors_are_in_the_repository_with_their_source(name: str) -> None:
    text = (ROOT / "tests" / "vectors" / name).read_text("utf-8")
    assert '"source"' in text.split("\n", 2)[1]


def test_the_pattern_catches_what_it_is_for() -> None:
    # The check above must be able to fail: each form that once broke a fresh clone is caught.
    beside = "sha" + "red"  # spelled in pieces so that no line of this file is itself an example
    for line in (
        f'Path(__file__).resolve().parents[2] / "{beside}" / "vectors"',
        f'VECTOR_PATH = Path("/{"work"}/{beside}/vectors/x.json")',
        "see ../" + f"{beside}/reference/api.md",
    ):
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('Path(__file__).resolve().parent / "vectors" / "x.json"')


# What a merge tool or an editor leaves beside the file it changed (`git mergetool`'s `.orig`, patch's `.rej`).
LEFTOVER = re.compile(r"(\.orig|\.rej|\.bak|\.swp|~)$")


def test_no_merge_or_editor_leftover_is_tracked() -> None:
    # A stale copy under docs/ is shipped with the repository and copied into the site, its figures no longer true.
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    assert [name for name in listed.split() if LEFTOVER.search(name)] == []
    assert LEFTOVER.search("docs/performance.md.orig") and not LEFTOVER.search("docs/performance.md")

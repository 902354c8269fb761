"""Every ```python block of README.md and docs/ runs as a reader runs it: the page's blocks top to bottom, in a
fresh process, with the setup the page states at its top.

The setup note (a paragraph before the page's first sample) says what the samples need. Either the emulator
served (``ordergroove fake serve``) and the environment variables that point ``og.Ordergroove()`` at it,
``ORDERGROOVE_BASE_URL`` and ``ORDERGROOVE_API_KEY`` (and any other ``ORDERGROOVE_...=value`` the note names):
the page then runs against a fresh ``FakeOrdergroove.demo()`` served on 127.0.0.1, with exactly those variables
set, so the demo ids (``cust_0001``...) resolve. Or that the samples run on their own: the page then runs with
no ``ORDERGROOVE_`` variable at all.

A page runs in a new ``python`` (tests/docs_pages.py: one namespace, a block may use what an earlier one
defined; top-level ``await`` as in a notebook or ``python -m asyncio``) in an empty temporary directory. A page
whose samples define test functions (``def test_...``) is a test module: it runs with pytest in a new process,
without this repository's pytest configuration (so pytest-asyncio is in its default strict mode, and a sample
names the configuration it needs itself), and every test it defines must pass. No sample prints a float
artefact such as ``236.01000000000002``.

A block that cannot run on its own (a shell session, a fragment of a larger program, a server that runs forever)
is marked so explicitly, and the marks are few: ```python title="fragment" (the title shows on the page), or an
HTML comment ``<!-- not-run: why -->`` on the line before the fence.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docs_pages import ROOT, Block, defined_tests, doc_pages, extract_blocks, module_source, shown

RUNNER = Path(__file__).resolve().parent / "docs_pages.py"
# The note's variables: NAME=value; the emulator's two are filled in by the test (its port is a free one).
VARIABLE = re.compile(r"\b(ORDERGROOVE_[A-Z_]+)(?:=([^\s`'\"]+))?")
EMULATOR_NOTE = ("ordergroove fake serve", "ORDERGROOVE_BASE_URL", "ORDERGROOVE_API_KEY")
ON_THEIR_OWN = "run on their own"
# 236.01000000000002, 0.30000000000000004, 12.989999999999998: binary floats printed as they are.
FLOAT_ARTEFACT = re.compile(r"\d\.\d*(?:0{6,}|9{6,})\d")
TIMEOUT = 120  # seconds: a page that hangs fails instead of stalling the suite


def setup_note(path: Path) -> str:
    """The text of the page before its first sample that runs (the setup the samples need is stated there)."""
    blocks = [block for block in extract_blocks(path) if block.runs]
    lines = path.read_text(encoding="utf-8").splitlines()
    if not blocks:
        return ""
    return "\n".join(lines[: blocks[0].line - 2])


def environment(note: str, base_url: str | None, api_key: str) -> dict[str, str]:
    """The process environment a reader of the note has: none of ours, only the variables it names."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ORDERGROOVE_")}
    env.pop("PYTHONPATH", None)
    for name, value in VARIABLE.findall(note):
        if name == "ORDERGROOVE_BASE_URL":
            assert base_url is not None
            env[name] = base_url
        elif name == "ORDERGROOVE_API_KEY":
            env[name] = api_key
        elif value:
            env[name] = value
    return env


def check_output(path: Path, result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"the samples of {shown(path)} failed (lines are the page's):\n{output[-6000:]}"
    artefacts = FLOAT_ARTEFACT.findall(result.stdout)
    assert not artefacts, f"{shown(path)} prints binary float artefacts {artefacts}:\n{result.stdout[-3000:]}"


def run_script(path: Path, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # -I: the samples see the installed library only, not this repository's tests/ nor PYTHONPATH.
    command = [sys.executable, "-I", str(RUNNER), str(path)]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def run_tests(path: Path, blocks: list[Block], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The page as a test module, run by pytest as a user's project without configuration would run it."""
    module = cwd / f"test_{path.stem.replace('-', '_')}_page.py"
    module.write_text(module_source(blocks), encoding="utf-8")
    (cwd / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # this directory is the project's root
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", module.name]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False)


PAGES = doc_pages()


@pytest.mark.parametrize("path", PAGES, ids=[str(path.relative_to(ROOT)) for path in PAGES])
def test_every_python_sample_of_the_page_runs(path: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    blocks = [block for block in extract_blocks(path) if block.runs]
    if not blocks:
        return  # a page without python samples: nothing on it can go stale
    note = setup_note(path)
    base_url, api_key = None, ""
    if all(part in note for part in EMULATOR_NOTE):
        base_url, api_key = request.getfixturevalue("served_demo")
    env = environment(note, base_url, api_key)
    tests = defined_tests(blocks)
    if not tests:
        check_output(path, run_script(path, env, tmp_path))
        return
    result = run_tests(path, blocks, env, tmp_path)
    check_output(path, result)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert re.match(rf"^{len(tests)} passed\b", summary), (
        f"{shown(path)} defines {len(tests)} tests ({', '.join(tests)}); pytest said: {summary!r}\n{result.stdout}"
    )


@pytest.mark.parametrize("path", PAGES, ids=[str(path.relative_to(ROOT)) for path in PAGES])
def test_every_page_states_the_setup_its_samples_need(path: Path) -> None:
    if not any(block.runs for block in extract_blocks(path)):
        return
    note = setup_note(path)
    emulator = all(part in note for part in EMULATOR_NOTE)
    assert emulator or ON_THEIR_OWN in note, (
        f"{shown(path)}: before its first sample, say what the samples need: the emulator served "
        f"({', '.join(EMULATOR_NOTE)}), or that they {ON_THEIR_OWN}"
    )


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


def _page(tmp_path: Path, name: str, text: str) -> Path:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return page


def test_a_failing_sample_names_its_file_and_line(tmp_path: Path) -> None:
    page = _page(tmp_path, "broken.md", "text\n\n```python\nx = 1\nraise ValueError('stale sample')\n```\n")
    result = run_script(page, environment("", None, ""), tmp_path)
    assert result.returncode == 1
    assert "broken.md:4 failed: ValueError: stale sample" in result.stderr
    assert f'File "{page}", line 5' in result.stderr  # the traceback points at the page's own line


def test_top_level_await_runs_on_one_loop_per_page(tmp_path: Path) -> None:
    page = _page(
        tmp_path,
        "async.md",
        "```python\nimport asyncio\nawait asyncio.sleep(0)\nloop = asyncio.get_running_loop()\n```\n"
        "```python\nawait asyncio.sleep(0)\nassert asyncio.get_running_loop() is loop\n```\n",
    )
    check_output(page, run_script(page, environment("", None, ""), tmp_path))


def test_a_page_runs_in_a_fresh_process_with_only_the_variables_its_note_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGROOVE_API_KEY", "from-the-test-process")
    monkeypatch.setenv("ORDERGROOVE_WEBHOOK_KEY", "from-the-test-process")
    check = (
        "```python\nimport os, sys\n"
        "assert 'pytest' not in sys.modules and 'og' not in dir()  # nothing of the test process\n"
        "print(sorted((k, v) for k, v in os.environ.items() if k.startswith('ORDERGROOVE_')))\n```\n"
    )
    alone = _page(tmp_path, "alone.md", f"The samples {ON_THEIR_OWN}.\n\n{check}")
    result = run_script(alone, environment(setup_note(alone), None, ""), tmp_path)
    check_output(alone, result)
    assert result.stdout.strip() == "[]"

    note = "Serve it with `ordergroove fake serve`; set ORDERGROOVE_BASE_URL, ORDERGROOVE_API_KEY and\n"
    note += "`ORDERGROOVE_WEBHOOK_KEY=whsec-test`.\n\n"
    served = _page(tmp_path, "served.md", note + check)
    result = run_script(served, environment(setup_note(served), "http://127.0.0.1:1", "test-key"), tmp_path)
    check_output(served, result)
    assert result.stdout.strip() == str(
        [
            ("ORDERGROOVE_API_KEY", "test-key"),
            ("ORDERGROOVE_BASE_URL", "http://127.0.0.1:1"),
            ("ORDERGROOVE_WEBHOOK_KEY", "whsec-test"),
        ]
    )


def test_a_page_of_tests_runs_with_pytest_and_its_own_configuration(tmp_path: Path) -> None:
    # The page's own tests are trivial on purpose (`assert True`): what is checked is the harness, that it runs a
    # page of tests with pytest (2 passed) and that the asyncio mark is needed without our configuration.
    text = (
        "```python\nimport pytest\n\n\ndef test_sync():\n    assert True\n\n\n"
        "@pytest.mark.asyncio\nasync def test_async():\n    import asyncio\n    await asyncio.sleep(0)\n```\n"
    )
    page = _page(tmp_path, "tests.md", text)
    blocks = extract_blocks(page)
    assert defined_tests(blocks) == ["test_sync", "test_async"]
    result = run_tests(page, blocks, environment("", None, ""), tmp_path)
    check_output(page, result)
    assert result.stdout.strip().splitlines()[-1].startswith("2 passed")

    # Without the mark, strict pytest-asyncio (no configuration) does not run the async test: it cannot pass.
    other = tmp_path / "unmarked"
    other.mkdir()
    unmarked = _page(other, "unmarked.md", text.replace("@pytest.mark.asyncio\n", ""))
    result = run_tests(unmarked, extract_blocks(unmarked), environment("", None, ""), other)
    assert not (result.returncode == 0 and result.stdout.strip().splitlines()[-1].startswith("2 passed"))


def test_a_float_artefact_in_the_output_fails_the_page(tmp_path: Path) -> None:
    page = _page(tmp_path, "floats.md", "```python\nprint(sum([0.1, 0.2]))\nprint(round(236.01, 2))\n```\n")
    result = run_script(page, environment("", None, ""), tmp_path)
    with pytest.raises(AssertionError, match=r"float artefacts \['0.30000000000000004'\]"):
        check_output(page, result)

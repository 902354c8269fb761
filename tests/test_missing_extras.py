"""Without an extra's package, using it says which extra to install (as ``og.crypto`` does), not a bare
``ModuleNotFoundError``. Absence is simulated in a fresh interpreter by a meta-path finder refusing the package."""

from __future__ import annotations

import subprocess
import sys

import pytest

BLOCKER = """
import sys

class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _Absent())
"""


def _run_without(package: str, code: str) -> subprocess.CompletedProcess[str]:
    program = f"BLOCKED = {package!r}\n{BLOCKER}\n{code}"
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("package", "code", "message"),
    [
        (
            "pandas",
            "from ordergroove import testing\n"
            "testing.FakeOrdergroove.demo().client().subscriptions.list().to_dataframe()",
            "to_dataframe needs pandas, which is not installed: pip install 'ordergroove[pandas]'",
        ),
        (
            "starlette",
            "import ordergroove.gladly",
            'ordergroove.gladly needs the "starlette" package: pip install "ordergroove[gladly]"',
        ),
        (
            "uvicorn",
            "from ordergroove import testing\nwith testing.serve(testing.FakeOrdergroove()):\n    pass",
            'ordergroove.testing.serve needs the "uvicorn" package: pip install "ordergroove[testing]"',
        ),
    ],
)
def test_a_missing_extra_is_named(package: str, code: str, message: str) -> None:
    done = _run_without(package, code)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].endswith(message), done.stderr[-2000:]


@pytest.mark.parametrize(
    ("package", "argv", "extra"),
    [("starlette", ["gladly", "serve"], "ordergroove[gladly]"), ("uvicorn", ["fake", "serve"], "ordergroove[cli]")],
)
def test_the_command_names_the_missing_extra(package: str, argv: list[str], extra: str) -> None:
    done = _run_without(package, f"import sys\nfrom ordergroove.cli import main\nsys.exit(main({argv!r}))")
    assert done.returncode == 1
    assert extra in done.stderr and "Traceback" not in done.stderr


def test_the_library_imports_without_any_extra() -> None:
    for package in ("pandas", "starlette", "uvicorn", "cryptography", "paramiko"):
        done = _run_without(package, "import ordergroove, ordergroove.testing, ordergroove.crypto, ordergroove.feed")
        assert done.returncode == 0, (package, done.stderr[-2000:])

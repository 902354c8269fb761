"""Servers the tests start in a process of their own, as a user starts them: one way to pick a port, to wait until
the server listens, and to stop it (Ctrl-C, as a user stops it).

The emulator served in the test process itself (``ordergroove.testing.serve``) is the ``served_demo`` fixture of
tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping

import attrs


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (for a server to take, or for a connection to be refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_listening(port: int, process: subprocess.Popen[str], deadline: float = 20.0) -> None:
    """Return once ``port`` accepts a connection; fail with the process's stderr if it exits first."""
    stop = time.monotonic() + deadline
    while time.monotonic() < stop:
        if process.poll() is not None:
            raise AssertionError(f"the service exited early: {process.communicate()[1]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the service did not start listening")


def interrupt(process: subprocess.Popen[str]) -> str:
    """Stop a server as a user does (Ctrl-C: SIGINT) and wait for it to exit; its stderr."""
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    return stderr


@attrs.define
class FakeServe:
    """A running ``ordergroove fake serve``: its port and process; ``stderr`` once it has stopped."""

    port: int
    process: subprocess.Popen[str]
    stderr: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def readline(self) -> str:
        """The next line the command printed (its banner first)."""
        assert self.process.stdout is not None
        return self.process.stdout.readline()


@contextlib.contextmanager
def fake_serve(*options: str, env: Mapping[str, str] | None = None) -> Iterator[FakeServe]:
    """``python -m ordergroove fake serve --port PORT OPTIONS`` on a free port, listening when this yields; stopped
    with Ctrl-C on exit (its stderr is then in ``.stderr``)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ordergroove", "fake", "serve", "--port", str(port), *options],
        env=None if env is None else dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    served = FakeServe(port, process)
    try:
        wait_until_listening(port, process)
        yield served
    finally:
        served.stderr = interrupt(process)

"""Serving the emulator on a real socket: uvicorn on 127.0.0.1, in a background thread with its own loop."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ordergroove.testing._asgi import ConnectionDropped

if TYPE_CHECKING:
    from ordergroove.testing._fake import FakeOrdergroove

__all__ = ["serve"]


class _QuietDrops(logging.Filter):
    """Injected dropped connections are raised on purpose: keep their tracebacks out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, ConnectionDropped)


@contextlib.contextmanager
def serve(fake: FakeOrdergroove, *, port: int = 0, startup_timeout: float = 10.0) -> Iterator[str]:
    """Run ``fake`` under uvicorn on 127.0.0.1 (a free port unless ``port`` is given); yield its base URL.

    Needs the ``testing`` extra (uvicorn). Stops the server and joins its thread on exit.
    """
    try:
        import uvicorn  # deferred: importing ordergroove.testing must stay cheap
    except ModuleNotFoundError as exc:
        if exc.name != "uvicorn":
            raise
        raise ImportError(
            'ordergroove.testing.serve needs the "uvicorn" package: pip install "ordergroove[testing]"', name=exc.name
        ) from exc

    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY on accepted connections only when the listening socket
    # says it is TCP; without it a small answer written in two parts waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        bound_port = sock.getsockname()[1]
        config = uvicorn.Config(
            fake.asgi_app(),
            lifespan="off",
            http="h11",
            ws="none",
            log_config=None,  # leave logging to the host (pytest captures it)
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        quiet = _QuietDrops()
        error_log = logging.getLogger("uvicorn.error")
        error_log.addFilter(quiet)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"ordergroove-fake:{bound_port}", daemon=True
        )
        thread.start()
        try:
            deadline = time.monotonic() + startup_timeout
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("the emulator's server did not start")
                time.sleep(0.005)
            yield f"http://127.0.0.1:{bound_port}"
        finally:
            server.should_exit = True
            thread.join(timeout=startup_timeout)
            error_log.removeFilter(quiet)
    finally:
        sock.close()

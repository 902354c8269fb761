"""The serving commands of ``ordergroove``: ``gladly serve`` (the Gladly service) and ``fake serve`` (the emulator)."""

from __future__ import annotations

import argparse
import contextlib
from typing import Any, TextIO

from .. import OrdergrooveError


def add_gladly_parser(commands: Any) -> None:
    gladly = commands.add_parser("gladly", help="the Gladly service").add_subparsers(dest="action", required=True)
    gladly_serve = gladly.add_parser("serve", help="serve the Gladly adaptor (configured by environment variables)")
    gladly_serve.add_argument("--port", type=int, default=8080, help="the port to listen on (default 8080)")
    gladly_serve.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to accept connections from Gladly")


def add_fake_parser(commands: Any) -> None:
    fake = commands.add_parser("fake", help="the emulator").add_subparsers(dest="action", required=True)
    serve = fake.add_parser("serve", help="serve the demo emulator on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="the port to listen on (default 8765)")


def serve_fake(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    port = args.port
    try:
        import uvicorn
    except ImportError:
        raise OrdergrooveError('"fake serve" needs uvicorn: pip install "ordergroove[cli]"') from None
    from ..testing import FakeOrdergroove

    fake = FakeOrdergroove.demo()
    out.write(
        f"Serving the demo emulator on http://127.0.0.1:{port} (api key {fake.api_key!r}, test data only); "
        "Ctrl-C stops it.\n"
    )
    out.flush()
    uvicorn.run(fake.asgi_app(), host="127.0.0.1", port=port, log_level="warning")
    return 0


def serve_gladly(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from ..gladly import serve_from_env
    except ImportError:
        raise OrdergrooveError('"gladly serve" needs the Gladly extra: pip install "ordergroove[gladly]"') from None
    # uvicorn shuts down gracefully on Ctrl-C, which is how a server is stopped: not an error.
    with contextlib.suppress(KeyboardInterrupt):
        serve_from_env(args.port, args.host)
    return 0

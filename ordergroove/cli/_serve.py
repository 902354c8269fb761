"""The serving commands of ``ordergroove``: ``gladly serve`` (the Gladly service) and ``fake serve`` (the emulator)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import socket
from typing import Any, TextIO

from .. import ConfigurationError, OrdergrooveError
from ._errors import quoted

# Spelled out here rather than imported: the help must show without the Gladly extra installed.
GLADLY_ENVIRONMENT = """\
environment variables:
  ORDERGROOVE_API_KEY         required (not with --sandbox): the Ordergroove API key
  ORDERGROOVE_ENVIRONMENT     optional: production (default) or staging; --staging/--base-url override it
  ORDERGROOVE_BASE_URL        optional: send Ordergroove requests to this URL instead
  GLADLY_SIGNING_KEY          required: the signing key configured in Gladly
  GLADLY_BASIC_AUTH_USER      optional, with GLADLY_BASIC_AUTH_PASSWORD: the Basic auth Gladly sends
  GLADLY_BASIC_AUTH_PASSWORD
  GLADLY_HOST                 optional, all three or none: timeline notes (https://acme.gladly.com,
  GLADLY_USER                 the API user's email, its API token)
  GLADLY_API_TOKEN
  GLADLY_DEADLINE             optional: seconds for the Ordergroove calls of one request (default 10, below 15)
  GLADLY_LOG_LEVEL            optional: the default of --log-level

Every missing or malformed variable is reported at once, by name (never its value), before it listens.
"""
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_LEVEL_ENV = "GLADLY_LOG_LEVEL"


def add_gladly_parser(commands: Any) -> None:
    gladly = commands.add_parser("gladly", help="the Gladly service").add_subparsers(dest="action", required=True)
    serve = gladly.add_parser(
        "serve",
        help="serve the Gladly adaptor (configured by environment variables)",
        description="Serve the Gladly adaptor (lookup, form actions, App Platform actions) under uvicorn. "
        "--sandbox, --staging and --base-url choose the Ordergroove it talks to.",
        epilog=GLADLY_ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--port", type=int, default=8080, help="the port to listen on (default 8080)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on: 0.0.0.0 to accept Gladly's calls")
    serve.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        type=str.lower,
        default=None,
        help=f"what is logged to stderr (default: {LOG_LEVEL_ENV}, else info); "
        "refused requests and Ordergroove failures are warnings",
    )


FAKE_DESCRIPTION = """\
Serve the emulator over HTTP, so that several commands (or programs) share its state: it lives as long as
this server does. --sandbox, by contrast, starts a fresh demo emulator for every command. It prints the
environment to set in another shell, the storefront merchant id and hash key, and the webhook signing key."""
WEBHOOK_KEY_ENV = "ORDERGROOVE_WEBHOOK_KEY"


def _port(text: str) -> int:
    port = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a port: a whole number from 0 to 65535")
    return port


def add_fake_parser(commands: Any) -> None:
    fake = commands.add_parser("fake", help="the emulator").add_subparsers(dest="action", required=True)
    serve = fake.add_parser(
        "serve",
        help="serve the emulator over HTTP (state kept until it stops)",
        description=FAKE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--port", type=_port, default=8765, help="the port to listen on (default 8765; 0: any free)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    data = serve.add_mutually_exclusive_group()
    seed_help = "start with the demo data (the default)"
    data.add_argument("--seed", dest="empty", action="store_false", default=False, help=seed_help)
    data.add_argument("--empty", dest="empty", action="store_true", default=False, help="start with no records")
    serve.add_argument(
        "--webhook",
        action="append",
        default=[],
        metavar="URL",
        help="deliver a signed webhook to URL for every change (repeat for several)",
    )
    serve.add_argument(
        "--webhook-key",
        default=None,
        help=f"the key webhooks are signed with (default: {WEBHOOK_KEY_ENV}, else a new random key, printed)",
    )


def _listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything is printed: a busy port or a bad address is an error here."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise ConfigurationError(
            f"cannot listen on {host}:{port}: {quoted(host)} is not an address here ({exc})"
        ) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = "; is another server using it? pass another --port" if exc.errno == errno.EADDRINUSE else ""
        raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
    return sock


def serve_fake(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        import uvicorn
    except ImportError:
        raise OrdergrooveError('"fake serve" needs uvicorn: pip install "ordergroove[cli]"') from None
    from ..testing import FakeOrdergroove

    fake = FakeOrdergroove() if args.empty else FakeOrdergroove.demo()
    webhook_key = args.webhook_key or os.environ.get(WEBHOOK_KEY_ENV) or f"whsec-{secrets.token_hex(16)}"
    for url in args.webhook:
        fake.webhooks.subscribe(url, webhook_key)
    sock = _listening_socket(args.host, args.port)
    try:
        host, port = sock.getsockname()[:2]
        # A wildcard address accepts connections to every interface: the loopback one works from this machine.
        shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        base_url = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
        lines = [
            f"Serving the emulator ({'no records' if args.empty else 'demo data'}) on {base_url}; Ctrl-C stops it.",
            "Its state lasts until it stops. To use it from another shell:",
            f"  export ORDERGROOVE_BASE_URL={base_url}",
            f"  export ORDERGROOVE_API_KEY={fake.api_key}",
            f"Storefront: merchant id {fake.merchant_public_id}, hash key {fake.storefront_hash_key}",
        ]
        if args.webhook:
            lines.append(f"Webhooks to {', '.join(args.webhook)}, signed with the key {webhook_key}")
        out.write("".join(f"{line}\n" for line in lines))
        out.flush()
        config = uvicorn.Config(fake.asgi_app(), lifespan="off", log_level="warning", timeout_graceful_shutdown=1)
        # uvicorn shuts down gracefully on Ctrl-C, which is how a server is stopped: not an error.
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        fake.webhooks.close()
    return 0


def serve_gladly(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from ..gladly import serve_from_env
    except ImportError:
        raise OrdergrooveError('"gladly serve" needs the Gladly extra: pip install "ordergroove[gladly]"') from None
    environment = getattr(args, "environment", None) or ("staging" if getattr(args, "staging", False) else None)
    base_url = getattr(args, "base_url", None)
    client = None
    if getattr(args, "sandbox", False):
        from ..testing import FakeOrdergroove

        # The demo emulator in this process: no Ordergroove request leaves it, and no API key is needed.
        client = FakeOrdergroove.demo().async_client()
        err.write("gladly serve: --sandbox: Ordergroove is the built-in demo emulator (test data, reset on restart)\n")
        err.flush()
    level = args.log_level or os.environ.get(LOG_LEVEL_ENV, "").strip().lower() or "info"
    # uvicorn shuts down gracefully on Ctrl-C, which is how a server is stopped: not an error.
    with contextlib.suppress(KeyboardInterrupt):
        serve_from_env(args.port, args.host, environment=environment, base_url=base_url, client=client, log_level=level)
    return 0

"""The serving commands of ``ordergroove``: ``gladly serve`` (the Gladly service) and ``fake serve`` (the emulator)."""

from __future__ import annotations

import argparse
import contextlib
import os
from typing import Any, TextIO

from .. import ConfigurationError, OrdergrooveError

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


def add_fake_parser(commands: Any) -> None:
    fake = commands.add_parser("fake", help="the emulator").add_subparsers(dest="action", required=True)
    serve = fake.add_parser("serve", help="serve the demo emulator on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)


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


def _refuse_listing_options(args: argparse.Namespace, command: str) -> None:
    """The options that shape a listing's output mean nothing to a server: refused, not silently dropped."""
    given = [
        flag
        for flag, value in (("--json", getattr(args, "json", False)), ("--limit", getattr(args, "limit", None)))
        if value not in (None, False)
    ]
    if given:
        raise ConfigurationError(f"{' and '.join(given)} do{'es' if len(given) == 1 else ''} not apply to {command}")


def serve_gladly(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _refuse_listing_options(args, "gladly serve")
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

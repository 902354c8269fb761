"""The library's logging: the ``ordergroove`` logger, a debug switch from the environment (``ORDERGROOVE_LOG=debug``,
as ``OPENAI_LOG`` and ``ANTHROPIC_LOG`` do), and URLs as they may be logged."""

from __future__ import annotations

import logging
import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

LOG_ENV = "ORDERGROOVE_LOG"
logger = logging.getLogger("ordergroove")

# Query parameters whose values are never logged: Ordergroove's keys travel in headers, but a caller's own
# parameters, or a 1-click token, may hold a secret.
_SECRET_WORDS = ("key", "token", "secret", "sig", "password", "auth", "hash")
# Filters holding a customer's personal data: a debug log is shared with colleagues and pasted into tickets.
_PERSONAL_WORDS = ("email", "phone")
_HIDDEN_WORDS = _SECRET_WORDS + _PERSONAL_WORDS


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler the switch installs (so that it is installed once, however many clients are made)."""


def setup_from_env() -> None:
    """``ORDERGROOVE_LOG=debug`` (or ``info``): log the library's lines to stderr at that level. Unset: leave
    logging to the application (the library never configures it otherwise)."""
    level = os.environ.get(LOG_ENV, "").strip().upper()
    if level not in ("DEBUG", "INFO"):
        return
    if not any(isinstance(handler, _Handler) for handler in logger.handlers):
        handler = _Handler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


def loggable_url(url: httpx.URL | str) -> str:
    """``url`` without what may be a secret or personal: no user or password, and the values of secret-looking or
    personal query parameters (``email=``) replaced by ``***``."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(name, "***" if any(word in name.lower() for word in _HIDDEN_WORDS) else value) for name, value in pairs],
            safe="[]*",
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))

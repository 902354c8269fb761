"""An error as the command prints it: one line in an operator's words, never a Python class name or repr.

The one table from the library's error classes to the words that open the line is here, and so are the few
rewrites of the library's messages, which are written for Python callers (``api_key=``, ``base_url=``, an httpx
class name): every command's error goes through :func:`describe`.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Mapping

from .. import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BatchError,
    ConfigurationError,
    GraphQLError,
    NotFoundError,
    OrdergrooveError,
    PermissionDeniedError,
    RateLimitError,
    ResourceLockedError,
    ResponseDecodeError,
    ServerError,
    VersionSunsetError,
)
from ..feed import FeedUploadError, FeedValidationError

# What opens the line, by the error's class: the first that matches (the most specific first). "{status}" is the
# HTTP status. An empty heading: the message says it all (a bad argument, a missing key: before any request).
HEADINGS: tuple[tuple[type[OrdergrooveError], str], ...] = (
    (VersionSunsetError, "Ordergroove no longer answers this GraphQL version ({status})"),
    (AuthenticationError, "Ordergroove refused the API key ({status})"),
    (PermissionDeniedError, "Ordergroove refused the request ({status})"),
    (NotFoundError, "not found ({status})"),
    (ResourceLockedError, "the record is in use: try again shortly ({status})"),
    (RateLimitError, "over Ordergroove's rate limit: try again shortly ({status})"),
    (GraphQLError, "Ordergroove refused the query ({status})"),
    (BadRequestError, "Ordergroove refused the request ({status})"),
    (ServerError, "Ordergroove failed ({status})"),
    (APIStatusError, "Ordergroove answered with an error ({status})"),
    (APITimeoutError, "no answer from Ordergroove in time"),
    (APIConnectionError, "the connection to Ordergroove failed"),
    (ResponseDecodeError, "Ordergroove's answer could not be read"),
    (FeedValidationError, "the feed breaks a rule"),
    (FeedUploadError, "the feed was not uploaded"),
    (ConfigurationError, ""),
    (OrdergrooveError, ""),
)

# The library's words for a Python caller, and the command's. Checked by tests/cli/test_cli_errors.py, which runs
# each kind of error and looks for Python wording in what is printed.
REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\(ORDERGROOVE_API_KEY or api_key=\)"), "(ORDERGROOVE_API_KEY)"),
    (re.compile(r"\(ORDERGROOVE_ENVIRONMENT, environment=\)"), "(--environment, or ORDERGROOVE_ENVIRONMENT)"),
    (re.compile(r"\(ORDERGROOVE_BASE_URL, base_url=\)"), "(--base-url, or ORDERGROOVE_BASE_URL)"),
    (re.compile(r"\bbase_url\b"), "the base URL"),
    (re.compile(r"with resume=True \(--resume\)"), "with --resume"),
    (re.compile(r"export without resume\b"), "run the command without --resume"),
    (
        re.compile(r"set graphql_version to a current version, e\.g\. og\.Ordergroove\(graphql_version=\.\.\.\)"),
        "give --graphql-version a current version",
    ),
    # An httpx or OS class name in parentheses: "(ConnectError: Connection refused [Errno 111])" keeps its words.
    (re.compile(r" ?\((?:\w+\.)*[A-Z]\w*(?:Error|Timeout|Exception)(?:: ([^()]*))?\)"), r" (\1)"),
    (re.compile(r" \(\)"), ""),
    # "failed: AuthenticationException: Authentication failed." (paramiko's class, before its words).
    (re.compile(r"\b(?:\w+\.)*[A-Z][a-zA-Z]*(?:Error|Exception|Timeout): "), ""),
    # "customer_id must be a non-empty string, got ''": the empty quotes add nothing.
    (re.compile(r", got ''$"), ""),
)


# The library's names of a call's arguments where the command's option has another name.
_OPTION_OF = {"reason_code": "reason", "reason_details": "details", "every_period": "period"}


def describe(exc: OrdergrooveError, options: Mapping[str, str] | None = None) -> str:
    """``exc`` as the line the command prints after ``ordergroove: error: ``. ``options`` maps the command's
    argument names to their options (``merchant_id`` to ``--merchant-id``): a message about an argument names it
    as it was typed (``--merchant-id must be ...``)."""
    if isinstance(exc, BatchError) and isinstance(exc.error, OrdergrooveError):
        # `products sync` lists the products applied and not itself: the line tells the failed request's error.
        exc = exc.error
    heading = next(text for kind, text in HEADINGS if isinstance(exc, kind))
    text = str(exc)
    if isinstance(exc, ConfigurationError) and options:
        first, sep, rest = text.partition(" ")
        option = options.get(_OPTION_OF.get(first, first))
        text = f"{option}{sep}{rest}" if option else text
    if isinstance(exc, APIStatusError):
        heading = heading.format(status=exc.status_code)
        # "404 Not Found from GET /customers/x/: ..." opens with what the heading says: keep from the method on.
        _, sep, rest = text.partition(" from ")
        text = rest if sep else text
    for pattern, replacement in REWRITES:
        text = pattern.sub(replacement, text)
    return f"{heading}: {text}" if heading else text


def plain(value: object) -> str:
    """A value from an answer (text, a list, an object) in words: ``a; b`` or ``sku: required``, never ``['a']``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "; ".join(f"{key}: {plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(plain(item) for item in value)
    return json.dumps(value, default=str)


def quoted(text: str) -> str:
    """A value the user typed, in double quotes, with any control character escaped (as JSON writes it)."""
    return json.dumps(text, ensure_ascii=False)


def options_of(parser: argparse.ArgumentParser) -> dict[str, str]:
    """A parser's argument names and the options that give them (``{"merchant_id": "--merchant-id"}``)."""
    return {
        action.dest: max(action.option_strings, key=len)
        for action in parser._actions
        if action.option_strings and action.dest not in ("help", "version")
    }


def os_error(exc: OSError) -> str:
    """A file's error in words: ``/exports/x.jsonl: No such file or directory`` (not ``[Errno 2] ...: '...'``)."""
    text = exc.strerror or str(exc)
    return f"{exc.filename}: {text}" if exc.filename else text

"""Where the client sends requests and with what credentials: resolved once, from arguments or the environment.

The hosts are Ordergroove's documented ones; they live here and nowhere else.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping

import attrs
import httpx

from .errors import ConfigurationError

API_KEY_ENV = "ORDERGROOVE_API_KEY"
ENVIRONMENT_ENV = "ORDERGROOVE_ENVIRONMENT"
BASE_URL_ENV = "ORDERGROOVE_BASE_URL"

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 2


@attrs.frozen
class Hosts:
    rest: str
    checkout: str
    om: str  # the cart
    entitlements: str  # entitlements-service


ENVIRONMENTS: Mapping[str, Hosts] = {
    "production": Hosts(
        rest="https://restapi.ordergroove.com",
        checkout="https://sc.ordergroove.com",
        om="https://om.ordergroove.com",
        entitlements="https://entitlements-service.ordergroove.com",
    ),
    # The staging names of om and entitlements-service are unconfirmed (reference, "Hosts"): they follow the
    # pattern of the confirmed ones, as the emulator does.
    "staging": Hosts(
        rest="https://staging.restapi.ordergroove.com",
        checkout="https://staging.sc.ordergroove.com",
        om="https://staging.om.ordergroove.com",
        entitlements="https://staging.entitlements-service.ordergroove.com",
    ),
}


def resolve_environment(environment: str | None) -> tuple[str, Hosts]:
    name = environment if environment is not None else os.environ.get(ENVIRONMENT_ENV) or "production"
    try:
        return name, ENVIRONMENTS[name]
    except (KeyError, TypeError):  # TypeError: an unhashable value
        known = ", ".join(repr(key) for key in ENVIRONMENTS)
        raise ConfigurationError(f"unknown Ordergroove environment {name!r}: use one of {known}") from None


# The credentials of a URL (a proxy's ``user:password@``, which httpx sends as Basic auth): never shown.
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def shown_url(url: str) -> str:
    """``url`` as a repr or a message shows it: any ``user:password@`` in it masked (``https://***@host/``)."""
    return _USERINFO.sub(r"\1***@", url, count=1)


def resolve_base_url(base_url: str | None, hosts: Hosts) -> str:
    url = base_url if base_url is not None else os.environ.get(BASE_URL_ENV) or hosts.rest
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        given = shown_url(url) if isinstance(url, str) else url
        raise ConfigurationError(f"base_url must be an http:// or https:// URL, got {given!r}")
    # Parsed now, so that a malformed URL is a configuration error here rather than an httpx error later.
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"base_url {shown_url(url)!r} is not a valid URL: {exc}") from None
    if not host:
        raise ConfigurationError(f"base_url {shown_url(url)!r} has no host")
    if "?" in url or "#" in url:
        # Every path is appended to it: after a query it would land in the query. Not shown: it may hold a key.
        shown = shown_url(re.split(r"[?#]", url, maxsplit=1)[0])
        raise ConfigurationError(f"base_url {shown!r} must not have a query or a fragment (the part from '?' or '#')")
    return url.rstrip("/")


def _environment_of(base_url: str, hosts: Hosts) -> Hosts | None:
    if base_url == hosts.rest:
        return hosts
    for known in ENVIRONMENTS.values():
        if base_url == known.rest:
            return known
    return None


def resolve_checkout_url(base_url: str, hosts: Hosts) -> str:
    """The checkout host (Purchase POST) that goes with the REST host in use.

    A ``base_url`` that is an environment's REST host takes that environment's checkout host; any other
    ``base_url`` (an emulator, a proxy) serves checkout too. Never the production checkout host behind
    another base URL: a test must not create real subscriptions.
    """
    known = _environment_of(base_url, hosts)
    return base_url if known is None else known.checkout


def resolve_om_url(base_url: str, hosts: Hosts) -> str:
    """The om host (the cart) that goes with the REST host in use; any other ``base_url`` serves it too."""
    known = _environment_of(base_url, hosts)
    return base_url if known is None else known.om


def resolve_entitlements_url(base_url: str, hosts: Hosts) -> str:
    """The entitlements-service host that goes with the REST host in use; any other ``base_url`` serves it too."""
    known = _environment_of(base_url, hosts)
    return base_url if known is None else known.entitlements


def resolve_api_key(api_key: str | None, *, storefront: bool) -> str | None:
    """The merchant API key to send; None for a storefront (customer-scope) client, which never sends one."""
    if storefront:
        # Not even from the environment: with the merchant key, a customer's client could read and change every
        # customer's subscriptions.
        if api_key is not None:
            raise ConfigurationError(
                "pass either api_key (merchant scope) or auth (customer scope, og.auth.StorefrontAuth), not both"
            )
        return None
    if api_key is not None and not isinstance(api_key, str):
        raise ConfigurationError(f"api_key must be a string, got {type(api_key).__name__}")
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if key is not None and not key.strip():
        raise ConfigurationError("the Ordergroove API key is empty")
    # A header value must be printable ASCII. Refused here, without echoing the key: sent, it would fail as an
    # httpx error whose message carries the whole key (a trailing newline from a secrets file, typically).
    if key is not None and not (key.isascii() and key.isprintable() and key == key.strip()):
        raise ConfigurationError(
            "the Ordergroove API key has surrounding spaces, a line break or characters that are not printable ASCII"
        )
    if key is None:
        raise ConfigurationError(
            f"no Ordergroove API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
        )
    return key


def check_timeout(timeout: float | httpx.Timeout) -> float | httpx.Timeout:
    """Seconds for a whole attempt, or an ``httpx.Timeout`` (httpx's limits per phase, None being no limit)."""
    if isinstance(timeout, httpx.Timeout):
        for phase, value in timeout.as_dict().items():
            if value is not None:
                _check_seconds(f"timeout's {phase}", value)
        return timeout
    return _check_seconds("timeout", timeout)


def _check_seconds(name: str, timeout: object) -> float:
    # Finite: an infinite timeout overflows the socket's (OverflowError when the request is sent).
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < math.inf:
        raise ConfigurationError(f"{name} must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def check_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
    return max_retries


def check_strict(strict: bool) -> bool:
    if not isinstance(strict, bool):
        raise ConfigurationError(f"strict must be True or False, got {strict!r}")
    return strict


def check_positive_int(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be a whole number >= 1, got {value!r}")
    return value

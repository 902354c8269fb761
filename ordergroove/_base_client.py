"""What both clients share besides their generated code: configuration resolved once, the state a client shares
with its ``with_options`` copies, and the read-only description of a client."""

from __future__ import annotations

from typing import Protocol

import httpx

from . import _config
from ._call import Decoding
from ._exchange import ClientCore, build_headers
from ._rate import RateLimits
from .errors import ConfigurationError


def build_core(
    api_key: str | None,
    environment: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
    auth: httpx.Auth | None,
    graphql_version: str | None = None,
    strict: bool = False,
) -> ClientCore:
    if auth is not None and not isinstance(auth, httpx.Auth):
        raise ConfigurationError(f"auth must be an httpx.Auth such as og.auth.StorefrontAuth, got {auth!r}")
    _, hosts = _config.resolve_environment(environment)
    key = _config.resolve_api_key(api_key, storefront=auth is not None)
    rest_url = _config.resolve_base_url(base_url, hosts)
    return ClientCore(
        base_url=rest_url,
        checkout_url=_config.resolve_checkout_url(rest_url, hosts),
        om_url=_config.resolve_om_url(rest_url, hosts),
        entitlements_url=_config.resolve_entitlements_url(rest_url, hosts),
        headers=build_headers(key),
        auth=auth,
        timeout=_config.check_timeout(timeout),
        max_retries=_config.check_max_retries(max_retries),
        graphql_version=check_graphql_version(graphql_version),
        decoding=Decoding(strict=_config.check_strict(strict)),
    )


def check_graphql_version(version: str | None) -> str:
    """``graphql_version`` as given, or the current version; a version Ordergroove does not document is refused."""
    from .graphql import CURRENT_VERSION, VERSIONS

    if version is None:
        return CURRENT_VERSION
    if not isinstance(version, str) or version not in VERSIONS:
        raise ConfigurationError(f"graphql_version must be one of {', '.join(VERSIONS)}, got {version!r}")
    return version


def check_limits(max_concurrency: int | None, rate_limit: int | None) -> None:
    _config.check_positive_int("max_concurrency", max_concurrency)
    _config.check_positive_int("rate_limit", rate_limit)


class Shared:
    """What a client and its ``with_options`` copies share besides the pool: the rate limits. Only the client
    made first owns the pool (closing a copy leaves it open)."""

    def __init__(self, limits: RateLimits, owns_http: bool) -> None:
        self.limits = limits
        self.owns_http = owns_http

    def unowned(self) -> Shared:
        return Shared(self.limits, owns_http=False)


class _Sending(Protocol):
    core: ClientCore
    shared: Shared


class BaseClient:
    """The description of a client, the same for both."""

    _sender: _Sending

    @property
    def base_url(self) -> str:
        return self._sender.core.base_url

    @property
    def timeout(self) -> float:
        return self._sender.core.timeout

    @property
    def max_retries(self) -> int:
        return self._sender.core.max_retries

    @property
    def graphql_version(self) -> str:
        return self._sender.core.graphql_version

    @property
    def strict(self) -> bool:
        """Whether a record holding a value of no documented form is refused (``ResponseDecodeError``) instead of
        decoded with that attribute None and the value in ``model.unparsed``."""
        return self._sender.core.decoding.strict

    @property
    def _core(self) -> ClientCore:
        return self._sender.core

    @property
    def _shared(self) -> Shared:
        return self._sender.shared

    def __repr__(self) -> str:
        return f"<{type(self).__name__} base_url={self._sender.core.base_url!r}>"

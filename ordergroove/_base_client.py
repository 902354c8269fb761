"""What both clients share besides their generated code: configuration resolved once, the state a client shares
with its ``with_options`` copies, and the read-only description of a client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import attrs
import httpx

from . import _config, _logs
from ._call import Decoding, Timeout, check_headers
from ._exchange import ClientCore, build_headers
from ._rate import RateLimits
from .errors import ConfigurationError


def build_core(
    api_key: str | None,
    environment: str | None,
    base_url: str | None,
    timeout: Timeout,
    max_retries: int,
    auth: httpx.Auth | None,
    graphql_version: str | None = None,
    headers: Mapping[str, str | None] | None = None,
    strict: bool = False,
) -> ClientCore:
    if auth is not None and not isinstance(auth, httpx.Auth):
        raise ConfigurationError(f"auth must be an httpx.Auth such as og.auth.StorefrontAuth, got {auth!r}")
    _logs.setup_from_env()  # ORDERGROOVE_LOG=debug, read when a client is made
    name, hosts = _config.resolve_environment(environment)
    key = _config.resolve_api_key(api_key, storefront=auth is not None)
    rest_url = _config.resolve_base_url(base_url, hosts)
    custom = check_headers("headers", headers)
    return ClientCore(
        environment=name,
        base_url=rest_url,
        checkout_url=_config.resolve_checkout_url(rest_url, hosts),
        om_url=_config.resolve_om_url(rest_url, hosts),
        entitlements_url=_config.resolve_entitlements_url(rest_url, hosts),
        headers=build_headers(key, custom),
        custom_headers=custom,
        auth=auth,
        timeout=_config.check_timeout(timeout),
        max_retries=_config.check_max_retries(max_retries),
        graphql_version=check_graphql_version(graphql_version),
        decoding=Decoding(strict=_config.check_strict(strict)),
    )


def copy_core(
    core: ClientCore,
    *,
    api_key: str | None,
    environment: str | None,
    base_url: str | None,
    timeout: Timeout | None,
    max_retries: int | None,
    headers: Mapping[str, str | None] | None,
    graphql_version: str | None,
    strict: bool | None = None,
) -> ClientCore:
    """``core`` with the options given (None keeps its value), each checked as the client's constructor does."""
    changes: dict[str, Any] = {}
    if environment is not None or base_url is not None:
        name, hosts = _config.resolve_environment(environment if environment is not None else core.environment)
        # With only an environment, its host (or ORDERGROOVE_BASE_URL, as when a client is made).
        rest_url = _config.resolve_base_url(base_url, hosts)
        changes.update(
            environment=name,
            base_url=rest_url,
            checkout_url=_config.resolve_checkout_url(rest_url, hosts),
            om_url=_config.resolve_om_url(rest_url, hosts),
            entitlements_url=_config.resolve_entitlements_url(rest_url, hosts),
        )
    key = core.headers.get("x-api-key")
    if api_key is not None:
        key = _config.resolve_api_key(api_key, storefront=core.auth is not None)
    custom = core.custom_headers
    if headers is not None:
        added = check_headers("headers", headers)
        names = {name.lower() for name, _ in added}
        custom = tuple((name, value) for name, value in custom if name.lower() not in names) + added
    changes.update(headers=build_headers(key, custom), custom_headers=custom)
    if timeout is not None:
        changes["timeout"] = _config.check_timeout(timeout)
    if max_retries is not None:
        changes["max_retries"] = _config.check_max_retries(max_retries)
    if graphql_version is not None:
        changes["graphql_version"] = check_graphql_version(graphql_version)
    if strict is not None:
        changes["decoding"] = Decoding(strict=_config.check_strict(strict))
    return attrs.evolve(core, **changes)


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

    def unowned(self, rate_limit: int | None = None) -> Shared:
        """What a copy shares: these limits, or with ``rate_limit`` a limit of its own (the endpoints' limits, such
        as products-batch's per merchant, stay shared)."""
        limits = self.limits if rate_limit is None else RateLimits(rate_limit, groups=self.limits.group_limiters)
        return Shared(limits, owns_http=False)


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
    def timeout(self) -> Timeout:
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
        return f"<{type(self).__name__} base_url={_config.shown_url(self._sender.core.base_url)!r}>"

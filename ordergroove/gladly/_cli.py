"""``ordergroove gladly serve``: the service under uvicorn, configured from environment variables."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from ordergroove.errors import ConfigurationError
from ordergroove.gladly._config import ServiceConfig

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from ordergroove import AsyncOrdergroove

__all__ = ["LOG_LEVELS", "LOG_LEVEL_ENV", "configure_logging", "serve", "serve_from_env"]

LOG_LEVEL_ENV = "GLADLY_LOG_LEVEL"
LOG_LEVELS = ("debug", "info", "warning", "error")
_API_KEY_ENV = "ORDERGROOVE_API_KEY"

_log = logging.getLogger("ordergroove.gladly")


def configure_logging(level: str) -> None:
    """Log to stderr at ``level`` (one of LOG_LEVELS): the service's own lines, the Ordergroove client's and
    uvicorn's, one per line with time, level and logger."""
    name = level.strip().lower()
    if name not in LOG_LEVELS:
        raise ConfigurationError(f"the log level must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for logger_name in ("ordergroove", "uvicorn"):
        logger = logging.getLogger(logger_name)
        logger.handlers[:] = [handler]
        logger.setLevel(name.upper())
        logger.propagate = False


@contextlib.asynccontextmanager
async def _app_from_config(
    config: ServiceConfig, client: AsyncOrdergroove | None = None, **client_options: str | None
) -> AsyncIterator[Starlette]:
    """The app with its clients, closed on exit (in the loop that used them)."""
    from ordergroove import AsyncOrdergroove
    from ordergroove.gladly._app import create_app
    from ordergroove.gladly._async.timeline import AsyncGladlyClient

    async with contextlib.AsyncExitStack() as stack:
        og = client if client is not None else AsyncOrdergroove(**client_options)  # type: ignore[arg-type]
        og = await stack.enter_async_context(og)
        gladly = None
        if config.gladly_host and config.gladly_user and config.gladly_api_token:
            gladly = await stack.enter_async_context(
                AsyncGladlyClient(config.gladly_host, config.gladly_user, config.gladly_api_token)
            )
        _log.info(
            "Gladly service: Ordergroove at %s; timeline notes %s",
            og.base_url,
            f"to {config.gladly_host}" if gladly is not None else "off (GLADLY_HOST not set)",
        )
        yield create_app(
            og,
            signing_key=config.signing_key,
            basic_auth=config.basic_auth,
            gladly=gladly,
            deadline=config.deadline,
        )


async def serve(
    config: ServiceConfig,
    port: int,
    host: str = "127.0.0.1",
    *,
    client: AsyncOrdergroove | None = None,
    environment: str | None = None,
    base_url: str | None = None,
    log_level: str | None = None,
) -> None:
    """Run the service until interrupted (uvicorn handles SIGINT/SIGTERM), then close its clients."""
    try:
        import uvicorn
    except ModuleNotFoundError as exc:
        if exc.name != "uvicorn":
            raise
        raise ImportError(
            'serving the Gladly service needs the "uvicorn" package: pip install "ordergroove[gladly]"', name=exc.name
        ) from exc

    async with _app_from_config(config, client, environment=environment, base_url=base_url) as app:
        options = {} if log_level is None else {"log_config": None, "log_level": log_level.lower()}
        server = uvicorn.Server(
            uvicorn.Config(app, host=host, port=port, lifespan="off", proxy_headers=True, **options)  # type: ignore[arg-type]
        )
        await server.serve()


def serve_from_env(
    port: int = 8080,
    host: str = "127.0.0.1",
    *,
    environment: str | None = None,
    base_url: str | None = None,
    client: AsyncOrdergroove | None = None,
    log_level: str | None = None,
) -> None:
    """Build the service from environment variables (see docs/gladly.md) and run it under uvicorn until stopped.

    ``environment``/``base_url``: where the Ordergroove client sends (default: ``ORDERGROOVE_ENVIRONMENT``,
    ``ORDERGROOVE_BASE_URL``, else production). ``client``: an ``AsyncOrdergroove`` to use instead (the service
    closes it when it stops). ``log_level``: configure logging to stderr at that level (default:
    ``GLADLY_LOG_LEVEL`` when set, else logging is left as it is).

    Raises :class:`~ordergroove.errors.ConfigurationError` (before listening) naming every variable that is
    missing or wrong.
    """
    env = os.environ
    problems: list[str] = []
    config: ServiceConfig | None = None
    try:
        config = ServiceConfig.from_env(env)
    except ConfigurationError as exc:
        problems.append(exc.message)
    if client is None and not env.get(_API_KEY_ENV, "").strip():
        problems.append(f"set {_API_KEY_ENV} to the Ordergroove API key")
    level = log_level if log_level is not None else (env.get(LOG_LEVEL_ENV, "").strip() or None)
    if level is not None and level.strip().lower() not in LOG_LEVELS:
        problems.append(f"{LOG_LEVEL_ENV} must be one of {', '.join(LOG_LEVELS)}")
    if problems or config is None:
        raise ConfigurationError("; ".join(problems))
    if level is not None:
        configure_logging(level)
    asyncio.run(serve(config, port, host, client=client, environment=environment, base_url=base_url, log_level=level))

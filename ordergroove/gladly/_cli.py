"""``ordergroove gladly serve``: the service under uvicorn, configured from environment variables."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from ordergroove.gladly._config import ServiceConfig

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["serve", "serve_from_env"]


@contextlib.asynccontextmanager
async def _app_from_config(config: ServiceConfig) -> AsyncIterator[Starlette]:
    """The app with its clients, closed on exit (in the loop that used them)."""
    from ordergroove import AsyncOrdergroove
    from ordergroove.gladly._app import create_app
    from ordergroove.gladly._async.timeline import AsyncGladlyClient

    async with contextlib.AsyncExitStack() as stack:
        client = await stack.enter_async_context(AsyncOrdergroove())
        gladly = None
        if config.gladly_host and config.gladly_user and config.gladly_api_token:
            gladly = await stack.enter_async_context(
                AsyncGladlyClient(config.gladly_host, config.gladly_user, config.gladly_api_token)
            )
        yield create_app(
            client,
            signing_key=config.signing_key,
            basic_auth=config.basic_auth,
            gladly=gladly,
            deadline=config.deadline,
        )


async def serve(config: ServiceConfig, port: int, host: str = "127.0.0.1") -> None:
    """Run the service until interrupted (uvicorn handles SIGINT/SIGTERM), then close its clients."""
    import uvicorn

    async with _app_from_config(config) as app:
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, lifespan="off", proxy_headers=True))
        await server.serve()


def serve_from_env(port: int, host: str = "127.0.0.1") -> None:
    """Build the service from environment variables (see docs/gladly.md) and run it under uvicorn until stopped.

    Raises :class:`~ordergroove.errors.ConfigurationError` (before listening) when a variable is missing or wrong.
    """
    config = ServiceConfig.from_env()
    asyncio.run(serve(config, port, host))

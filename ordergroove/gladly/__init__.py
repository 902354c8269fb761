"""The Gladly extra: the service Gladly calls (lookup, form actions, App Platform actions), request signing,
and timeline notes through Gladly's REST API."""

from ordergroove.gladly._app import create_app
from ordergroove.gladly._async.timeline import AsyncGladlyClient
from ordergroove.gladly._cli import serve_from_env
from ordergroove.gladly._config import ServiceConfig
from ordergroove.gladly._errors import GladlyAPIError, GladlyErrorItem, GladlySignatureError
from ordergroove.gladly._signing import (
    basic_auth_challenge,
    canonical_query,
    check_basic_auth,
    sign_request,
    verify_request,
)
from ordergroove.gladly._sync.timeline import GladlyClient
from ordergroove.gladly._timeline import ActivityLink, ActivityResult, activity_id

__all__ = [
    "ActivityLink",
    "ActivityResult",
    "AsyncGladlyClient",
    "GladlyAPIError",
    "GladlyClient",
    "GladlyErrorItem",
    "GladlySignatureError",
    "ServiceConfig",
    "activity_id",
    "basic_auth_challenge",
    "canonical_query",
    "check_basic_auth",
    "create_app",
    "serve_from_env",
    "sign_request",
    "verify_request",
]

"""The Gladly extra: request signing for Gladly's calls, and timeline notes through Gladly's REST API."""

from ordergroove.gladly._errors import GladlyAPIError, GladlyErrorItem, GladlySignatureError
from ordergroove.gladly._signing import (
    basic_auth_challenge,
    canonical_query,
    check_basic_auth,
    sign_request,
    verify_request,
)
from ordergroove.gladly._timeline import (
    ActivityLink,
    ActivityResult,
    AsyncGladlyClient,
    GladlyClient,
    activity_id,
)

__all__ = [
    "ActivityLink",
    "ActivityResult",
    "AsyncGladlyClient",
    "GladlyAPIError",
    "GladlyClient",
    "GladlyErrorItem",
    "GladlySignatureError",
    "activity_id",
    "basic_auth_challenge",
    "canonical_query",
    "check_basic_auth",
    "sign_request",
    "verify_request",
]

"""The exceptions this library raises. Every one is an :class:`OrdergrooveError`.

Which is which: an error status is its status error even when its body is HTML or empty; a success whose
body is not JSON (or not of the expected shape) is a :class:`ResponseDecodeError`; a connection that failed,
or a body cut short, is an :class:`APIConnectionError` whose ``request_sent`` says whether the server could
have acted.

The errors of the optional parts are here too (:class:`FeedValidationError`, :class:`FieldEncryptionError`,
:class:`GladlyAPIError` ...), and in their own modules as well. All are defined in one private module; this one
only re-exports them.
"""

from ._exceptions import BODY_LIMIT as BODY_LIMIT
from ._exceptions import STATUS_ERRORS as STATUS_ERRORS
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BatchError,
    ConfigurationError,
    FeedUploadError,
    FeedValidationError,
    FieldEncryptionError,
    GladlyAPIError,
    GladlyErrorItem,
    GladlySignatureError,
    GraphQLError,
    NotFoundError,
    NoUpcomingOrderError,
    OrdergrooveError,
    PermissionDeniedError,
    PurchaseAuthenticationError,
    PurchaseBadRequestError,
    PurchaseConflictError,
    PurchaseError,
    PurchasePartialError,
    PurchasePermissionDeniedError,
    RateLimitError,
    ResourceLockedError,
    ResponseDecodeError,
    ServerError,
    VersionSunsetError,
    WebhookPayloadError,
    WebhookVerificationError,
)
from ._exceptions import body_text as body_text
from ._exceptions import masked as masked
from ._exceptions import outcome_unknown as outcome_unknown
from ._exceptions import status_error_class as status_error_class

# BODY_LIMIT, STATUS_ERRORS, body_text, masked, outcome_unknown and status_error_class are here for the library's own
# modules (the core, the Gladly timeline client); they are not public.
__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchError",
    "ConfigurationError",
    "FeedUploadError",
    "FeedValidationError",
    "FieldEncryptionError",
    "GladlyAPIError",
    "GladlyErrorItem",
    "GladlySignatureError",
    "GraphQLError",
    "NoUpcomingOrderError",
    "NotFoundError",
    "OrdergrooveError",
    "PermissionDeniedError",
    "PurchaseAuthenticationError",
    "PurchaseBadRequestError",
    "PurchaseConflictError",
    "PurchaseError",
    "PurchasePartialError",
    "PurchasePermissionDeniedError",
    "RateLimitError",
    "ResourceLockedError",
    "ResponseDecodeError",
    "ServerError",
    "VersionSunsetError",
    "WebhookPayloadError",
    "WebhookVerificationError",
]

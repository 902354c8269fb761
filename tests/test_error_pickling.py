"""Every exception of the library survives pickling: a process pool's worker error reaches the parent whole."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any

import pytest

import ordergroove as og
from ordergroove import errors

KEY = "sk_test_0123456789abcdef"

_STATUS: dict[str, Any] = {"status_code": 400, "method": "POST", "url": "https://restapi.ordergroove.com/customers/"}


def _batch() -> og.BatchError:
    return og.BatchError(
        error=og.ServerError("502 Bad Gateway", status_code=502, method="POST", url="/products-batch/create/"),
        request=2,
        requests=3,
        results=[og.BatchResult(product_id="p1", status=200)],
        unknown=[{"product_id": "p2"}],
        not_applied=[{"product_id": "p3"}],
    )


# One typical instance of each public exception class; the test below fails for a class missing here.
SAMPLES: dict[str, Callable[[], BaseException]] = {
    "OrdergrooveError": lambda: og.OrdergrooveError("something failed"),
    "ConfigurationError": lambda: og.ConfigurationError("no API key"),
    "FieldEncryptionError": lambda: errors.FieldEncryptionError("the hash key is not 32 bytes"),
    "APIConnectionError": lambda: og.APIConnectionError(
        "GET /customers/ failed", method="GET", url="/customers/", request_sent=True, os_error="Connection refused"
    ),
    "APITimeoutError": lambda: og.APITimeoutError("timed out", method="GET", url="/customers/", request_sent=False),
    "ResponseDecodeError": lambda: og.ResponseDecodeError("not JSON", status_code=200, body="<html>", url="/x/"),
    "APIStatusError": lambda: og.APIStatusError("418", detail="teapot", body='{"detail": "teapot"}', **_STATUS),
    "BadRequestError": lambda: og.BadRequestError(
        "400 Bad Request", field_errors={"email": ["invalid"]}, body='{"email": ["invalid"]}', **_STATUS
    ),
    "AuthenticationError": lambda: og.AuthenticationError("401", **{**_STATUS, "status_code": 401}),
    "PermissionDeniedError": lambda: og.PermissionDeniedError("403", **{**_STATUS, "status_code": 403}),
    "NotFoundError": lambda: og.NotFoundError("404", **{**_STATUS, "status_code": 404}),
    "ResourceLockedError": lambda: og.ResourceLockedError("423", **{**_STATUS, "status_code": 423}),
    "RateLimitError": lambda: og.RateLimitError("429", retry_after=2.0, **{**_STATUS, "status_code": 429}),
    "ServerError": lambda: og.ServerError("500", **{**_STATUS, "status_code": 500}),
    "GraphQLError": lambda: og.GraphQLError(
        "",
        errors=[{"message": "Max depth exceeded", "path": ["orders"]}],
        data={"orders": None},
        **{**_STATUS, "status_code": 200},
    ),
    "VersionSunsetError": lambda: og.VersionSunsetError(
        "410 Gone from POST /graphql/2025-01/: gone",
        version="2025-01",
        body='{"errors": [{"message": "gone"}]}',
        **{**_STATUS, "status_code": 410},
    ),
    "PurchaseError": lambda: og.PurchaseError(
        "purchase failed", merchant_order_id="o1", body='{"error": "x", "error_message": "y"}', **_STATUS
    ),
    "PurchasePartialError": lambda: og.PurchasePartialError("partial", merchant_order_id="o1", **_STATUS),
    "PurchaseConflictError": lambda: og.PurchaseConflictError("409", **{**_STATUS, "status_code": 409}),
    "PurchaseBadRequestError": lambda: og.PurchaseBadRequestError("400", **_STATUS),
    "PurchaseAuthenticationError": lambda: og.PurchaseAuthenticationError("401", **{**_STATUS, "status_code": 401}),
    "PurchasePermissionDeniedError": lambda: og.PurchasePermissionDeniedError("403", **{**_STATUS, "status_code": 403}),
    "BatchError": _batch,
    "NoUpcomingOrderError": lambda: og.NoUpcomingOrderError("no upcoming order", subscription_id="s1"),
    "WebhookVerificationError": lambda: og.WebhookVerificationError("signature mismatch"),
    "WebhookPayloadError": lambda: og.WebhookPayloadError("not JSON"),
    "FeedValidationError": lambda: errors.FeedValidationError("must be > 0", field="price", where="product #3"),
    "FeedUploadError": lambda: errors.FeedUploadError(
        "refused", host="feeds.ordergroove.com", port=22, remote_path="/f"
    ),
    "GladlySignatureError": lambda: errors.GladlySignatureError("stale", reason="stale"),
    "GladlyAPIError": lambda: errors.GladlyAPIError(
        "422", status_code=422, method="POST", url="/api/v1/x", errors=[errors.GladlyErrorItem("email", "invalid")]
    ),
}


def _public_exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module in (og, errors):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, BaseException):
                found[name] = value
    return found


def _public_attributes(error: BaseException) -> dict[str, Any]:
    return {name: value for name, value in vars(error).items() if not name.startswith("_")}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, BaseException):
        return type(a) is type(b) and str(a) == str(b) and _same(_public_attributes(a), _public_attributes(b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_every_public_exception_class_has_a_sample() -> None:
    assert set(_public_exception_classes()) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_an_error_survives_a_pickle_round_trip(name: str) -> None:
    error = SAMPLES[name]()
    assert type(error) is _public_exception_classes()[name]
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error) and repr(back) == repr(error)
    assert _same(back, error)


def test_a_pickled_error_carries_no_key() -> None:
    # The API key a server repeated, masked when the error was made, stays masked in what is pickled.
    error = og.AuthenticationError(
        "401 Unauthorized: Invalid API key ***",
        body='{"detail": "Invalid API key ***"}',
        **{**_STATUS, "status_code": 401},
    )
    assert KEY.encode() not in pickle.dumps(error)


def _worker_raising_a_batch_error() -> None:
    raise _batch()


def test_a_batch_error_raised_in_a_process_pool_worker_reaches_the_parent() -> None:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_worker_raising_a_batch_error)
        with pytest.raises(og.BatchError) as caught:
            future.result(timeout=120)
    error = caught.value
    assert error.results == [og.BatchResult(product_id="p1", status=200)]
    assert error.unknown == [{"product_id": "p2"}]
    assert error.not_applied == [{"product_id": "p3"}]
    assert isinstance(error.error, og.ServerError) and error.error.status_code == 502
    assert str(error) == str(_batch())

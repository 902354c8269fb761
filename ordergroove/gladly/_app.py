"""The Starlette app Gladly talks to: the lookup, the form actions and the App Platform actions.

Every request passes the optional Basic auth and Gladly's signature before anything else runs; every answer is
JSON, errors included (``{"errors": [...]}``), and no stack trace ever reaches Gladly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

try:
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Match, Route
except ModuleNotFoundError as exc:  # the first import of `ordergroove.gladly`: say which extra is missing
    if exc.name is None or exc.name.split(".")[0] != "starlette":
        raise
    raise ImportError(
        'ordergroove.gladly needs the "starlette" package: pip install "ordergroove[gladly]"', name=exc.name
    ) from exc

from ordergroove.errors import ConfigurationError
from ordergroove.gladly import _actions, _forms, _lookup, _mapping
from ordergroove.gladly._errors import GladlySignatureError
from ordergroove.gladly._service import (
    DEFAULT_DEADLINE,
    DEFAULT_NOTE_TIMEOUT,
    GLADLY_LIMIT,
    Service,
    ServiceError,
    check_seconds,
    error_item,
    json_object,
)
from ordergroove.gladly._signing import basic_auth_challenge, check_basic_auth, utf8_bytes, verify_request

if TYPE_CHECKING:
    from ordergroove import AsyncOrdergroove
    from ordergroove.gladly._async.timeline import AsyncGladlyClient

__all__ = ["create_app"]

_log = logging.getLogger("ordergroove.gladly")

# Gladly's requests are small JSON documents: a larger body is refused before it is read.
_MAX_BODY = 1_000_000
# Gladly signs with a window of a few minutes; past an hour a captured request could be replayed for too long.
_MAX_AGE_LIMIT = 3600.0
# ASCII digits only: str.isdigit() takes "\u00b2", which int() then refuses (a 500 instead of a 400).
_ASCII_LENGTH = re.compile(r"[0-9]+")
_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_UNAUTHORIZED = {"errors": [error_item("unauthorized", "The request could not be authenticated.")]}

Handler = Callable[[Service, Request, bytes], Awaitable[Any]]


def create_app(
    client: AsyncOrdergroove,
    *,
    signing_key: str | bytes,
    basic_auth: tuple[str, str] | None = None,
    gladly: AsyncGladlyClient | None = None,
    deadline: float = DEFAULT_DEADLINE,
    note_timeout: float = DEFAULT_NOTE_TIMEOUT,
    max_age: float = 300,
    realm: str = "Ordergroove",
) -> Starlette:
    """The service Gladly calls, as a Starlette app (run it with uvicorn or mount it in another app).

    ``POST /lookup``: Gladly's Lookup Adaptor requests. ``GET``/``POST /forms/{cancel|skip|reactivate}/{id}``:
    the form actions the lookup's transactions carry. ``POST /actions/<actionName>``: the App Platform actions.

    ``signing_key``: the key configured in Gladly (every request must carry a valid signature, at most
    ``max_age`` seconds old). ``basic_auth``: ``(user, password)`` when Gladly is configured with Basic auth too.
    ``gladly``: an :class:`AsyncGladlyClient` to write a timeline note for each performed action (None: no
    notes). ``deadline``: seconds the Ordergroove calls of one request may take in all (Gladly gives up at 15 s);
    ``note_timeout``: seconds a timeline note may add after an action (also less than 15). ``max_age``: more
    than 0 and at most 3600. The app does not close ``client`` or ``gladly``: their owner does.

    Every option is checked here, so that a bad one fails at start-up (ConfigurationError) and never as a 500
    on each request.
    """
    if not signing_key:
        raise ConfigurationError("signing_key must be the Gladly signing key (it must not be empty)")
    if isinstance(signing_key, str):
        utf8_bytes(signing_key, "signing_key")
    if basic_auth is not None and (len(basic_auth) != 2 or not basic_auth[0] or not basic_auth[1]):
        raise ConfigurationError("basic_auth must be a (user, password) pair of non-empty strings")
    if basic_auth is not None:
        utf8_bytes(basic_auth[0], "the basic_auth user")
        utf8_bytes(basic_auth[1], "the basic_auth password")
    deadline = check_seconds("deadline", deadline, most=GLADLY_LIMIT)
    note_timeout = check_seconds("note_timeout", note_timeout, most=GLADLY_LIMIT)
    max_age = check_seconds("max_age", max_age, most=_MAX_AGE_LIMIT, inclusive=True)
    service = Service(client=client, gladly=gladly, deadline=deadline, note_timeout=note_timeout)

    def authenticate(request: Request, body: bytes) -> Response | None:
        if basic_auth is not None and not check_basic_auth(request.headers.get("authorization"), *basic_auth):
            # WARNING: a refused request is what an operator looks for when Gladly reports failures.
            _log.warning(
                "%s %s refused with 401: Basic auth credentials missing or wrong", request.method, request.url.path
            )
            return JSONResponse(_UNAUTHORIZED, status_code=401, headers=basic_auth_challenge(realm))
        try:
            verify_request(
                request.method,
                request.url.path,
                request.scope.get("query_string", b"").decode("latin-1"),
                request.headers.raw,
                body,
                signing_key,
                max_age=max_age,
            )
        except GladlySignatureError as exc:
            # The reason (mismatch: another key; stale/future: a clock or a replay) and the message, which never
            # hold the key or a signature.
            _log.warning("%s %s refused with 401: signature %s: %s", request.method, request.url.path, exc.reason, exc)
            return JSONResponse(_UNAUTHORIZED, status_code=401)
        return None

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            length = request.headers.get("content-length")
            digits = None if length is None else length.strip().lstrip("0") or "0"
            if digits is not None and not _ASCII_LENGTH.fullmatch(digits):
                return JSONResponse({"errors": [error_item("invalid_length", "Content-Length is not a number.")]}, 400)
            # Its digits are counted before int() reads them: 5000 of them would be a ValueError.
            too_large = digits is not None and (len(digits) > len(str(_MAX_BODY)) or int(digits) > _MAX_BODY)
            body = None if too_large else await _read_body(request)
            if body is None:
                return JSONResponse({"errors": [error_item("too_large", "The request body is too large.")]}, 413)
            refused = authenticate(request, body)
            if refused is not None:
                return refused
            try:
                return JSONResponse(await handler(service, request, body))
            except ServiceError as exc:
                if exc.status_code >= 500:
                    details = "; ".join(item.get("detail", "") for item in exc.errors)
                    _log.warning("%s %s answered %d: %s", request.method, request.url.path, exc.status_code, details)
                return JSONResponse(exc.body(), status_code=exc.status_code)
            except Exception:
                # Logged here with its traceback; Gladly only learns that it failed.
                _log.exception("Gladly request to %s failed", request.url.path)
                return JSONResponse({"errors": [error_item("internal_error", "The request failed.")]}, 500)

        return endpoint

    routes = [
        Route("/lookup", guarded(_lookup_endpoint), methods=["POST"]),
        Route("/forms/{kind}/{subscription_id}", guarded(_form_endpoint), methods=["GET", "POST"]),
        Route("/actions/{name}", guarded(_action_endpoint), methods=["POST"]),
    ]

    async def no_route(service: Service, request: Request, body: bytes) -> Any:
        if any(route.matches(request.scope)[0] is Match.PARTIAL for route in routes):
            raise ServiceError.one(405, "http_error", "Method Not Allowed")
        raise ServiceError.one(404, "http_error", "Not Found")

    # Last: any other path or method is authenticated too before it is told anything (not even 404 or 405).
    catch_all = Route("/{path:path}", guarded(no_route), methods=_ALL_METHODS)
    return Starlette(routes=[*routes, catch_all], exception_handlers={HTTPException: _http_error})


async def _read_body(request: Request) -> bytes | None:
    """The body, or None past ``_MAX_BODY`` (a chunked body has no Content-Length to check beforehand)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > _MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _lookup_endpoint(service: Service, request: Request, body: bytes) -> Any:
    return await _lookup.lookup(service, json_object(body), root_path=request.scope.get("root_path", ""))


async def _form_endpoint(service: Service, request: Request, body: bytes) -> Any:
    kind = request.path_params["kind"]
    if kind not in _forms.FORM_KINDS:
        raise ServiceError.one(404, "not_found", f"no form {kind!r}")
    order_id = request.query_params.get("orderId") or None
    if order_id is not None and kind != _mapping.SKIP:
        # The form would show the order and act on the subscription alone: no such form exists.
        raise ServiceError.one(404, "not_found", f"the {kind} form acts on a subscription and takes no orderId")
    context = _forms.FormContext(
        kind,
        request.path_params["subscription_id"],
        order_id=order_id,
        gladly_customer_id=request.query_params.get("gladlyCustomerId") or None,
        root_path=request.scope.get("root_path", ""),
    )
    if request.method == "GET":
        return await _forms.form(service, context)
    return await _forms.submit(service, context, json_object(body))


async def _action_endpoint(service: Service, request: Request, body: bytes) -> Any:
    return await _actions.run_action(service, request.path_params["name"], json_object(body))


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "The request failed."
    return JSONResponse({"errors": [error_item("http_error", str(detail))]}, status_code=status)

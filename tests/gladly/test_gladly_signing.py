"""Gladly request signing: the published vector, round trips, every kind of tampering, Basic auth."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import Headers as StarletteHeaders

from ordergroove import gladly
from ordergroove.errors import ConfigurationError, OrdergrooveError

VECTOR_PATH = Path(__file__).resolve().parents[1] / "vectors" / "gladly_request_signing.json"
VECTOR: dict[str, Any] = json.loads(VECTOR_PATH.read_text())
KEY: str = VECTOR["signing_key"]
SIGNATURE: str = VECTOR["expected_signature"]
URL = urlsplit(VECTOR["request"]["url"])
BODY: bytes = VECTOR["request"]["body"].encode("utf-8")
SIGNED_AT = datetime(2019, 2, 13, 21, 40, 16, tzinfo=timezone.utc)
AUTHORIZATION = f"SigningAlgorithm=hmac-sha256, SignedHeaders={VECTOR['signed_headers']}, Signature={SIGNATURE}"


def vector_headers() -> dict[str, list[str]]:
    headers = {name: list(values) for name, values in VECTOR["request"]["headers"].items()}
    headers["Gladly-Authorization"] = [AUTHORIZATION]
    return headers


def verify(**changes: Any) -> None:
    """verify_request on the vector's request, with some arguments replaced."""
    arguments: dict[str, Any] = {
        "method": VECTOR["request"]["method"],
        "path": URL.path,
        "query": URL.query,
        "headers": vector_headers(),
        "body": BODY,
        "signing_key": KEY,
        "now": SIGNED_AT + timedelta(seconds=30),
    }
    arguments.update(changes)
    gladly.verify_request(**arguments)


def with_header(name: str, value: list[str] | None) -> dict[str, list[str]]:
    headers = vector_headers()
    if value is None:
        del headers[name]
    else:
        headers[name] = value
    return headers


def assert_no_secret(error: BaseException) -> None:
    for text in (str(error), repr(error)):
        assert KEY not in text
        assert SIGNATURE not in text


# --- the published vector -----------------------------------------------------------------------------


def test_vector_verifies() -> None:
    verify()


def test_vector_verifies_with_headers_in_any_case_and_as_plain_strings() -> None:
    headers = {name.upper(): values[0] for name, values in vector_headers().items()}
    verify(headers=headers)
    verify(headers={name.lower(): f"  {value}  " for name, value in headers.items()})


def test_vector_verifies_from_httpx_starlette_and_asgi_headers() -> None:
    pairs = [(name, values[0]) for name, values in vector_headers().items()]
    verify(headers=httpx.Headers(pairs))
    raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in pairs]
    verify(headers=StarletteHeaders(raw=raw))
    verify(headers=raw)


def test_sign_request_reproduces_the_vector() -> None:
    headers = {k: v for k, v in VECTOR["request"]["headers"].items() if k != "Gladly-Time"}
    added = gladly.sign_request("POST", URL.path, URL.query, headers, BODY, KEY, now=SIGNED_AT)
    assert added == {"Gladly-Time": "20190213T214016Z", "Gladly-Authorization": AUTHORIZATION}


def test_time_window_edges() -> None:
    verify(now=SIGNED_AT + timedelta(seconds=300))
    verify(now=SIGNED_AT - timedelta(seconds=300))
    verify(now=SIGNED_AT + timedelta(seconds=1000), max_age=1000)
    # The same instant in another time zone.
    verify(now=(SIGNED_AT + timedelta(seconds=5)).astimezone(timezone(timedelta(hours=-8))))


def test_unsigned_header_may_change() -> None:
    headers = vector_headers()
    headers["X-Forwarded-For"] = ["10.0.0.1"]
    headers["Content-Length"] = ["999"]
    verify(headers=headers)


# --- every kind of rejection ----------------------------------------------------------------------------

REJECTIONS: dict[str, tuple[Callable[[], dict[str, Any]], str, str]] = {
    "body": (lambda: {"body": BODY.replace(b"Apple Pie", b"Apple Tart")}, "mismatch", "does not match"),
    "body empty": (lambda: {"body": b""}, "mismatch", "does not match"),
    "method": (lambda: {"method": "PUT"}, "mismatch", "does not match"),
    "path": (lambda: {"path": URL.path + "/x"}, "mismatch", "does not match"),
    "query": (lambda: {"query": "admin=1"}, "mismatch", "does not match"),
    "signed header": (
        lambda: {"headers": with_header("Gladly-Correlation-Id", ["other"])},
        "mismatch",
        "does not match",
    ),
    "repeated signed header": (
        lambda: {"headers": with_header("Accept", ["application/json", "text/html"])},
        "mismatch",
        "does not match",
    ),
    "time within window": (
        lambda: {"headers": with_header("Gladly-Time", ["20190213T214017Z"])},
        "mismatch",
        "does not match",
    ),
    "signature": (
        lambda: {
            "headers": with_header("Gladly-Authorization", [AUTHORIZATION.replace("Signature=4c", "Signature=5c")])
        },
        "mismatch",
        "does not match",
    ),
    "fewer signed headers": (
        lambda: {
            "headers": with_header("Gladly-Authorization", [AUTHORIZATION.replace("accept;", "")]),
        },
        "mismatch",
        "does not match",
    ),
    "key": (lambda: {"signing_key": "test-apikey-2"}, "mismatch", "does not match"),
    "stale": (lambda: {"now": SIGNED_AT + timedelta(seconds=301)}, "stale", "stale"),
    "future": (lambda: {"now": SIGNED_AT - timedelta(seconds=301)}, "future", "future"),
    "tight window": (lambda: {"max_age": 10}, "stale", "Gladly-Time"),
    "no time": (lambda: {"headers": with_header("Gladly-Time", None)}, "missing_header", "Gladly-Time"),
    "two times": (
        lambda: {"headers": with_header("Gladly-Time", ["20190213T214016Z", "20190213T214016Z"])},
        "malformed_header",
        "more than once",
    ),
    "no authorization": (
        lambda: {"headers": with_header("Gladly-Authorization", None)},
        "missing_header",
        "Gladly-Authorization",
    ),
    "signed header absent": (
        lambda: {"headers": with_header("X-B3-Traceid", None)},
        "missing_header",
        "x-b3-traceid",
    ),
    "algorithm": (
        lambda: {"headers": with_header("Gladly-Authorization", [AUTHORIZATION.replace("hmac-sha256", "hmac-md5")])},
        "unsupported_algorithm",
        "hmac-md5",
    ),
    "time format": (
        lambda: {"headers": with_header("Gladly-Time", ["2019-02-13T21:40:16Z"])},
        "malformed_header",
        "Gladly-Time",
    ),
    "impossible date": (
        lambda: {"headers": with_header("Gladly-Time", ["20191313T214016Z"])},
        "malformed_header",
        "Gladly-Time",
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTIONS))
def test_rejection(case: str) -> None:
    changes, reason, says = REJECTIONS[case]
    with pytest.raises(gladly.GladlySignatureError) as caught:
        verify(**changes())
    assert caught.value.reason == reason
    assert says in str(caught.value)
    assert isinstance(caught.value, OrdergrooveError)
    assert_no_secret(caught.value)


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "garbage",
        f"SigningAlgorithm=hmac-sha256, Signature={SIGNATURE}",
        f"SigningAlgorithm=hmac-sha256, SignedHeaders=, Signature={SIGNATURE}",
        f"SigningAlgorithm=hmac-sha256, SignedHeaders=accept;;gladly-time, Signature={SIGNATURE}",
        f"SigningAlgorithm=hmac-sha256, SignedHeaders=acc ept, Signature={SIGNATURE}",
        f"SignedHeaders={VECTOR['signed_headers']}, Signature={SIGNATURE}",
        AUTHORIZATION + ", Signature=" + SIGNATURE,
        AUTHORIZATION.replace(SIGNATURE, SIGNATURE[:-1]),
        AUTHORIZATION.replace(SIGNATURE, SIGNATURE[:-1] + "g"),
        AUTHORIZATION.replace(", ", " "),
    ],
)
def test_malformed_authorization(authorization: str) -> None:
    with pytest.raises(gladly.GladlySignatureError) as caught:
        verify(headers=with_header("Gladly-Authorization", [authorization]))
    assert caught.value.reason == "malformed_header"
    assert_no_secret(caught.value)


def test_authorization_fields_are_read_in_any_order_and_case() -> None:
    reordered = f"signature={SIGNATURE.upper()},signedheaders={VECTOR['signed_headers']},signingalgorithm=HMAC-SHA256"
    verify(headers=with_header("Gladly-Authorization", [reordered]))


def test_bad_arguments_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        verify(now=datetime(2019, 2, 13, 21, 40, 16))  # naive
    with pytest.raises(ConfigurationError):
        verify(body=BODY.decode())
    with pytest.raises(ConfigurationError):
        verify(signing_key="")
    with pytest.raises(ConfigurationError):
        verify(max_age=-1)


@pytest.mark.parametrize("max_age", [float("nan"), float("inf"), -1, "300", True, None])
def test_verify_refuses_a_max_age_that_is_not_a_finite_number_of_seconds(max_age: Any) -> None:
    # NaN would compare false with every age, and so let any old request through.
    with pytest.raises(ConfigurationError, match="max_age"):
        verify(max_age=max_age)


SURROGATE_KEY = "key-SECRET\ud800"


def assert_not_leaked(error: BaseException, secret: str) -> None:
    """Nowhere in the error, its arguments or the chain of exceptions behind it."""
    assert isinstance(error, OrdergrooveError)
    assert error.__cause__ is None and error.__context__ is None
    for text in (str(error), repr(error), repr(error.args)):
        assert secret not in text
        assert "SECRET" not in text


@pytest.mark.parametrize("operation", ["verify", "sign"])
def test_a_signing_key_without_a_utf8_form_is_refused_without_showing_it(operation: str) -> None:
    with pytest.raises(ConfigurationError, match="signing key") as caught:
        if operation == "verify":
            verify(signing_key=SURROGATE_KEY)
        else:
            gladly.sign_request("POST", "/lookup", "", {}, b"", SURROGATE_KEY)
    assert_not_leaked(caught.value, SURROGATE_KEY)


@pytest.mark.parametrize(
    "changes",
    [
        {"path": "/lookup\ud800"},
        {"query": "a=\ud800"},
        {"headers": {"Authorization": "Basic SECRET\ud800"}},
    ],
)
def test_request_text_without_a_utf8_form_is_a_configuration_error(changes: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"method": "POST", "path": "/lookup", "query": "", "headers": {}, "body": b""}
    arguments |= changes
    with pytest.raises(ConfigurationError, match="not valid Unicode text") as caught:
        gladly.sign_request(**arguments, signing_key="k")
    assert_not_leaked(caught.value, "\ud800")


@pytest.mark.parametrize(("user", "password"), [("gladly", "pw-SECRET\udc80"), ("gladly-SECRET\udc80", "pw")])
def test_basic_auth_credentials_without_a_utf8_form_are_refused_without_showing_them(user: str, password: str) -> None:
    with pytest.raises(ConfigurationError, match="Basic auth") as caught:
        gladly.check_basic_auth(basic("gladly", "pw"), user, password)
    assert_not_leaked(caught.value, "\udc80")


def test_verify_accepts_bytes_key_and_memoryview_body() -> None:
    verify(signing_key=KEY.encode(), body=memoryview(BODY))


# --- sign_request -----------------------------------------------------------------------------------------


def test_sign_request_signs_every_header_plus_time_and_replaces_old_signature_headers() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    headers = {"Content-Type": "application/json", "Gladly-Time": "20000101T000000Z", "Gladly-Authorization": "x"}
    added = gladly.sign_request("post", "/lookup", None, headers, b"{}", "k", now=now)
    assert added["Gladly-Time"] == "20260102T030405Z"
    assert "SignedHeaders=content-type;gladly-time," in added["Gladly-Authorization"]
    gladly.verify_request("POST", "/lookup", "", {**headers, **added}, b"{}", "k", now=now)


def test_sign_request_with_chosen_headers() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    headers = {"Accept": "application/json", "Authorization": "Basic eDp5", "X-Other": "1"}
    added = gladly.sign_request(
        "POST", "/lookup", "", headers, b"", "k", now=now, signed_headers=["authorization", "Accept"]
    )
    assert "SignedHeaders=accept;authorization;gladly-time," in added["Gladly-Authorization"]
    changed = {**headers, **added, "X-Other": "2"}
    gladly.verify_request("POST", "/lookup", "", changed, b"", "k", now=now)
    with pytest.raises(gladly.GladlySignatureError):
        gladly.verify_request("POST", "/lookup", "", {**changed, "Authorization": "Basic eDp6"}, b"", "k", now=now)
    with pytest.raises(ConfigurationError, match="x-missing"):
        gladly.sign_request("POST", "/", "", headers, b"", "k", now=now, signed_headers=["x-missing"])
    with pytest.raises(ConfigurationError, match="valid header name"):
        gladly.sign_request("POST", "/", "", headers, b"", "k", now=now, signed_headers=["a b"])


# --- the canonical query ----------------------------------------------------------------------------------


def test_canonical_query() -> None:
    assert gladly.canonical_query(None) == ""
    assert gladly.canonical_query("") == ""
    assert gladly.canonical_query("?b=2&a=1&a=0") == "a=0&a=1&b=2"
    assert gladly.canonical_query(b"q=a%20b&e") == "e=&q=a+b"
    mixed: dict[str, str | int | list[str]] = {"b": ["2", "1"], "a": 3}
    assert gladly.canonical_query(mixed) == "a=3&b=1&b=2"
    assert gladly.canonical_query([("x", "é/&")]) == "x=%C3%A9%2F%26"


# --- properties ------------------------------------------------------------------------------------------

header_names = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True).filter(
    lambda name: name not in {"gladly-time", "gladly-authorization"}
)
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=0, max_size=30)
query_pairs = st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=5)
request_parts = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]),
        "path": st.from_regex(r"/[A-Za-z0-9/_.-]{0,30}", fullmatch=True),
        "query": query_pairs,
        "headers": st.dictionaries(header_names, header_values, max_size=6),
        "body": st.binary(max_size=300),
    }
)
NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


@settings(max_examples=150, deadline=None)
@given(parts=request_parts, key=st.text(min_size=1, max_size=20), offset=st.integers(-300, 300))
def test_round_trip(parts: dict[str, Any], key: str, offset: int) -> None:
    added = gladly.sign_request(
        parts["method"], parts["path"], parts["query"], parts["headers"], parts["body"], key, now=NOW
    )
    headers = {**parts["headers"], **added}
    now = NOW + timedelta(seconds=offset)
    gladly.verify_request(parts["method"], parts["path"], parts["query"], headers, parts["body"], key, now=now)
    # The raw query string, its pairs in another order, verifies the same.
    raw = urlencode(list(reversed(parts["query"])))
    upper = {name.upper(): value for name, value in headers.items()}
    gladly.verify_request(parts["method"].lower(), parts["path"], raw, upper, parts["body"], key, now=now)


@settings(max_examples=100, deadline=None)
@given(parts=request_parts, other_body=st.binary(max_size=300), data=st.data())
def test_any_tampering_is_detected(parts: dict[str, Any], other_body: bytes, data: st.DataObject) -> None:
    added = gladly.sign_request(
        parts["method"], parts["path"], parts["query"], parts["headers"], parts["body"], "key", now=NOW
    )
    headers = {**parts["headers"], **added}
    tampered = dict(parts, headers=headers)
    what = data.draw(st.sampled_from(["body", "path", "query", "header"]))
    if what == "body":
        if other_body == parts["body"]:
            other_body += b"!"
        tampered["body"] = other_body
    elif what == "path":
        tampered["path"] = parts["path"] + "x"
    elif what == "query":
        tampered["query"] = [*parts["query"], ("extra", "1")]
    else:
        name = data.draw(st.sampled_from(sorted(headers)))
        if name.lower() == "gladly-time":
            tampered["headers"] = {**headers, name: "20261125T120001Z"}
        elif name.lower() == "gladly-authorization":
            tampered["headers"] = {**headers, name: headers[name].replace("Signature=", "Signature=0")[:-1]}
        else:
            tampered["headers"] = {**headers, name: headers[name].strip() + "x"}
    with pytest.raises(gladly.GladlySignatureError):
        gladly.verify_request(
            tampered["method"],
            tampered["path"],
            tampered["query"],
            tampered["headers"],
            tampered["body"],
            "key",
            now=NOW,
        )


@settings(max_examples=300, deadline=None)
@given(authorization=st.text(max_size=200), gladly_time=st.text(max_size=40))
def test_arbitrary_header_text_only_raises_signature_error(authorization: str, gladly_time: str) -> None:
    headers = {"Gladly-Authorization": authorization, "Gladly-Time": gladly_time, "Accept": "x"}
    with pytest.raises(gladly.GladlySignatureError) as caught:
        gladly.verify_request("POST", "/", "", headers, b"", "Z3cr3t-k3y", now=NOW)
    assert "Z3cr3t-k3y" not in str(caught.value)


@settings(max_examples=100, deadline=None)
@given(authorization=st.text(max_size=200))
def test_arbitrary_authorization_with_a_good_time(authorization: str) -> None:
    headers = {"Gladly-Authorization": authorization, "Gladly-Time": "20261125T120000Z"}
    with pytest.raises(gladly.GladlySignatureError):
        gladly.verify_request("POST", "/", "", headers, b"", "key", now=NOW)


# --- Basic auth -----------------------------------------------------------------------------------------


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (basic("gladly", "s3cret:with:colons"), True),
        (basic("gladly", "s3cret:with:colons").replace("Basic", "basic"), True),
        (basic("gladly", "s3cret:with:colons").encode(), True),
        (basic("Gladly", "s3cret:with:colons"), False),
        (basic("gladly", "s3cret:with:colon"), False),
        (basic("gladly", ""), False),
        ("Basic " + base64.b64encode(b"gladlys3cret:with:colons").decode(), False),
        ("Bearer " + base64.b64encode(b"gladly:s3cret:with:colons").decode(), False),
        ("Basic not*base64", False),
        ("Basic ", False),
        ("Basic ï", False),
        ("", False),
        (None, False),
    ],
)
def test_check_basic_auth(header: str | bytes | None, expected: bool) -> None:
    assert gladly.check_basic_auth(header, "gladly", "s3cret:with:colons") is expected


def test_basic_auth_challenge() -> None:
    assert gladly.basic_auth_challenge('Ord"ergroove') == {
        "WWW-Authenticate": 'Basic realm="Ord\\"ergroove", charset="UTF-8"'
    }


def test_basic_auth_needs_the_colon() -> None:
    no_colon = "Basic " + base64.b64encode(b"gladly").decode()
    assert gladly.check_basic_auth(no_colon, "gladly", "") is False
    assert gladly.check_basic_auth(basic("gladly", ""), "gladly", "") is True


def test_repeated_headers_are_signed_as_one_comma_joined_value_whatever_the_container() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    added = gladly.sign_request("POST", "/l", "", {"X-Tag": ["a", " b "]}, b"", "k", now=now)
    pairs = [("X-Tag", "a"), ("x-tag", "b"), *added.items()]
    raw = [(name.lower().encode(), value.encode()) for name, value in pairs]
    for headers in (httpx.Headers(pairs), StarletteHeaders(raw=raw), raw, pairs, {"x-tag": "a,b", **added}):
        gladly.verify_request("POST", "/l", "", headers, b"", "k", now=now)
    with pytest.raises(gladly.GladlySignatureError):
        gladly.verify_request("POST", "/l", "", [*pairs, ("X-Tag", "c")], b"", "k", now=now)
    with pytest.raises(gladly.GladlySignatureError):
        gladly.verify_request("POST", "/l", "", {"x-tag": "b,a", **added}, b"", "k", now=now)

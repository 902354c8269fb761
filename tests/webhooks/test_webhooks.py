"""Webhook signatures (verify, sign, construct_event) and the Deduplicator."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from typing import Any

import pytest
from assertions import assert_secret_absent, until_set
from hypothesis import given, settings
from hypothesis import strategies as st

from ordergroove import webhooks
from ordergroove.errors import ConfigurationError, OrdergrooveError, WebhookVerificationError

KEY = "whsec-test-3f9a1c"
OLD_KEY = "whsec-old-77d0b2"
TS = 1_700_000_000
BODY = json.dumps(
    {
        "id": "evt_1",
        "type": "subscription.cancel",
        "created": TS,
        "data": {"object": {"public_id": "s1", "customer": "c1", "product": "p1", "live": False}},
    }
).encode()


def hmac_sha256_by_hand(key: bytes, message: bytes) -> str:
    """RFC 2104 spelled out with hashlib alone, as an independent check of the library's use of ``hmac``."""
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key) + message).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in key) + inner).hexdigest()


def expected_sig(key: str, ts: int | str, body: bytes) -> str:
    return hmac.new(key.encode("ascii"), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()


def header(ts: int | str, *sigs: str) -> str:
    return ",".join([f"ts={ts}", *(f"sig={s}" for s in sigs)])


def test_first_principles_vector_agrees_with_hand_written_hmac() -> None:
    assert expected_sig(KEY, TS, BODY) == hmac_sha256_by_hand(KEY.encode(), f"{TS}.".encode() + BODY)
    long_key = "k" * 100  # longer than SHA-256's block: hashed first
    assert expected_sig(long_key, TS, BODY) == hmac_sha256_by_hand(long_key.encode(), f"{TS}.".encode() + BODY)


def test_verify_accepts_a_signature_computed_from_first_principles() -> None:
    webhooks.verify(BODY, header(TS, expected_sig(KEY, TS, BODY)), KEY, now=TS)


def test_verify_accepts_the_body_as_text_too() -> None:
    webhooks.verify(BODY.decode(), header(TS, expected_sig(KEY, TS, BODY)), KEY, now=TS)


def test_sign_gives_the_header_ordergroove_sends() -> None:
    assert webhooks.sign(BODY, KEY, timestamp=TS) == f"ts={TS},sig={expected_sig(KEY, TS, BODY)}"
    # A fractional timestamp is sent as whole seconds.
    assert webhooks.sign(BODY, KEY, timestamp=TS + 0.9) == f"ts={TS},sig={expected_sig(KEY, TS, BODY)}"


def test_sign_defaults_to_the_current_time_and_verifies() -> None:
    signed = webhooks.sign(BODY, KEY)
    webhooks.verify(BODY, signed, KEY)  # now defaults to the current time as well


@pytest.mark.parametrize("order", ["new-first", "old-first"])
def test_rotation_either_signature_may_match(order: str) -> None:
    new, old = expected_sig(KEY, TS, BODY), expected_sig(OLD_KEY, TS, BODY)
    sigs = (new, old) if order == "new-first" else (old, new)
    webhooks.verify(BODY, header(TS, *sigs), KEY, now=TS)
    webhooks.verify(BODY, header(TS, *sigs), OLD_KEY, now=TS)
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(BODY, header(TS, *sigs), "a-third-key", now=TS)


def test_tampered_body_is_refused() -> None:
    tampered = BODY.replace(b"subscription.cancel", b"subscription.create")
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(tampered, header(TS, expected_sig(KEY, TS, BODY)), KEY, now=TS)


def test_one_extra_byte_is_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(BODY + b"\n", header(TS, expected_sig(KEY, TS, BODY)), KEY, now=TS)


def test_wrong_key_is_refused() -> None:
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(BODY, header(TS, expected_sig("another-key", TS, BODY)), KEY, now=TS)


def test_the_timestamp_is_part_of_what_is_signed() -> None:
    # A valid signature moved onto a fresher timestamp (a replay made to look new) does not match.
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(BODY, header(TS + 100, expected_sig(KEY, TS, BODY)), KEY, now=TS + 100)


def test_timestamp_is_used_exactly_as_sent() -> None:
    # Leading zeros are part of the signed text, so the signature must be over them.
    webhooks.verify(BODY, header(f"0{TS}", expected_sig(KEY, f"0{TS}", BODY)), KEY, now=TS)
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(BODY, header(f"0{TS}", expected_sig(KEY, TS, BODY)), KEY, now=TS)


@pytest.mark.parametrize(
    ("delta", "ok"),
    [(0, True), (300, True), (-300, True), (301, False), (-301, False), (86_400, False), (-86_400, False)],
)
def test_default_tolerance_is_five_minutes_both_ways(delta: int, ok: bool) -> None:
    signed = header(TS, expected_sig(KEY, TS, BODY))
    if ok:
        webhooks.verify(BODY, signed, KEY, now=TS + delta)
    else:
        with pytest.raises(WebhookVerificationError, match="old" if delta > 0 else "future"):
            webhooks.verify(BODY, signed, KEY, now=TS + delta)


def test_stale_and_future_messages_say_how_far_off() -> None:
    signed = header(TS, expected_sig(KEY, TS, BODY))
    with pytest.raises(WebhookVerificationError) as stale:
        webhooks.verify(BODY, signed, KEY, now=TS + 1000)
    assert str(stale.value) == "webhook timestamp is 1000 seconds old, more than the tolerance of 300 seconds"
    with pytest.raises(WebhookVerificationError) as future:
        webhooks.verify(BODY, signed, KEY, now=TS - 1000, tolerance=60)
    assert "1000 seconds in the future" in str(future.value)
    assert "tolerance of 60 seconds" in str(future.value)


def test_custom_tolerance() -> None:
    signed = header(TS, expected_sig(KEY, TS, BODY))
    webhooks.verify(BODY, signed, KEY, now=TS + 3000, tolerance=3600)
    webhooks.verify(BODY, signed, KEY, now=TS, tolerance=0)
    with pytest.raises(WebhookVerificationError, match="old"):
        webhooks.verify(BODY, signed, KEY, now=TS + 1, tolerance=0)


def test_signature_is_checked_before_the_timestamp() -> None:
    # A forgery is reported as a forgery even when its timestamp is also stale.
    with pytest.raises(WebhookVerificationError, match="does not match"):
        webhooks.verify(BODY, header(TS, "0" * 64), KEY, now=TS + 10_000)


GOOD = expected_sig(KEY, TS, BODY)
# Digits to str.isdigit() and int(), but not unix seconds as Ordergroove writes them.
ARABIC_INDIC_TS = "\u0661\u0667" + "\u0660" * 8


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (f"ts={TS}", "no sig="),
        (f"sig={GOOD}", "no ts="),
        (f"ts=abc,sig={GOOD}", "not unix seconds"),
        (f"ts=,sig={GOOD}", "not unix seconds"),
        (f"ts=-{TS},sig={GOOD}", "not unix seconds"),
        (f"ts={TS}.5,sig={GOOD}", "not unix seconds"),
        (f"ts=1e9,sig={GOOD}", "not unix seconds"),
        (f"ts={ARABIC_INDIC_TS},sig={GOOD}", "not unix seconds"),
        (f"ts={'9' * 40},sig={GOOD}", "not unix seconds"),
        (f"ts={TS},ts={TS},sig={GOOD}", "more than one ts="),
        (f"ts={TS},sig=", "not a 64-digit hex"),
        (f"ts={TS},sig={GOOD[:-1]}", "not a 64-digit hex"),
        (f"ts={TS},sig={GOOD}0", "not a 64-digit hex"),
        (f"ts={TS},sig={'z' * 64}", "not a 64-digit hex"),
        (f"ts={TS},sig={GOOD[:32]} {GOOD[32:]}", "not a 64-digit hex"),
        (f"ts={TS};sig={GOOD}", "not unix seconds"),
        (f"ts={TS} sig={GOOD}", "not unix seconds"),
        ("garbage", "name=value"),
        (f"{TS},{GOOD}", "name=value"),
        (f"t={TS},s={GOOD}", "no ts="),
        ("ts=1,sig=" + ",sig=".join([GOOD] * 9), "too many sig="),
        (f"ts={TS},sig={GOOD}," + "x" * 3000, "too long"),
        ("\x00\x01", "name=value"),
    ],
)
def test_malformed_headers(value: str, reason: str) -> None:
    with pytest.raises(WebhookVerificationError, match=reason) as caught:
        webhooks.verify(BODY, value, KEY, now=TS)
    assert str(caught.value).startswith("malformed Ordergroove-Signature header: ")


def test_header_that_is_not_text_is_malformed() -> None:
    with pytest.raises(WebhookVerificationError, match="not a string"):
        webhooks.verify(BODY, None, KEY, now=TS)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        f"ts={TS}, sig={GOOD}",
        f" ts = {TS} ,  sig = {GOOD} ",
        f"ts={TS},sig={GOOD.upper()}",
        f"TS={TS},SIG={GOOD}",
        f"sig={GOOD},ts={TS}",
        f"ts={TS},sig={GOOD},",
        f"ts={TS},v2=something-new,sig={GOOD}",
        f"ts={TS},sig={'0' * 64},sig={GOOD}",
        f"ts={TS}\t,\tsig={GOOD}",
    ],
)
def test_header_variants_that_are_accepted(value: str) -> None:
    webhooks.verify(BODY, value, KEY, now=TS)


def _failures() -> list[tuple[str, str, bytes, float]]:
    """(header, key, body, now) for each kind of failure, all signed with secrets that must not leak."""
    received = expected_sig("received-signature-key", TS, BODY)
    stale_sig = expected_sig(KEY, TS, BODY)
    return [
        (header(TS, received), KEY, BODY, TS),  # no match
        (header(TS, received, expected_sig(OLD_KEY, TS, BODY)), KEY, BODY, TS),  # no match, two sigs
        (header(TS, stale_sig), KEY, BODY, TS + 1000),  # stale
        (header(TS, stale_sig), KEY, BODY, TS - 1000),  # future
        (f"ts=x,sig={received}", KEY, BODY, TS),  # malformed ts
        (f"ts={TS},sig={received[:-2]}", KEY, BODY, TS),  # malformed sig
        (f"ts={TS},ts={TS},sig={received}", KEY, BODY, TS),
    ]


@pytest.mark.parametrize("case", _failures())
def test_no_failure_reveals_the_key_or_any_signature(case: tuple[str, str, bytes, float]) -> None:
    value, key, body, now = case
    with pytest.raises(WebhookVerificationError) as caught:
        webhooks.verify(body, value, key, now=now)
    error = caught.value
    received = [part.split("=", 1)[1] for part in value.split(",") if part.startswith("sig=")]
    secrets = [key, OLD_KEY, expected_sig(key, TS, body), *received]
    for text in (str(error), repr(error), error.message, *map(str, error.args)):
        for secret in secrets:
            assert secret not in text
            assert secret[:16] not in text  # not even a prefix
    assert isinstance(error, OrdergrooveError)


@settings(max_examples=300)
@given(value=st.text(max_size=300))
def test_property_arbitrary_header_text_only_ever_raises_webhook_verification_error(value: str) -> None:
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(BODY, value, KEY, now=TS)


@settings(max_examples=200)
@given(
    ts=st.one_of(st.integers(min_value=-(10**20), max_value=10**20).map(str), st.text(max_size=20)),
    sigs=st.lists(st.one_of(st.text(max_size=70), st.from_regex(r"[0-9a-f]{64}", fullmatch=True)), max_size=10),
    sep=st.sampled_from([",", ", ", " , ", ";"]),
)
def test_property_structured_headers_without_a_valid_signature_are_refused(ts: str, sigs: list[str], sep: str) -> None:
    value = sep.join([f"ts={ts}", *(f"sig={s}" for s in sigs)])
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(BODY, value, KEY, now=TS)


@settings(max_examples=100)
@given(body=st.binary(max_size=500), key=st.text(min_size=1, max_size=80), ts=st.integers(0, 2**40))
def test_property_sign_then_verify_round_trips(body: bytes, key: str, ts: int) -> None:
    signed = webhooks.sign(body, key, timestamp=ts)
    webhooks.verify(body, signed, key, now=ts)
    assert signed == f"ts={ts},sig={hmac_sha256_by_hand(key.encode(), f'{ts}.'.encode() + body)}"
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(body + b"x", signed, key, now=ts)


@pytest.mark.parametrize("key", ["", None, b"bytes-key"])
def test_an_unusable_key_is_a_configuration_error(key: object) -> None:
    with pytest.raises(ConfigurationError):
        webhooks.verify(BODY, header(TS, GOOD), key, now=TS)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        webhooks.sign(BODY, key)  # type: ignore[arg-type]


UNENCODABLE_KEY = "whsec-test-3f9a1c-\ud800-SECRET"


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: webhooks.sign(BODY, UNENCODABLE_KEY, timestamp=TS), id="sign"),
        pytest.param(lambda: webhooks.verify(BODY, header(TS, GOOD), UNENCODABLE_KEY, now=TS), id="verify"),
        pytest.param(lambda: webhooks.construct_event(BODY, header(TS, GOOD), UNENCODABLE_KEY, now=TS), id="construct"),
        pytest.param(lambda: webhooks.asgi_receiver(UNENCODABLE_KEY, lambda event: None), id="receiver"),
    ],
)
def test_a_key_that_is_not_valid_unicode_is_refused_without_showing_it(call: Any) -> None:
    with pytest.raises(ConfigurationError, match="key") as caught:
        call()
    assert_secret_absent(caught.value, UNENCODABLE_KEY)


def test_a_text_payload_that_is_not_valid_unicode_is_a_configuration_error() -> None:
    body = BODY.decode() + "\udcff"
    with pytest.raises(ConfigurationError, match="payload"):
        webhooks.sign(body, KEY, timestamp=TS)
    with pytest.raises(ConfigurationError, match="payload") as caught:
        webhooks.verify(body, header(TS, GOOD), KEY, now=TS)
    assert_secret_absent(caught.value, KEY)


@pytest.mark.parametrize("tolerance", [-1, float("nan"), "300", True])
def test_an_unusable_tolerance_is_a_configuration_error(tolerance: object) -> None:
    with pytest.raises(ConfigurationError):
        webhooks.verify(BODY, header(TS, GOOD), KEY, now=TS, tolerance=tolerance)  # type: ignore[arg-type]


def test_a_payload_that_is_not_bytes_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="raw body"):
        webhooks.verify({"id": "x"}, header(TS, GOOD), KEY, now=TS)  # type: ignore[arg-type]


# -- construct_event --------------------------------------------------------------------------------------


def test_construct_event_verifies_then_parses() -> None:
    event = webhooks.construct_event(BODY, header(TS, GOOD), KEY, now=TS)
    assert (event.id, event.type) == ("evt_1", "subscription.cancel")


def test_construct_event_refuses_a_bad_signature_before_parsing() -> None:
    with pytest.raises(WebhookVerificationError):
        webhooks.construct_event(b"not json", header(TS, GOOD), KEY, now=TS)


def test_construct_event_refuses_a_signed_body_that_is_not_an_event() -> None:
    body = b"[1, 2, 3]"
    with pytest.raises(webhooks.WebhookPayloadError):
        webhooks.construct_event(body, webhooks.sign(body, KEY, timestamp=TS), KEY, now=TS)


def test_construct_event_passes_tolerance_through() -> None:
    signed = webhooks.sign(BODY, KEY, timestamp=TS)
    with pytest.raises(WebhookVerificationError, match="old"):
        webhooks.construct_event(BODY, signed, KEY, now=TS + 100, tolerance=10)
    assert webhooks.construct_event(BODY, signed, KEY, now=TS + 100, tolerance=200).id == "evt_1"


# -- Deduplicator -----------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_deduplicator_reports_repeats() -> None:
    dedup = webhooks.Deduplicator()
    assert dedup.seen("evt_1") is False
    assert dedup.seen("evt_1") is True
    assert dedup.seen("evt_2") is False
    assert dedup.seen("evt_1") is True
    assert len(dedup) == 2


def test_deduplicator_memory_is_bounded_and_forgets_the_least_recently_seen() -> None:
    dedup = webhooks.Deduplicator(max_size=3)
    for event_id in ("a", "b", "c"):
        assert not dedup.seen(event_id)
    assert dedup.seen("a")  # a is now the most recently seen; b the least
    assert not dedup.seen("d")  # evicts b
    assert len(dedup) == 3
    assert "b" not in dedup
    assert "a" in dedup and "c" in dedup and "d" in dedup
    assert not dedup.seen("b")


def test_deduplicator_memory_stays_bounded_under_many_ids() -> None:
    dedup = webhooks.Deduplicator(max_size=100)
    for i in range(10_000):
        dedup.seen(f"evt_{i}")
    assert len(dedup) == 100
    assert "evt_9999" in dedup and "evt_9899" not in dedup


def test_deduplicator_ttl_forgets_ids_not_seen_for_that_long() -> None:
    clock = FakeClock()
    dedup = webhooks.Deduplicator(ttl=60, clock=clock)
    assert not dedup.seen("a")
    clock.now += 30
    assert not dedup.seen("b")
    clock.now += 29.5
    assert dedup.seen("a")  # seen again at +59.5: remembered, and its clock restarts
    clock.now += 59
    assert "a" in dedup
    assert "b" not in dedup  # last seen 59 + 29.5 seconds ago
    assert len(dedup) == 1
    clock.now += 1
    assert not dedup.seen("a")


def test_deduplicator_contains_does_not_record() -> None:
    dedup = webhooks.Deduplicator()
    assert "x" not in dedup
    assert not dedup.seen("x")


def test_deduplicator_forget_and_clear() -> None:
    dedup = webhooks.Deduplicator()
    dedup.seen("a")
    dedup.seen("b")
    dedup.forget("a")
    dedup.forget("never-seen")
    assert not dedup.seen("a")
    dedup.clear()
    assert len(dedup) == 0
    assert "max_size=10000" in repr(dedup) and "remembered=0" in repr(dedup)


def test_deduplicator_claims_mark_an_event_seen_only_once_it_is_complete() -> None:
    dedup = webhooks.Deduplicator()
    assert dedup.claim("evt_1") == "new"
    assert dedup.claim("evt_1") == "in_progress"  # a concurrent delivery must not handle it too
    assert dedup.seen("evt_1") is True  # the one-step form takes it for a repeat as well
    assert "evt_1" not in dedup and len(dedup) == 0  # in progress, not yet handled
    dedup.complete("evt_1")
    assert "evt_1" in dedup
    assert dedup.claim("evt_1") == "duplicate"


def test_deduplicator_release_lets_the_next_delivery_handle_the_event() -> None:
    dedup = webhooks.Deduplicator()
    assert dedup.claim("evt_1") == "new"
    dedup.release("evt_1")
    assert "evt_1" not in dedup
    assert dedup.claim("evt_1") == "new"


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt, asyncio.CancelledError])
def test_deduplicator_handling_releases_the_event_when_the_work_is_interrupted(
    interruption: type[BaseException],
) -> None:
    dedup = webhooks.Deduplicator()
    with pytest.raises(interruption), dedup.handling("evt_1") as claim:
        assert claim == "new"
        raise interruption()
    # Neither an exception nor a cancellation (a BaseException) leaves the event marked as handled.
    assert "evt_1" not in dedup
    with dedup.handling("evt_1") as claim:
        assert claim == "new"
    with dedup.handling("evt_1") as claim:
        assert claim == "duplicate"


async def test_deduplicator_handling_in_a_cancelled_task_releases_the_event() -> None:
    dedup = webhooks.Deduplicator()
    entered = asyncio.Event()

    async def handle() -> None:
        with dedup.handling("evt_1") as claim:
            assert claim == "new"
            entered.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(handle())
    await until_set(entered, task)
    assert dedup.claim("evt_1") == "in_progress"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert dedup.claim("evt_1") == "new"


def test_deduplicator_is_thread_safe() -> None:
    dedup = webhooks.Deduplicator(max_size=100_000)
    ids = [f"evt_{i}" for i in range(2000)]
    first_sightings: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        mine = [event_id for event_id in ids if not dedup.seen(event_id)]
        with lock:
            first_sightings.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each id is new to exactly one thread, however the threads interleave.
    assert sorted(first_sightings) == sorted(ids)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_size": 0}, {"max_size": -5}, {"max_size": 1.5}, {"ttl": 0}, {"ttl": -1}, {"ttl": float("nan")}],
)
def test_deduplicator_refuses_unusable_bounds(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        webhooks.Deduplicator(**kwargs)  # type: ignore[arg-type]

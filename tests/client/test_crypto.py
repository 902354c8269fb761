"""Ordergroove's AES field encryption: the shared vectors, round trips, and errors that never leak."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordergroove.crypto import FieldEncryptionError, decrypt_field, encrypt_field
from ordergroove.errors import ConfigurationError, OrdergrooveError

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "ordergroove_aes.json").read_text("utf-8"))
KEY: str = VECTORS["hash_key"]
OTHER_KEY = "0123456789abcdef0123456789ABCDEF"


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["plaintext"])
def test_vectors_encrypt(vector: dict[str, str]) -> None:
    assert encrypt_field(vector["plaintext"], KEY) == vector["ciphertext_base64"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["plaintext"])
def test_vectors_decrypt(vector: dict[str, str]) -> None:
    assert decrypt_field(vector["ciphertext_base64"], KEY) == vector["plaintext"]


@pytest.mark.parametrize(("length", "blocks"), [(0, 2), (1, 2), (31, 2), (32, 4), (33, 4), (64, 6)])
def test_padding_goes_to_the_next_multiple_of_32(length: int, blocks: int) -> None:
    raw = base64.b64decode(encrypt_field("x" * length, KEY))
    assert len(raw) == blocks * 16


def test_padding_is_curly_braces_under_aes_ecb() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    raw = base64.b64decode(encrypt_field("4111", KEY))
    decryptor = Cipher(algorithms.AES(KEY.encode()), modes.ECB()).decryptor()
    assert decryptor.update(raw) + decryptor.finalize() == b"4111" + b"{" * 28


def test_non_ascii_is_padded_by_bytes() -> None:
    text = "Zoë Ñúñez 😀" + "é" * 10
    raw = base64.b64decode(encrypt_field(text, KEY))
    assert len(raw) % 32 == 0 and len(raw) > len(text.encode())
    assert decrypt_field(encrypt_field(text, KEY), KEY) == text


@given(st.text().filter(lambda s: not s.endswith("{")))
def test_round_trip(text: str) -> None:
    assert decrypt_field(encrypt_field(text, KEY), KEY) == text


@given(st.text(), st.text(min_size=32, max_size=32, alphabet=st.characters(max_codepoint=127)))
def test_round_trip_any_key_or_refused(text: str, key: str) -> None:
    try:
        encrypted = encrypt_field(text, key)
    except FieldEncryptionError:
        assert text.endswith("{") or any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    else:
        assert decrypt_field(encrypted, key) == text


def test_a_key_of_32_utf8_bytes_not_32_characters() -> None:
    key = "é" * 16  # 16 characters, 32 bytes
    assert decrypt_field(encrypt_field("01/2030", key), key) == "01/2030"
    with pytest.raises(FieldEncryptionError, match="32 bytes"):
        encrypt_field("01/2030", "é" * 32)


@pytest.mark.parametrize("key", ["", "short", KEY + "x", KEY[:-1], "\udc80" * 32])
def test_bad_key_is_refused_without_showing_it(key: str) -> None:
    calls: list[Callable[[], str]] = [
        lambda: encrypt_field("4111111111111111", key),
        lambda: decrypt_field("A" * 44, key),
    ]
    for call in calls:
        with pytest.raises(FieldEncryptionError) as info:
            call()
        message = str(info.value)
        assert "hash key" in message
        if key:
            assert key not in message and repr(key) not in message
        assert "4111111111111111" not in message


def test_error_is_a_configuration_error_and_a_value_error() -> None:
    assert issubclass(FieldEncryptionError, ConfigurationError)
    assert issubclass(FieldEncryptionError, OrdergrooveError)
    assert issubclass(FieldEncryptionError, ValueError)


def test_plaintext_ending_with_brace_is_refused() -> None:
    with pytest.raises(FieldEncryptionError, match="ends with") as info:
        encrypt_field("secret-holder{", KEY)
    assert "secret-holder" not in str(info.value)


def test_lone_surrogate_plaintext_is_refused() -> None:
    with pytest.raises(FieldEncryptionError, match="surrogate"):
        encrypt_field("ab\ud800", KEY)


@pytest.mark.parametrize(
    ("ciphertext", "reason"),
    [
        ("not base64!!", "Base64"),
        ("pWseSIJPZbFHTRdxfjXQgA zDFDlnWL9lCXQ/q5nFNdk=", "Base64"),  # whitespace inside
        ("pWseSIJPZbFHTRdxfjXQgAzDFDlnWL9lCXQ/q5nFNdk", "Base64"),  # padding missing
        ("pWseSIJPZbFHTRdxfjXQgAzDFDlnWL9lCXQ_q5nFNdk=", "Base64"),  # URL-safe alphabet
        ("Zoë=", "Base64"),
        ("", "AES blocks"),
        (base64.b64encode(b"x" * 15).decode(), "AES blocks"),
        (base64.b64encode(b"x" * 33).decode(), "AES blocks"),
    ],
)
def test_bad_ciphertext_is_refused_without_showing_it(ciphertext: str, reason: str) -> None:
    with pytest.raises(FieldEncryptionError, match=reason) as info:
        decrypt_field(ciphertext, KEY)
    if ciphertext:
        assert ciphertext not in str(info.value)
    assert KEY not in str(info.value)
    # Nothing chained that could quote the input in a traceback.
    assert info.value.__cause__ is None
    assert info.value.__context__ is None or info.value.__suppress_context__


def test_wrong_key_is_refused() -> None:
    # Decrypted under another key, the blocks of 'something' are noise without the '{' padding.
    ciphertext = VECTORS["vectors"][0]["ciphertext_base64"]
    with pytest.raises(FieldEncryptionError, match="does not decrypt with this hash key") as info:
        decrypt_field(ciphertext, OTHER_KEY)
    assert "something" not in str(info.value) and OTHER_KEY not in str(info.value)


def test_wrong_key_that_decrypts_to_invalid_utf8_is_refused() -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    # Build a ciphertext whose plaintext ends with '{' but is not UTF-8, as a wrong key could yield.
    encryptor = Cipher(algorithms.AES(KEY.encode()), modes.ECB()).encryptor()
    raw = encryptor.update(b"\xff\xfe" + b"{" * 30) + encryptor.finalize()
    with pytest.raises(FieldEncryptionError, match="UTF-8") as info:
        decrypt_field(base64.b64encode(raw).decode(), KEY)
    assert info.value.__suppress_context__


def test_non_str_arguments_are_refused() -> None:
    with pytest.raises(FieldEncryptionError, match="plaintext must be a str"):
        encrypt_field(b"01/2030", KEY)  # type: ignore[arg-type]
    with pytest.raises(FieldEncryptionError, match="ciphertext must be a str"):
        decrypt_field(b"AAAA", KEY)  # type: ignore[arg-type]
    with pytest.raises(FieldEncryptionError, match="hash key must be a str") as info:
        encrypt_field("01/2030", KEY.encode())  # type: ignore[arg-type]
    assert KEY not in str(info.value)


def test_missing_cryptography_gives_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    # A None entry in sys.modules makes the import fail as if the package were not installed.
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.ciphers", None)
    with pytest.raises(ImportError, match=r'pip install "ordergroove\[checkout\]"'):
        encrypt_field("01/2030", KEY)


def test_importing_ordergroove_does_not_import_cryptography() -> None:
    code = (
        "import sys, ordergroove, ordergroove.crypto\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'cryptography'], 'loaded early'\n"
        "ordergroove.crypto.encrypt_field('x', 'k' * 32)\n"
        "assert 'cryptography' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

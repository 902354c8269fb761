"""Ordergroove's field encryption for the card fields of a Purchase POST.

``cc_exp_date``, ``cc_holder`` and ``cc_number`` are sent encrypted with the merchant's 32-character hash
key: AES-256 in ECB mode over the UTF-8 text right-padded with ``{`` to the next multiple of 32 bytes (a
value whose length is already a multiple of 32 gets 32 more), then standard Base64. ECB and this padding are
Ordergroove's choice, not ours: the recipe is reproduced exactly so that Ordergroove can decrypt it.

The AES itself comes from the ``cryptography`` package (the ``checkout`` extra). It is imported on first
use, so ``import ordergroove`` does not pay for it.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from .errors import FieldEncryptionError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers import Cipher, modes

__all__ = ["FieldEncryptionError", "decrypt_field", "encrypt_field"]

_KEY_BYTES = 32
_PAD_TO = 32
_PAD = b"{"
_AES_BLOCK = 16


def _cipher(hash_key: str) -> Cipher[modes.ECB]:
    if not isinstance(hash_key, str):
        raise FieldEncryptionError(f"the hash key must be a str, not {type(hash_key).__name__}")
    try:
        key = hash_key.encode("utf-8")
    except UnicodeEncodeError:
        raise FieldEncryptionError("the hash key is not valid Unicode text (it holds a lone surrogate)") from None
    if len(key) != _KEY_BYTES:
        # The length is what the user needs to fix the key, and says next to nothing about it.
        raise FieldEncryptionError(
            f"the hash key must be {_KEY_BYTES} bytes (UTF-8) for AES-256, but it is {len(key)} bytes; "
            "use the 32-character hash key Ordergroove gave the merchant"
        )
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    except ImportError as exc:
        raise ImportError(
            'Ordergroove field encryption needs the "cryptography" package: pip install "ordergroove[checkout]"'
        ) from exc
    # ECB is what Ordergroove decrypts with: each field stands alone and there is no IV to send.
    return Cipher(algorithms.AES(key), modes.ECB())


def encrypt_field(plaintext: str, hash_key: str) -> str:
    """Encrypt one card field (``cc_exp_date``, ``cc_holder``, ``cc_number``) as Ordergroove expects it.

    Returns the Base64 text to put in the Purchase POST. Raises :class:`FieldEncryptionError` when the key
    is not 32 bytes, or when the value ends with ``{`` (decryption strips trailing ``{``, so such a value
    would arrive changed).
    """
    if not isinstance(plaintext, str):
        raise FieldEncryptionError(f"the plaintext must be a str, not {type(plaintext).__name__}")
    encryptor = _cipher(hash_key).encryptor()
    try:
        data = plaintext.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a badly decoded source): `from None`, the error would quote the value.
        raise FieldEncryptionError("the value is not valid Unicode text (it holds a lone surrogate)") from None
    if data.endswith(_PAD):
        raise FieldEncryptionError(
            "the value ends with '{', which the padding strips on decryption: it cannot be sent encrypted"
        )
    data += _PAD * (_PAD_TO - len(data) % _PAD_TO)
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


def decrypt_field(ciphertext: str, hash_key: str) -> str:
    """Decrypt a field encrypted with :func:`encrypt_field` (or by Ordergroove) and return its text.

    Raises :class:`FieldEncryptionError` when the key is not 32 bytes, or the ciphertext is not Base64, not
    a whole number of AES blocks, or does not decrypt with this key to ``{``-padded UTF-8 text.
    """
    if not isinstance(ciphertext, str):
        raise FieldEncryptionError(f"the ciphertext must be a str, not {type(ciphertext).__name__}")
    decryptor = _cipher(hash_key).decryptor()
    try:
        raw = base64.b64decode(ciphertext.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        # `from None`: the underlying messages can quote parts of the input.
        raise FieldEncryptionError("the ciphertext is not standard Base64") from None
    if not raw or len(raw) % _AES_BLOCK:
        raise FieldEncryptionError(
            f"the ciphertext is {len(raw)} bytes once Base64-decoded, not a whole number of "
            f"{_AES_BLOCK}-byte AES blocks"
        )
    padded = decryptor.update(raw) + decryptor.finalize()
    # Encryption always adds at least one '{': without it, the block was made with another key.
    if not padded.endswith(_PAD):
        raise FieldEncryptionError("the ciphertext does not decrypt with this hash key (no '{' padding)")
    try:
        return padded.rstrip(_PAD).decode("utf-8")
    except UnicodeDecodeError:
        raise FieldEncryptionError("the ciphertext does not decrypt with this hash key to UTF-8 text") from None

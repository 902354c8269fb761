"""Uploading the feed by SFTP, atomically: a temporary name in /incoming/, then a rename over the real one.

paramiko (the ``feed`` extra) is imported on first use, so ``import ordergroove`` does not pay for it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..errors import ConfigurationError, FeedUploadError

if TYPE_CHECKING:
    import paramiko

__all__ = ["FEED_DIRECTORY", "FEED_HOSTS", "FeedUploadError", "upload_product_feed"]

#: Ordergroove's SFTP hosts by environment; ``upload_product_feed(host=...)`` also takes these names.
FEED_HOSTS: Mapping[str, str] = MappingProxyType(
    {"production": "feeds.ordergroove.com", "staging": "staging.feeds.ordergroove.com"}
)
FEED_DIRECTORY = "/incoming"
# Merchant ids are short hex/alphanumeric strings; anything else could leave /incoming/.
_MERCHANT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")


def _host_key(key: str | paramiko.PKey) -> paramiko.PKey:
    import paramiko  # loaded already by upload_product_feed
    from paramiko.pkey import UnknownKeyType

    if isinstance(key, paramiko.PKey):
        return key
    fields = key.split()
    # "ssh-ed25519 AAAA...", as in known_hosts or ssh-keyscan output, with or without the host name first.
    if len(fields) >= 3 and not fields[0].startswith(("ssh-", "ecdsa-")):
        fields = fields[1:]
    try:
        return paramiko.PKey.from_type_string(fields[0], base64.b64decode(fields[1], validate=True))
    except (IndexError, binascii.Error, paramiko.SSHException, UnknownKeyType, ValueError) as exc:
        raise ConfigurationError(
            'host_key must be an SSH public key line such as "ssh-ed25519 AAAA..." (as ssh-keyscan prints it)'
        ) from exc


def upload_product_feed(
    path: str | os.PathLike[str],
    *,
    merchant_id: str,
    host: str = FEED_HOSTS["production"],
    username: str,
    password: str,
    port: int = 22,
    host_key: str | paramiko.PKey | None = None,
    known_hosts: str | os.PathLike[str] | None = None,
    timeout: float = 30.0,
) -> str:
    """Upload the feed file at ``path`` to ``/incoming/<merchant_id>.Products.xml`` by SFTP; return that path.

    ``host`` is a host name, or ``"production"`` / ``"staging"`` for Ordergroove's (see ``FEED_HOSTS``).
    The file goes to a temporary name in ``/incoming/`` first and is renamed over the final name only when
    it is complete, so Ordergroove never picks up half a feed. On failure the temporary file is removed
    (when the connection still allows it) and :class:`FeedUploadError` is raised.

    The server's host key is checked: pass ``host_key`` (the line ``ssh-keyscan`` prints, or a
    ``paramiko.PKey``), or have it in ``known_hosts`` or ``~/.ssh/known_hosts``. An unknown or different key
    is refused, since the password would otherwise go to whoever answers.
    """
    try:
        import paramiko as pm
    except ImportError as exc:
        raise ImportError(
            'Uploading the product feed needs the "paramiko" package: pip install "ordergroove[feed]"'
        ) from exc

    local = Path(path)
    if not local.is_file():
        raise ConfigurationError(f"the feed file {str(local)!r} does not exist or is not a file")
    if not isinstance(merchant_id, str) or not _MERCHANT_ID.fullmatch(merchant_id):
        raise ConfigurationError("merchant_id must be letters, digits, '-' or '_' (Ordergroove's merchant id)")
    if not username or not password:
        raise ConfigurationError("the SFTP username and password are required (Ordergroove sends them)")
    host = FEED_HOSTS.get(host, host)
    name = f"{merchant_id}.Products.xml"
    final = f"{FEED_DIRECTORY}/{name}"
    temporary = f"{FEED_DIRECTORY}/.{name}.{secrets.token_hex(8)}.part"
    expected = None if host_key is None else _host_key(host_key)

    def fail(what: str, exc: BaseException | None = None) -> FeedUploadError:
        detail = f": {type(exc).__name__}: {exc}" if exc is not None and str(exc) else ""
        # paramiko's messages do not quote passwords; replacing is the belt to those braces.
        message = f"SFTP upload of {local.name} to {host}:{port}{final} failed: {what}{detail}"
        return FeedUploadError(message.replace(password, "***"), host=host, port=port, remote_path=final)

    client = pm.SSHClient()
    try:
        if expected is not None:
            known_name = host if port == 22 else f"[{host}]:{port}"
            client.get_host_keys().add(known_name, expected.get_name(), expected)
        else:
            client.load_system_host_keys()
            if known_hosts is not None:
                client.load_host_keys(os.fspath(known_hosts))
        client.set_missing_host_key_policy(pm.RejectPolicy())
        try:
            client.connect(
                host,
                port=port,
                username=username,
                password=password,
                timeout=timeout,
                banner_timeout=timeout,
                auth_timeout=timeout,
                channel_timeout=timeout,
                look_for_keys=False,
                allow_agent=False,
            )
        except pm.AuthenticationException as exc:
            raise fail(f"the server refused the username {username!r} or its password", exc) from None
        except pm.BadHostKeyException:
            raise fail(
                "the server's host key is not the expected one (a different server, or a man in the middle)"
            ) from None
        except pm.SSHException as exc:
            if "known_hosts" in str(exc):
                raise fail(
                    "the server's host key is not known; pass host_key= (the line `ssh-keyscan -p PORT HOST` "
                    "prints, checked with Ordergroove) or add it to known_hosts"
                ) from None
            raise fail("the SSH connection failed", exc) from None
        except (OSError, EOFError) as exc:
            raise fail("could not connect", exc) from None
        try:
            sftp = client.open_sftp()
        except (pm.SSHException, pm.SFTPError, OSError, EOFError) as exc:
            raise fail("the server did not start SFTP", exc) from None
        with sftp:
            channel = sftp.get_channel()
            if channel is not None:
                channel.settimeout(timeout)
            try:
                _put_atomically(sftp, local, temporary, final)
            except (pm.SSHException, pm.SFTPError, OSError, EOFError) as exc:
                raise fail("the transfer failed, nothing was published", exc) from None
    finally:
        client.close()
    return final


def _put_atomically(sftp: paramiko.SFTPClient, local: Path, temporary: str, final: str) -> None:
    try:
        # confirm=True compares the remote size with the local one: a short write is an error.
        sftp.put(os.fspath(local), temporary, confirm=True)
        try:
            sftp.posix_rename(temporary, final)
        except OSError:
            # No posix-rename extension: SFTP v3's rename refuses an existing target, so remove it first.
            # Between the two calls there is no feed at all, never a partial one.
            with contextlib.suppress(FileNotFoundError):
                sftp.remove(final)
            sftp.rename(temporary, final)
    except BaseException:
        # Best effort: after a dropped connection the dot-named .part file may stay, and is never read.
        with contextlib.suppress(Exception):
            sftp.remove(temporary)
        raise

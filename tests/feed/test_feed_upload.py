"""upload_product_feed against a real SFTP server: paramiko's, in-process, on 127.0.0.1 over a temp dir."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
from sftp_server import FINAL, MERCHANT, PASSWORD, USERNAME, SFTPServer

from ordergroove.errors import ConfigurationError, OrdergrooveError
from ordergroove.feed import FEED_HOSTS, FeedUploadError, upload_product_feed


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ~/.ssh/known_hosts of whoever runs the tests must not change what is trusted.
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SFTPServer]:
    root = tmp_path / "server"
    (root / "incoming").mkdir(parents=True)
    running = SFTPServer(root)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "feed.xml"
    # About 2 MB: many pipelined SFTP writes, not one.
    body = "".join(f"  <product><product_id>p-{n}</product_id></product>\n" for n in range(40_000))
    path.write_text(f"<products>\n{body}</products>\n", encoding="utf-8")
    return path


def incoming(server: SFTPServer) -> list[str]:
    return sorted(os.listdir(server.state.root / "incoming"))


def upload(server: SFTPServer, path: Path, **changes: Any) -> str:
    arguments: dict[str, Any] = {
        "merchant_id": MERCHANT,
        "host": "127.0.0.1",
        "port": server.port,
        "username": USERNAME,
        "password": PASSWORD,
        "host_key": server.public_key,
        "timeout": 10.0,
    }
    return upload_product_feed(path, **{**arguments, **changes})


def test_upload(server: SFTPServer, feed_file: Path) -> None:
    assert upload(server, feed_file) == f"/incoming/{FINAL}"
    assert incoming(server) == [FINAL]
    assert (server.state.root / "incoming" / FINAL).read_bytes() == feed_file.read_bytes()
    opened = [call for call in server.state.calls if call.startswith("open ")]
    assert len(opened) == 1 and opened[0].startswith(f"open /incoming/.{FINAL}.") and opened[0].endswith(".part")
    temporary = opened[0].removeprefix("open ")
    assert server.state.calls[-1] == f"posix_rename {temporary} /incoming/{FINAL}"


def test_upload_replaces_the_previous_feed(server: SFTPServer, feed_file: Path, tmp_path: Path) -> None:
    (server.state.root / "incoming" / FINAL).write_text("old feed")
    upload(server, feed_file)
    assert (server.state.root / "incoming" / FINAL).read_bytes() == feed_file.read_bytes()
    assert incoming(server) == [FINAL]


def test_upload_without_posix_rename(server: SFTPServer, feed_file: Path) -> None:
    server.state.posix_rename = False
    (server.state.root / "incoming" / FINAL).write_text("old feed")
    upload(server, feed_file)
    assert (server.state.root / "incoming" / FINAL).read_bytes() == feed_file.read_bytes()
    assert incoming(server) == [FINAL]
    assert [call.split()[0] for call in server.state.calls] == ["open", "posix_rename", "remove", "rename"]


def test_upload_without_posix_rename_and_no_previous_feed(server: SFTPServer, feed_file: Path) -> None:
    server.state.posix_rename = False
    upload(server, feed_file)
    assert incoming(server) == [FINAL]


def test_upload_to_a_non_default_port_with_known_hosts(server: SFTPServer, feed_file: Path, tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{server.port} {server.public_key}\n")
    upload(server, feed_file, host_key=None, known_hosts=known)
    assert incoming(server) == [FINAL]


def test_upload_trusts_the_users_known_hosts(server: SFTPServer, feed_file: Path) -> None:
    ssh = Path(os.environ["HOME"]) / ".ssh"
    ssh.mkdir()
    (ssh / "known_hosts").write_text(f"[127.0.0.1]:{server.port} {server.public_key}\n")
    upload(server, feed_file, host_key=None)
    assert incoming(server) == [FINAL]


def test_host_key_may_be_a_pkey_or_a_keyscan_line(server: SFTPServer, feed_file: Path) -> None:
    upload(server, feed_file, host_key=paramiko.ECDSAKey(data=server.host_key.asbytes()))
    upload(server, feed_file, host_key=f"[127.0.0.1]:{server.port} {server.public_key}")
    assert incoming(server) == [FINAL]


def test_wrong_password(server: SFTPServer, feed_file: Path) -> None:
    with pytest.raises(FeedUploadError) as info:
        upload(server, feed_file, password="not-the-password")
    message = str(info.value)
    assert "refused the username 'merchant-feed' or its password" in message
    assert "not-the-password" not in message and PASSWORD not in message
    assert (info.value.host, info.value.port, info.value.remote_path) == (
        "127.0.0.1",
        server.port,
        f"/incoming/{FINAL}",
    )
    assert isinstance(info.value, OrdergrooveError)
    assert incoming(server) == []


def test_failure_mid_upload_leaves_nothing(server: SFTPServer, feed_file: Path) -> None:
    server.state.fail_after = 256 * 1024
    with pytest.raises(FeedUploadError, match="the transfer failed, nothing was published") as info:
        upload(server, feed_file)
    assert PASSWORD not in str(info.value)
    assert incoming(server) == []
    assert any(call.startswith("remove /incoming/.") for call in server.state.calls)


def test_failure_mid_upload_keeps_the_previous_feed(server: SFTPServer, feed_file: Path) -> None:
    (server.state.root / "incoming" / FINAL).write_text("old feed")
    server.state.fail_after = 256 * 1024
    with pytest.raises(FeedUploadError):
        upload(server, feed_file)
    assert incoming(server) == [FINAL]
    assert (server.state.root / "incoming" / FINAL).read_text() == "old feed"


def test_dropped_connection_mid_upload_publishes_nothing(server: SFTPServer, feed_file: Path) -> None:
    (server.state.root / "incoming" / FINAL).write_text("old feed")
    server.state.drop_after = 256 * 1024
    with pytest.raises(FeedUploadError, match="the transfer failed"):
        upload(server, feed_file)
    # The temporary file cannot be removed over a dead connection; it is a dot file Ordergroove ignores.
    leftovers = [name for name in incoming(server) if name != FINAL]
    assert all(name.startswith(f".{FINAL}.") and name.endswith(".part") for name in leftovers)
    assert (server.state.root / "incoming" / FINAL).read_text() == "old feed"


def test_unknown_host_key_is_refused_before_the_password_is_sent(server: SFTPServer, feed_file: Path) -> None:
    with pytest.raises(FeedUploadError, match="host key is not known") as info:
        upload(server, feed_file, host_key=None)
    assert "host_key=" in str(info.value)
    assert server.state.auth_attempts == 0
    assert incoming(server) == []


def test_different_host_key_is_refused_before_the_password_is_sent(server: SFTPServer, feed_file: Path) -> None:
    other = paramiko.ECDSAKey.generate()
    with pytest.raises(FeedUploadError, match="not the expected one"):
        upload(server, feed_file, host_key=f"{other.get_name()} {other.get_base64()}")
    assert server.state.auth_attempts == 0


def test_connection_refused(feed_file: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    # Nothing listens on the port any more.
    with pytest.raises(FeedUploadError, match="could not connect") as info:
        upload_product_feed(
            feed_file,
            merchant_id=MERCHANT,
            host="127.0.0.1",
            port=port,
            username=USERNAME,
            password=PASSWORD,
            host_key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        )
    assert PASSWORD not in str(info.value)


def test_environment_names_resolve_to_ordergroove_hosts(feed_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert dict(FEED_HOSTS) == {"production": "feeds.ordergroove.com", "staging": "staging.feeds.ordergroove.com"}
    seen: list[tuple[str, int]] = []

    def connect(self: paramiko.SSHClient, hostname: str, port: int = 22, **kwargs: Any) -> None:
        # No network in tests: record where it would go and fail as an unreachable host does.
        seen.append((hostname, port))
        raise OSError("unreachable in tests")

    monkeypatch.setattr(paramiko.SSHClient, "connect", connect)
    for host in ("staging", "production", "sftp.example"):
        with pytest.raises(FeedUploadError, match="could not connect"):
            upload_product_feed(feed_file, merchant_id=MERCHANT, host=host, username=USERNAME, password=PASSWORD)
    with pytest.raises(FeedUploadError):
        upload_product_feed(feed_file, merchant_id=MERCHANT, username=USERNAME, password=PASSWORD)
    assert seen == [
        ("staging.feeds.ordergroove.com", 22),
        ("feeds.ordergroove.com", 22),
        ("sftp.example", 22),
        ("feeds.ordergroove.com", 22),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"merchant_id": "../etc"}, "merchant_id"),
        ({"merchant_id": "a/b"}, "merchant_id"),
        ({"merchant_id": ""}, "merchant_id"),
        ({"password": ""}, "username and password are required"),
        ({"username": ""}, "username and password are required"),
        ({"host_key": "not a key"}, "host_key must be an SSH public key"),
        ({"host_key": "ssh-ed25519 !!!"}, "host_key must be an SSH public key"),
        ({"host_key": "ssh-unknown AAAA"}, "host_key must be an SSH public key"),
    ],
)
def test_bad_arguments_fail_before_connecting(
    server: SFTPServer, feed_file: Path, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        upload(server, feed_file, **changes)
    assert server.state.auth_attempts == 0 and server.transports == []


def test_missing_file(server: SFTPServer, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        upload(server, tmp_path / "absent.xml")


def test_missing_paramiko_gives_install_hint(feed_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "paramiko", None)
    with pytest.raises(ImportError, match=r'pip install "ordergroove\[feed\]"'):
        upload_product_feed(feed_file, merchant_id=MERCHANT, host="h", username="u", password="p")

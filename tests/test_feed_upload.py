"""upload_product_feed against a real SFTP server: paramiko's, in-process, on 127.0.0.1 over a temp dir."""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paramiko
import pytest
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED,
    OPEN_SUCCEEDED,
)
from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_OK, SFTP_OP_UNSUPPORTED

from ordergroove.errors import ConfigurationError, OrdergrooveError
from ordergroove.feed import FEED_HOSTS, FeedUploadError, upload_product_feed

USERNAME = "merchant-feed"
PASSWORD = "s3cr3t-Pa55word!"
MERCHANT = "abc123"
FINAL = f"{MERCHANT}.Products.xml"


class ServerState:
    """What the test server does and what it saw; shared by its threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.posix_rename = True
        self.fail_after: int | None = None  # answer a write past this many bytes with a failure
        self.drop_after: int | None = None  # close the SFTP channel on a write past this many bytes
        self.auth_attempts = 0
        self.calls: list[str] = []
        self.channels: list[paramiko.Channel] = []
        self.lock = threading.Lock()


class Auth(paramiko.ServerInterface):
    def __init__(self, state: ServerState) -> None:
        self.state = state

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        with self.state.lock:
            self.state.auth_attempts += 1
        ok = (username, password) == (USERNAME, PASSWORD)
        return AUTH_SUCCESSFUL if ok else AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return OPEN_SUCCEEDED
        return OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_subsystem_request(self, channel: paramiko.Channel, name: str) -> bool:
        with self.state.lock:
            self.state.channels.append(channel)
        return bool(super().check_channel_subsystem_request(channel, name))


class Handle(paramiko.SFTPHandle):
    def __init__(self, state: ServerState, file: Any, flags: int) -> None:
        super().__init__(flags)
        self.state = state
        self.writefile = file
        self.readfile = file

    def write(self, offset: int, data: Any) -> int:
        end = offset + len(data)
        if self.state.fail_after is not None and end > self.state.fail_after:
            return SFTP_FAILURE
        if self.state.drop_after is not None and end > self.state.drop_after:
            for channel in self.state.channels:
                channel.close()
            return SFTP_FAILURE
        return int(super().write(offset, data))

    def stat(self) -> paramiko.SFTPAttributes:
        return paramiko.SFTPAttributes.from_stat(os.fstat(self.writefile.fileno()))


class Files(paramiko.SFTPServerInterface):
    def __init__(self, server: paramiko.ServerInterface, state: ServerState) -> None:
        super().__init__(server)
        self.state = state

    def _local(self, path: str) -> Path:
        local = (self.state.root / path.lstrip("/")).resolve()
        assert local.is_relative_to(self.state.root), path
        return local

    def _record(self, call: str) -> None:
        with self.state.lock:
            self.state.calls.append(call)

    def open(self, path: str, flags: int, attr: paramiko.SFTPAttributes) -> Handle | int:
        self._record(f"open {path}")
        try:
            fd = os.open(self._local(path), flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            return int(paramiko.SFTPServer.convert_errno(exc.errno or 0))
        mode = "rb" if (flags & (os.O_WRONLY | os.O_RDWR)) == 0 else ("r+b" if flags & os.O_RDWR else "wb")
        return Handle(self.state, os.fdopen(fd, mode), flags)

    def stat(self, path: str) -> paramiko.SFTPAttributes | int:
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._local(path)))
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE

    lstat = stat

    def remove(self, path: str) -> int:
        self._record(f"remove {path}")
        try:
            os.remove(self._local(path))
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE
        return SFTP_OK

    def rename(self, oldpath: str, newpath: str) -> int:
        self._record(f"rename {oldpath} {newpath}")
        if self._local(newpath).exists():
            return SFTP_FAILURE  # SFTP v3: rename never overwrites
        os.rename(self._local(oldpath), self._local(newpath))
        return SFTP_OK

    def posix_rename(self, oldpath: str, newpath: str) -> int:
        self._record(f"posix_rename {oldpath} {newpath}")
        if not self.state.posix_rename:
            return SFTP_OP_UNSUPPORTED
        os.replace(self._local(oldpath), self._local(newpath))
        return SFTP_OK


class SFTPServer:
    def __init__(self, root: Path) -> None:
        self.state = ServerState(root)
        self.host_key = paramiko.ECDSAKey.generate()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port: int = self.listener.getsockname()[1]
        self.transports: list[paramiko.Transport] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="test-sftp-accept")
        self.thread.start()

    @property
    def public_key(self) -> str:
        return f"{self.host_key.get_name()} {self.host_key.get_base64()}"

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            conn.settimeout(None)
            transport = paramiko.Transport(conn)
            self.transports.append(transport)
            transport.add_server_key(self.host_key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, Files, self.state)
            try:
                transport.start_server(server=Auth(self.state))
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.listener.close()
        for transport in self.transports:
            transport.close()
            transport.join()


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

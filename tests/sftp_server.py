"""An SFTP server in this process (paramiko), for the feed upload's tests: what it saw, faults on demand."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import Any

import paramiko
from paramiko.common import (
    AUTH_FAILED,
    AUTH_SUCCESSFUL,
    OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED,
    OPEN_SUCCEEDED,
)
from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_OK, SFTP_OP_UNSUPPORTED

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

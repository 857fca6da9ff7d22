"""One window per data directory: a second start brings the running window forward instead of opening another.

The first app on a data directory takes a lock file in it (``QLockFile``: the lock of an app that crashed or
was killed is taken over) and, once it has started, listens on a local socket named after the directory
(Qt's network module is loaded then, not before the first picture). A later start finds the lock taken, asks
the running app through the socket to come forward (and to open a session, for ``play``), and exits; it keeps
trying for a few seconds, so a start that comes while the first is still starting is answered too. Two
windows on one journal lost one window's settings and offered to resume the same run twice. Console commands
take no lock: they work beside the app.
"""

from __future__ import annotations

import time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

# The lock file inside the data directory.
LOCK_FILENAME = "app.lock"
# How long a second start tries to reach the running app (it may still be starting), in milliseconds.
ANSWER_TIMEOUT_MS = 5_000
# The running app's reply to a request.
REPLY = b"ok\n"
# A request is one short line: "raise" or "raise SESSION_ID".
MAX_REQUEST_BYTES = 1_024


def server_name(data_directory: Path) -> str:
    """The local socket's name for ``data_directory``: the same for every start on it, by this user."""
    import hashlib  # when the socket is first needed, not before the first picture (OpenSSL)

    key = f"{Path.home()}\n{data_directory.resolve()}".encode()
    return "movement-player-" + hashlib.sha256(key).hexdigest()[:24]


class SingleInstance(QObject):
    """The lock and the local server of the app running on ``data_directory``."""

    raise_requested = Signal(str)  # a second start asked: come forward (and open this session id, "" for none)

    def __init__(self, data_directory: Path) -> None:
        super().__init__()
        self._data_directory = data_directory
        self.lock_path = data_directory / LOCK_FILENAME
        self._lock = QLockFile(str(self.lock_path))
        self._lock.setStaleLockTime(0)  # held until released: a dead holder is found by its process id
        self._server: QLocalServer | None = None
        self._held = False

    @cached_property
    def name(self) -> str:
        """The local socket's name (see :func:`server_name`)."""
        return server_name(self._data_directory)

    def acquire(self) -> bool:
        """Take the directory for this app (then :meth:`listen` for later starts); False when another app
        holds it.

        A lock that cannot be taken for another reason (a read-only folder) lets the app start: the journal
        then tells what is wrong with the folder.
        """
        if not self._lock.tryLock(0):
            return self._lock.error() != QLockFile.LockError.LockFailedError
        self._held = True
        return True

    def listen(self) -> None:
        """Answer later starts on this directory (once the app has started; only while it holds the lock)."""
        if not self._held or self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # a socket file left by an app that was killed
        if server.listen(self.name):
            server.newConnection.connect(self._accept)
            self._server = server

    @property
    def listening(self) -> bool:
        """True once later starts are answered."""
        return self._server is not None

    def holder(self) -> str:
        """Who holds the lock, for messages: ``process 1234`` (or "another app")."""
        info = self._lock.getLockInfo()  # PySide6: (pid, hostname, appname), or a false value when unknown
        return f"process {info[0]}" if isinstance(info, tuple) and info and info[0] else "another app"

    def ask_running(self, session_id: str | None = None) -> bool:
        """Ask the app holding the lock to come forward (and open ``session_id``); True when it answered.

        Blocks for at most about ANSWER_TIMEOUT_MS; call it without an event loop running (at start-up).
        """
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
        while True:
            socket.connectToServer(self.name)
            if socket.waitForConnected(200):
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)  # the running app may be starting: its server is not listening yet
        request = f"raise {session_id or ''}".strip()[: MAX_REQUEST_BYTES - 1] + "\n"
        socket.write(request.encode())
        socket.flush()
        reply = b""
        while len(reply) < len(REPLY) and socket.waitForReadyRead(max(1, int((deadline - time.monotonic()) * 1000))):
            reply += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return reply.startswith(REPLY)

    def release(self) -> None:
        """Stop listening and free the directory (closing the window)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        self._held = False
        self._lock.unlock()

    def _accept(self) -> None:
        server = self._server
        connection = server.nextPendingConnection() if server is not None else None
        if connection is not None:  # a child of the server: it goes with it
            connection.readyRead.connect(self._answer)

    def _answer(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        connection = self.sender()
        if not isinstance(connection, QLocalSocket):
            return
        if not connection.canReadLine():
            if connection.bytesAvailable() > MAX_REQUEST_BYTES:  # not one of ours: never read without bound
                connection.abort()
            return
        line = bytes(connection.readLine(MAX_REQUEST_BYTES).data()).decode("utf-8", errors="replace").split()
        connection.write(REPLY)
        connection.flush()
        connection.disconnectFromServer()
        if line[:1] == ["raise"]:
            self.raise_requested.emit(line[1] if len(line) > 1 else "")

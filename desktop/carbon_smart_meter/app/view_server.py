"""The service's side of the view protocol: a Unix socket, owner only, served by one selector thread.

The figures thread `publish()`es each new state once (encoded once); this thread hands the newest one
to each subscribed view at the view's own interval with non-blocking sends, and answers requests from
that same newest state. Nothing here waits on a view: a view that stops reading has its updates
skipped (it gets the newest when it reads again) and is dropped when its backlog passes the bound
(view_protocol). Only processes of the same user (or root) may connect: the socket file is created
mode 0600 in a directory only the user can enter, and each peer's uid is checked (SO_PEERCRED).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import stat
import struct
import threading
import time
from pathlib import Path

from carbon_smart_meter.app import view_protocol as vp

SUN_PATH_MAX = 107  # sockaddr_un.sun_path is 108 bytes with its terminating NUL on Linux


class _View:
    __slots__ = ("backlog_seq", "inbuf", "interval_s", "last_sent", "outbuf", "sent_seq", "sock", "uid")

    def __init__(self, sock: socket.socket, uid: int) -> None:
        self.sock = sock
        self.uid = uid
        self.inbuf = bytearray()
        self.outbuf = bytearray()
        self.interval_s: float | None = None  # None: not subscribed
        self.last_sent = 0.0
        self.sent_seq = -1
        self.backlog_seq = -1


def bind_owner_only(path: Path) -> socket.socket:
    """A listening socket at `path` that only this user can reach; refuses to take over a live service,
    a non-socket file, or a directory others may write to."""
    if len(os.fsencode(path)) > SUN_PATH_MAX:
        raise vp.ViewProtocolError(f"socket path {path} is longer than {SUN_PATH_MAX} bytes (a Unix socket "
                                   "limit); choose a shorter --socket path")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.parent.stat()
    if info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX:
        raise vp.ViewProtocolError(f"{path.parent} can be written by other users; put the socket in a "
                                   "directory only you can write (e.g. $XDG_RUNTIME_DIR)")
    if path.exists() or path.is_symlink():
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise vp.ViewProtocolError(f"{path} exists and is not a socket; remove it or choose another --socket")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            path.unlink()  # left behind by a service that died: nobody listens
        else:
            raise vp.ViewProtocolError(f"a session service is already running on {path}; stop it first "
                                       "(systemctl stop csm-logger) or give this one another --socket")
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
    old = os.umask(0o177)  # the file is born 0600: no window in which another user could connect
    try:
        sock.bind(str(path))
    finally:
        os.umask(old)
    os.chmod(path, 0o600)
    sock.listen(8)
    sock.setblocking(False)
    return sock


def peer_uid(sock: socket.socket) -> int:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


class ViewServer:
    def __init__(self, path: Path, hello: dict[str, object], *, max_clients: int = vp.MAX_CLIENTS) -> None:
        self.path = Path(path)
        self.hello = vp.encode(hello)
        self.max_clients = max_clients
        self.heartbeat = time.monotonic()  # the loop's last turn: the service's watchdog looks at it
        self.skipped = 0       # state updates not sent to a view that was not reading
        self.dropped = 0       # views disconnected for a backlog over the bound, or bad requests
        self.refused = 0       # other users, or over max_clients
        self._listener = bind_owner_only(self.path)
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._views: dict[int, _View] = {}
        self._latest: bytes | None = None
        self._latest_seq = -1
        self._state_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="view-server", daemon=True)

    # ---- owner's side ----------------------------------------------------------------------------
    def start(self) -> ViewServer:
        self._sel.register(self._listener, selectors.EVENT_READ, "listen")
        self._sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def views(self) -> int:
        """Views subscribed to updates (a kiosk); a one-off `state` request (`csm serve --status`) is none."""
        return sum(1 for v in list(self._views.values()) if v.interval_s is not None)

    def publish(self, state: dict[str, object]) -> None:
        """The newest state (from the figures thread); encoded once here, sent by the server thread."""
        with self._state_lock:
            seq = self._latest_seq + 1
            self._latest = vp.encode({"type": "state", "seq": seq, "t_utc": time.time(), "state": state})
            self._latest_seq = seq
        with contextlib.suppress(BlockingIOError, OSError):
            self._wake_w.send(b"x")

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        self._thread.join(5)
        for view in list(self._views.values()):
            self._close(view)
        with contextlib.suppress(OSError):
            self._sel.close()
        self._listener.close()
        self._wake_r.close()
        self._wake_w.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    # ---- the thread --------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            for key, mask in self._sel.select(timeout=0.1):
                if key.data == "listen":
                    self._accept()
                elif key.data == "wake":
                    with contextlib.suppress(BlockingIOError, OSError):
                        self._wake_r.recv(4096)
                else:
                    view = key.data
                    if mask & selectors.EVENT_READ:
                        self._read(view)
                    if mask & selectors.EVENT_WRITE and view.sock.fileno() in self._views:
                        self._flush(view)
            self._push_states()
            self.heartbeat = time.monotonic()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            uid = peer_uid(conn)
            if (uid not in (os.getuid(), 0)) or len(self._views) >= self.max_clients:
                self.refused += 1
                with contextlib.suppress(OSError):
                    conn.send(vp.encode({"type": "error", "id": None, "error": "refused: another user, or too "
                                         f"many views (at most {self.max_clients})"}))
                conn.close()
                continue
            conn.setblocking(False)
            view = _View(conn, uid)
            self._views[conn.fileno()] = view
            self._sel.register(conn, selectors.EVENT_READ, view)
            self._queue(view, self.hello)

    def _read(self, view: _View) -> None:
        try:
            data = view.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(view)
            return
        view.inbuf += data
        while b"\n" in view.inbuf:
            line, _, rest = bytes(view.inbuf).partition(b"\n")
            view.inbuf = bytearray(rest)
            if line.strip():
                self._request(view, line)
            if view.sock.fileno() not in self._views:
                return
        if len(view.inbuf) > vp.MAX_REQUEST:
            self._refuse(view, None, f"request over {vp.MAX_REQUEST} bytes")

    def _request(self, view: _View, line: bytes) -> None:
        if len(line) > vp.MAX_REQUEST:
            self._refuse(view, None, f"request over {vp.MAX_REQUEST} bytes")
            return
        try:
            req = vp.decode(line)
        except vp.ViewProtocolError as exc:
            self._refuse(view, None, str(exc))
            return
        op, rid = req.get("op"), req.get("id")
        if op == "subscribe":
            try:
                interval = float(req.get("interval_s", 0.5))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                interval = 0.5
            view.interval_s = min(max(interval, vp.MIN_INTERVAL_S), vp.MAX_INTERVAL_S)
            view.last_sent = 0.0
            self._queue(view, vp.encode({"type": "reply", "id": rid, "result": {"interval_s": view.interval_s}}))
        elif op == "state":
            with self._state_lock:
                latest = self._latest
            if latest is None:
                self._queue(view, vp.encode({"type": "error", "id": rid, "error": "no state yet; ask again"}))
            else:
                self._queue(view, latest)
        elif op == "ping":
            self._queue(view, vp.encode({"type": "reply", "id": rid, "result": "pong"}))
        else:
            self._queue(view, vp.encode({"type": "error", "id": rid, "error": f"unknown op {op!r}; "
                                         "use subscribe, state or ping"}))

    def _refuse(self, view: _View, rid: object, why: str) -> None:
        self.dropped += 1
        with contextlib.suppress(OSError):
            view.sock.send(vp.encode({"type": "error", "id": rid, "error": why}))
        self._close(view)

    def _push_states(self) -> None:
        with self._state_lock:
            latest, seq = self._latest, self._latest_seq
        if latest is None:
            return
        now = time.monotonic()
        for view in list(self._views.values()):
            if view.interval_s is None or view.sent_seq == seq or now - view.last_sent < view.interval_s * 0.9:
                continue
            if len(view.outbuf) > vp.MAX_PENDING:
                if view.backlog_seq != seq:
                    view.backlog_seq = seq
                    self.skipped += 1
                continue
            view.sent_seq, view.last_sent = seq, now
            self._queue(view, latest)

    def _queue(self, view: _View, data: bytes) -> None:
        if len(view.outbuf) + len(data) > vp.MAX_BACKLOG:
            self.dropped += 1
            self._close(view)
            return
        was_empty = not view.outbuf
        view.outbuf += data
        self._flush(view)
        if was_empty and view.outbuf and view.sock.fileno() in self._views:
            self._sel.modify(view.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, view)

    def _flush(self, view: _View) -> None:
        try:
            sent = view.sock.send(view.outbuf)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self._close(view)
            return
        del view.outbuf[:sent]
        if not view.outbuf:
            with contextlib.suppress(KeyError, ValueError, OSError):
                self._sel.modify(view.sock, selectors.EVENT_READ, view)

    def _close(self, view: _View) -> None:
        fd = view.sock.fileno()
        if fd in self._views:
            del self._views[fd]
            with contextlib.suppress(KeyError, ValueError, OSError):
                self._sel.unregister(view.sock)
        with contextlib.suppress(OSError):
            view.sock.close()

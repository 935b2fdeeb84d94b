"""A view's side of the view protocol (no Qt): a blocking client, and a feed that keeps the newest state.

`ViewFeed` is what a window uses: a thread connects, subscribes and keeps the newest state in one slot;
the window reads that slot on its own timer. When the service restarts or is not there yet, the feed
reconnects by itself (doubling waits up to 2 s) and says why it has no state, so the window can show
"waiting for the recording service" instead of stale figures.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from pathlib import Path

from carbon_smart_meter.app import view_protocol as vp


class ViewClient:
    def __init__(self, path: Path | str | None = None, timeout: float = 5.0) -> None:
        self.path = Path(path) if path is not None else vp.default_socket_path()
        self.timeout = timeout
        self.hello: dict[str, object] | None = None
        self._sock: socket.socket | None = None
        self._buf = bytearray()
        self._next_id = 0

    def connect(self) -> dict[str, object]:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self.path))
        except OSError as exc:
            sock.close()
            raise vp.ViewProtocolError(f"no session service on {self.path} ({exc.strerror or exc}); start one with "
                                       "`csm serve` or check --socket") from exc
        self._sock = sock
        message = self.read_message()
        if message is None:
            self.close()
            raise vp.ViewProtocolError(f"the service on {self.path} closed the connection before saying hello")
        if message.get("type") == "error":
            self.close()
            raise vp.ViewProtocolError(f"the service on {self.path} refused this view: {message.get('error')}")
        vp.check_hello(message, self.path)
        self.hello = message
        return message

    def __enter__(self) -> ViewClient:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None

    def send(self, op: str, **fields: object) -> int:
        assert self._sock is not None, "connect() first"
        self._next_id += 1
        self._sock.sendall(vp.encode({"op": op, "id": self._next_id, **fields}))
        return self._next_id

    def read_message(self, timeout: float | None = None) -> dict[str, object] | None:
        """The next message, or None when the service closed the connection; socket.timeout when silent."""
        assert self._sock is not None, "connect() first"
        self._sock.settimeout(self.timeout if timeout is None else timeout)
        while b"\n" not in self._buf:
            chunk = self._sock.recv(65536)
            if not chunk:
                return None
            self._buf += chunk
            if len(self._buf) > vp.MAX_MESSAGE + 1:
                raise vp.ViewProtocolError(f"a message from {self.path} is over {vp.MAX_MESSAGE} bytes")
        line, _, rest = bytes(self._buf).partition(b"\n")
        self._buf = bytearray(rest)
        return vp.decode(line)

    def request(self, op: str, **fields: object) -> dict[str, object]:
        """Send a request and return its answer (state pushes that arrive first are passed over)."""
        rid = self.send(op, **fields)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = self.read_message(max(0.01, deadline - time.monotonic()))
            if message is None:
                raise vp.ViewProtocolError(f"the service on {self.path} closed the connection")
            if op == "state" and message.get("type") == "state":
                return message
            if message.get("id") == rid:
                if message.get("type") == "error":
                    raise vp.ViewProtocolError(str(message.get("error")))
                return message
        raise vp.ViewProtocolError(f"no answer to {op!r} from {self.path} within {self.timeout} s")

    def state(self) -> dict[str, object]:
        return self.request("state")


class ViewFeed:
    """The newest state of a service, kept by a background thread that reconnects by itself."""

    def __init__(self, path: Path | str | None = None, interval_s: float = 0.5) -> None:
        self.path = Path(path) if path is not None else vp.default_socket_path()
        self.interval_s = interval_s
        self.problem: str | None = "connecting to the session service"
        self.connects = 0
        self._latest: tuple[dict[str, object], float, int] | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._client: ViewClient | None = None
        self._thread = threading.Thread(target=self._run, name="view-feed", daemon=True)

    def start(self) -> ViewFeed:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        client = self._client
        if client is not None:
            client.close()
        self._thread.join(3)

    @property
    def connected(self) -> bool:
        return self.problem is None

    def latest(self) -> tuple[dict[str, object] | None, float]:
        """(state, monotonic time it arrived); (None, 0) before the first state."""
        with self._lock:
            if self._latest is None:
                return None, 0.0
            return self._latest[0], self._latest[1]

    def _run(self) -> None:
        delay = 0.1
        while not self._stop.is_set():
            client = ViewClient(self.path, timeout=max(5.0, 10 * self.interval_s))
            try:
                client.connect()
                self._client = client
                client.send("subscribe", interval_s=self.interval_s)
                self.connects += 1
                delay = 0.1
                while not self._stop.is_set():
                    message = client.read_message()
                    if message is None:
                        raise vp.ViewProtocolError("the session service closed the connection")
                    if message.get("type") == "state":
                        state = message.get("state")
                        if isinstance(state, dict):
                            with self._lock:
                                self._latest = (state, time.monotonic(), int(message.get("seq", 0)))  # type: ignore[call-overload]
                            self.problem = None
            except (vp.ViewProtocolError, OSError) as exc:
                self.problem = str(exc) if not isinstance(exc, TimeoutError) else "the session service is silent"
            finally:
                client.close()
                self._client = None
            self._stop.wait(delay)
            delay = min(delay * 2, 2.0)

"""An MQTT connection that survives the broker going away, and never holds more than it was given room for.

paho-mqtt's network thread connects in the background (the bridge starts even when the broker is not up
yet) and reconnects with a doubling delay. What is published while the link is down goes into a bounded
queue: the oldest messages make room for the newest (a counter says how many were dropped), and the queue
is sent in order as soon as the broker accepts us again. Retained messages (discovery configs, the
bridge status) are not queued: the `on_connect` hook publishes them afresh on every connection.
The bridge's status topic carries a last will, so the broker marks the entities unavailable by itself
when this process dies.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from carbon_smart_meter.mqtt.broker import BrokerConfig
from carbon_smart_meter.mqtt.discovery import OFFLINE, ONLINE


@dataclass
class PublisherStats:
    connects: int = 0
    disconnects: int = 0
    sent: int = 0
    queued: int = 0          # in the buffer now
    dropped: int = 0         # pushed out of the full buffer
    last_error: str = ""     # the broker's or the socket's last complaint, in words


class Publisher:
    def __init__(self, config: BrokerConfig, status_topic: str, *, buffer: int = 1000, qos: int = 1,
                 min_delay_s: float = 1.0, max_delay_s: float = 60.0,
                 on_connect: Callable[[], None] | None = None,
                 on_message: Callable[[str, bytes], None] | None = None,
                 subscriptions: tuple[str, ...] = ()) -> None:
        if buffer < 1:
            raise ValueError("the buffer must hold at least one message")
        self.config = config
        self.status_topic = status_topic
        self.qos = qos
        self.stats = PublisherStats()
        self.connected = threading.Event()
        self._buffer: deque[tuple[str, bytes, bool]] = deque(maxlen=buffer)
        self._lock = threading.RLock()  # paho may call on_publish from inside publish()
        self._hook = on_connect
        self._on_message = on_message
        self._subscriptions = subscriptions
        self._client = paho.Client(CallbackAPIVersion.VERSION2, client_id=config.client_id, protocol=paho.MQTTv311)
        self._client.reconnect_delay_set(int(max(1, min_delay_s)), int(max(min_delay_s, max_delay_s)))
        self._client.max_queued_messages_set(buffer)
        if config.username:
            self._client.username_pw_set(config.username, config.password)
        ctx = config.ssl_context()
        if ctx is not None:
            self._client.tls_set_context(ctx)
            self._client.tls_insecure_set(config.insecure)
        self._client.will_set(status_topic, OFFLINE, qos=1, retain=True)
        self._client.on_connect = self._connected
        self._client.on_disconnect = self._disconnected
        self._client.on_message = self._message
        self._client.on_connect_fail = self._connect_failed
        self._client.on_publish = self._published

    # ---- lifecycle --------------------------------------------------------------------------------------
    def start(self) -> Publisher:
        self._client.connect_async(self.config.host, self.config.port, keepalive=self.config.keepalive_s)
        self._client.loop_start()
        return self

    def stop(self, timeout_s: float = 3.0) -> None:
        """Say "offline" (retained) while still connected, then disconnect and end the network thread."""
        if self.connected.is_set():
            info = self._client.publish(self.status_topic, OFFLINE, qos=1, retain=True)
            with contextlib.suppress(RuntimeError, ValueError):
                info.wait_for_publish(timeout_s)
        self._client.disconnect()
        self._client.loop_stop()
        self.connected.clear()

    # ---- publishing -------------------------------------------------------------------------------------
    def publish(self, topic: str, payload: bytes | str, *, retain: bool = False, buffered: bool = True) -> bool:
        """Send now if connected; else keep it in the bounded buffer (if `buffered`). True if sent now."""
        data = payload.encode() if isinstance(payload, str) else payload
        with self._lock:
            if self.connected.is_set() and not self._buffer and self._send(topic, data, retain):
                return True
            if buffered:
                self._enqueue(topic, data, retain)
        if self.connected.is_set():
            self._flush()
        return False

    def _send(self, topic: str, data: bytes, retain: bool) -> bool:
        info = self._client.publish(topic, data, qos=self.qos, retain=retain)
        # NO_CONN with QoS > 0: the link dropped a moment ago and paho keeps the message for the reconnect
        if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS or (info.rc == MQTTErrorCode.MQTT_ERR_NO_CONN and self.qos):
            self.stats.sent += 1
            return True
        return False

    def _enqueue(self, topic: str, data: bytes, retain: bool) -> None:
        if len(self._buffer) == self._buffer.maxlen:
            self.stats.dropped += 1
        self._buffer.append((topic, data, retain))
        self.stats.queued = len(self._buffer)

    def _flush(self) -> None:
        with self._lock:
            while self._buffer and self.connected.is_set():
                topic, data, retain = self._buffer[0]
                if not self._send(topic, data, retain):
                    break
                self._buffer.popleft()
            self.stats.queued = len(self._buffer)

    # ---- paho callbacks (its network thread) ------------------------------------------------------------
    def _connected(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            self.stats.last_error = f"the broker at {self.config.url} refused the connection: {reason_code}"
            return
        self.stats.connects += 1
        self.stats.last_error = ""
        client.publish(self.status_topic, ONLINE, qos=1, retain=True)
        for topic in self._subscriptions:
            client.subscribe(topic, qos=1)
        self.connected.set()
        if self._hook is not None:
            try:
                self._hook()
            except Exception as exc:  # a bug in the hook must not kill paho's network thread
                self.stats.last_error = f"after connecting: {exc!r}"
        self._flush()

    def _disconnected(self, client, userdata, flags, reason_code, properties) -> None:
        if not self.connected.is_set():
            return  # a refused or failed attempt: _connected or _connect_failed said why
        self.stats.disconnects += 1
        self.connected.clear()
        if reason_code.is_failure:
            self.stats.last_error = f"lost the broker at {self.config.url}: {reason_code}"

    def _published(self, client, userdata, mid, reason_code, properties) -> None:
        # paho's own in-flight queue (as long as our buffer) had no room: an acknowledgement made some
        if self._buffer:
            self._flush()

    def _connect_failed(self, client, userdata) -> None:
        self.stats.last_error = f"cannot reach the broker at {self.config.url} (retrying)"

    def _message(self, client, userdata, msg) -> None:
        if self._on_message is not None:
            try:
                self._on_message(msg.topic, msg.payload)
            except Exception as exc:
                self.stats.last_error = f"handling {msg.topic}: {exc!r}"

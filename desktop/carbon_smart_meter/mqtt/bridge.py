"""The bridge: a live session's devices, pulled on a timer and published for Home Assistant.

It attaches to the session the way a window does (snapshot, live rings, live report) and never blocks
acquisition: its own thread reads copies, formats one JSON state per device and hands it to the
publisher, whose buffer is bounded. A device's discovery configs go out when its HELLO is first seen,
on every (re)connection to the broker, and when Home Assistant announces itself online again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.app.status import DeviceStatus, LinkState
from carbon_smart_meter.carbon.resolve import avoided
from carbon_smart_meter.mqtt.discovery import ONLINE, Topics, discovery_configs
from carbon_smart_meter.mqtt.publisher import Publisher
from carbon_smart_meter.mqtt.totals import EnergyTotals

MEAN_OVER_S = 1.0  # voltage and current: the mean of the last second of samples, not one noisy sample


@dataclass(frozen=True)
class DeviceState:
    address: str
    power_w: float
    energy_kwh: float
    voltage_v: float | None
    current_a: float | None
    co2_kg: float
    link: str

    def to_json(self) -> str:
        return json.dumps({"power_w": round(self.power_w, 3), "energy_kwh": round(self.energy_kwh, 9),
                           "voltage_v": None if self.voltage_v is None else round(self.voltage_v, 4),
                           "current_a": None if self.current_a is None else round(self.current_a, 5),
                           "co2_kg": round(self.co2_kg, 9), "link": self.link})


class MqttBridge:
    def __init__(self, session: LiveSession, publisher_for: Callable[..., Publisher], totals: EnergyTotals, *,
                 topics: Topics | None = None, interval_s: float = 5.0, names: dict[str, str] | None = None,
                 say: Callable[[str], None] = lambda line: None) -> None:
        self.session = session
        self.topics = topics or Topics()
        self.totals = totals
        self.interval_s = interval_s
        self.names = names or {}
        self.say = say
        self._announced: dict[str, DeviceStatus] = {}  # address -> the status its configs were made from
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._buffers = session.live_buffers(window_s=max(30.0, 4 * interval_s))
        self.publisher = publisher_for(status_topic=self.topics.bridge_status, on_connect=self._announce_all,
                                       on_message=self._message, subscriptions=(self.topics.ha_status,))
        self.ticks = 0

    def start(self) -> MqttBridge:
        self.publisher.start()
        self._thread = threading.Thread(target=self._run, name="mqtt-bridge", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        self.publish_once()  # the last figures, then the counters saved, then "offline"
        self.totals.save()
        self.publisher.stop()

    def _run(self) -> None:
        last_error = ""
        while not self._stop.wait(self.interval_s):
            try:
                self.publish_once()
                self.totals.save()
            except Exception as exc:  # never die: the next tick tries again, the user is told once
                text = f"mqtt: {exc!r}"
                if text != last_error:
                    self.say(text)
                last_error = text
            err = self.publisher.stats.last_error
            if err and err != last_error:
                self.say(f"mqtt: {err}")
                last_error = err

    # ---- one tick ---------------------------------------------------------------------------------------
    def states(self) -> list[DeviceState]:
        out = []
        snap = self.session.snapshot()
        for source, st in snap.devices.items():
            if st.hello is None or st.energy is None or not st.energy.device:
                continue  # no address yet: nothing stable to name it by
            session_kwh = max(st.energy.energy_wh, 0.0) / 1e3
            total = self.totals.total_kwh(source, st.energy.device, session_kwh)
            v = i = None
            ring = self._buffers.ring(source)
            span = ring.time_span() if ring is not None else None
            if ring is not None and span is not None:
                trace = ring.view(span[1] - MEAN_OVER_S, span[1], max_points=None)
                if len(trace):
                    v, i = float(np.mean(trace.v)), float(np.mean(trace.i))
            power = st.energy.last_power_w if st.link == LinkState.CONNECTED else 0.0
            co2 = avoided(total, self.session.carbon, st.energy.device).co2_kg
            out.append(DeviceState(st.energy.device, power, total, v, i, co2, st.link))
            self._remember(st)
        return out

    def publish_once(self) -> int:
        states = self.states()
        for s in states:
            self.publisher.publish(self.topics.state(s.address), s.to_json(), retain=True)
        self.ticks += 1
        return len(states)

    # ---- discovery ----------------------------------------------------------------------------------------
    def _remember(self, st: DeviceStatus) -> None:
        assert st.energy is not None
        with self._lock:
            new = st.energy.device not in self._announced
            self._announced[st.energy.device] = st
        if new:
            self._announce(st)

    def _announce(self, st: DeviceStatus) -> None:
        assert st.energy is not None and st.hello is not None
        address = st.energy.device
        fw = ".".join(str(x) for x in st.hello.fw_version)
        configs = discovery_configs(address, topics=self.topics, rated_w=st.energy.rated_w, firmware=fw,
                                    name=self.names.get(address, ""))
        for topic, cfg in configs.items():
            # retained and not buffered: a reconnection sends them afresh (_announce_all)
            self.publisher.publish(topic, json.dumps(cfg), retain=True, buffered=False)

    def _announce_all(self) -> None:
        with self._lock:
            known = list(self._announced.values())
        for st in known:
            self._announce(st)

    def _message(self, topic: str, payload: bytes) -> None:
        if topic == self.topics.ha_status and payload.decode(errors="replace").strip() == ONLINE:
            self._announce_all()  # Home Assistant restarted: it wants the configs again

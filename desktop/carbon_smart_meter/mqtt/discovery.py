"""Topics and Home Assistant MQTT discovery configs for one device.

Home Assistant reads `<discovery prefix>/<component>/<node>/<object>/config` (retained) and creates one
entity per config, all grouped under the device whose `identifiers` they share. Every entity of a device
reads the same JSON state message (one publish per tick, not six) through its `value_template`. The
energy entity is `device_class: energy`, `state_class: total_increasing`, in kWh: what the energy
dashboard offers under "Solar production". Availability follows the bridge's retained status topic,
which the broker turns to "offline" by itself (last will) when the bridge dies.
See https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery (discovery and the device registry).
"""

from __future__ import annotations

from dataclasses import dataclass

from carbon_smart_meter import __version__

DISCOVERY_PREFIX = "homeassistant"
BASE_TOPIC = "csm"
ONLINE, OFFLINE = "online", "offline"


@dataclass(frozen=True)
class Entity:
    key: str                 # the object id and the JSON field of the state message
    name: str
    component: str = "sensor"
    unit: str | None = None
    device_class: str | None = None
    state_class: str | None = None
    precision: int | None = None
    icon: str | None = None


ENTITIES = (
    Entity("power_w", "Power", unit="W", device_class="power", state_class="measurement", precision=1),
    Entity("energy_kwh", "Energy", unit="kWh", device_class="energy", state_class="total_increasing", precision=4),
    Entity("voltage_v", "Voltage", unit="V", device_class="voltage", state_class="measurement", precision=2),
    Entity("current_a", "Current", unit="A", device_class="current", state_class="measurement", precision=3),
    Entity("co2_kg", "CO₂ estimate", unit="kg", device_class="weight", state_class="total_increasing", precision=4,
           icon="mdi:molecule-co2"),
    Entity("link", "Link", component="binary_sensor", device_class="connectivity"),
)


def node_id(address: str) -> str:
    """`csm_` and the device address without 0x: stable across restarts, ports and hosts."""
    return "csm_" + address.lower().removeprefix("0x")


@dataclass(frozen=True)
class Topics:
    base: str = BASE_TOPIC
    discovery_prefix: str = DISCOVERY_PREFIX

    @property
    def bridge_status(self) -> str:
        return f"{self.base}/bridge/status"

    @property
    def ha_status(self) -> str:
        """Home Assistant's birth message: when it says "online" again, configs and states are sent again."""
        return f"{self.discovery_prefix}/status"

    def state(self, address: str) -> str:
        return f"{self.base}/{node_id(address)}/state"

    def config(self, address: str, entity: Entity) -> str:
        return f"{self.discovery_prefix}/{entity.component}/{node_id(address)}/{entity.key}/config"


def discovery_configs(address: str, *, topics: Topics, rated_w: int = 0, firmware: str = "",
                      name: str = "") -> dict[str, dict[str, object]]:
    """topic -> config payload for every entity of the device at `address`."""
    node = node_id(address)
    device: dict[str, object] = {
        "identifiers": [node],
        "name": name or f"Solar meter {address[:10]}",
        "manufacturer": "Carbon Smart Meter",
        "model": f"USB adapter, {rated_w} W panel" if rated_w else "USB adapter",
    }
    if firmware:
        device["sw_version"] = firmware
    out: dict[str, dict[str, object]] = {}
    for e in ENTITIES:
        cfg: dict[str, object] = {
            "name": e.name,
            "unique_id": f"{node}_{e.key}",
            # the entity id Home Assistant gives it (sensor.csm_…_energy_kwh); `object_id`, which did this
            # before, was deprecated in Home Assistant 2025.10 and removed in 2026.4
            "default_entity_id": f"{e.component}.{node}_{e.key}",
            "state_topic": topics.state(address),
            "availability_topic": topics.bridge_status,
            "payload_available": ONLINE,
            "payload_not_available": OFFLINE,
            "device": device,
            "origin": {"name": "Carbon Smart Meter", "sw_version": __version__},
        }
        if e.component == "binary_sensor":
            cfg["value_template"] = "{{ 'ON' if value_json.link == 'connected' else 'OFF' }}"
            cfg["json_attributes_topic"] = topics.state(address)
            cfg["json_attributes_template"] = "{{ {'link': value_json.link} | tojson }}"
        else:
            cfg["value_template"] = f"{{{{ value_json.{e.key} }}}}"
            cfg["unit_of_measurement"] = e.unit
        for field, value in (("device_class", e.device_class), ("state_class", e.state_class),
                             ("suggested_display_precision", e.precision), ("icon", e.icon)):
            if value is not None:
                cfg[field] = value
        out[topics.config(address, e)] = cfg
    return out

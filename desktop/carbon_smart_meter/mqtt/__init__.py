"""Home Assistant over MQTT: a live session's devices published with MQTT discovery.

`csm mqtt --broker URL` runs a live session (the one every entry point composes) and a bridge that pulls
its snapshot on its own timer, as a window would, and publishes per device power, energy (a
`total_increasing` counter kept across restarts in DATA_DIR), voltage, current, the CO₂ estimate and the
link state. Home Assistant's MQTT integration finds the device through the discovery configs; the
publisher reconnects by itself and keeps a bounded buffer of what it could not send meanwhile.
"""

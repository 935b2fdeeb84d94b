"""`csm mqtt`: record devices and publish them to Home Assistant over MQTT (discovery, energy counter)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from functools import partial
from pathlib import Path

from carbon_smart_meter.calibration.store import CalibrationStore, default_root
from carbon_smart_meter.commands.arguments import (
    calibration_records,
    folder_for_output,
    number,
    region_code,
    seconds,
    waited_serial_port,
    whole,
)
from carbon_smart_meter.settings import PROFILES as PROFILE_NAMES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("mqtt", help="publish devices to Home Assistant over MQTT (with discovery), recording them")
    p.add_argument("ports", nargs="+", metavar="PORT", type=waited_serial_port,
                   help="serial port or simulator pty of each device")
    p.add_argument("--broker", required=True, metavar="URL",
                   help="mqtt://[user@]host[:1883] or mqtts://[user@]host[:8883] (TLS)")
    p.add_argument("--username", default=None, help="user name (or user@ in the URL)")
    p.add_argument("--password-file", type=Path, default=None,
                   help="file holding the password (else the URL's, else $CSM_MQTT_PASSWORD)")
    p.add_argument("--ca", type=Path, default=None, help="CA certificate (PEM) the broker's certificate is signed by")
    p.add_argument("--cert", type=Path, default=None, help="client certificate (PEM), for brokers that require one")
    p.add_argument("--key", type=Path, default=None, help="the client certificate's private key (PEM)")
    p.add_argument("--tls", action="store_true", help="TLS with the system's CAs (implied by mqtts:// and --ca)")
    p.add_argument("--insecure", action="store_true",
                   help="TLS without checking the broker's certificate (a self-signed test broker only)")
    p.add_argument("--interval", type=number(minimum=0.1, maximum=86400, unit="s"),
                   default=5.0, help="seconds between state messages (default 5)")
    p.add_argument("--buffer", type=whole(minimum=1, maximum=1_000_000, unit="messages"), default=1000,
                   help="messages kept while the broker is away; the oldest go first (default 1000)")
    p.add_argument("--base-topic", default="csm", help="prefix of the state topics (default csm)")
    p.add_argument("--discovery-prefix", default="homeassistant", help="Home Assistant's discovery prefix")
    p.add_argument("--out", type=folder_for_output, default=None,
                   help="data directory: session files and the energy counters (default: the settings' data_dir)")
    p.add_argument("--profile", default="kiosk", choices=list(PROFILE_NAMES),
                   help="recording profile (default kiosk: daily files within a disk budget)")
    p.add_argument("--calibrations", type=calibration_records, default=None,
                   help=f"calibration records (default {default_root()})")
    p.add_argument("--region", default="", type=region_code,
                   help="region code for the CO₂ factor and the files (e.g. DE, NZ)")
    p.add_argument("--duration", type=seconds(), default=None, help="seconds to run (default: until Ctrl-C)")
    p.set_defaults(func=cmd_mqtt)


def cmd_mqtt(args: argparse.Namespace) -> int:
    from carbon_smart_meter.app.headless import run_headless
    from carbon_smart_meter.app.session import LiveSession
    from carbon_smart_meter.errors import CsmError
    from carbon_smart_meter.mqtt.bridge import MqttBridge
    from carbon_smart_meter.mqtt.broker import parse_broker
    from carbon_smart_meter.mqtt.discovery import Topics
    from carbon_smart_meter.mqtt.publisher import Publisher
    from carbon_smart_meter.mqtt.totals import FILENAME, EnergyTotals
    from carbon_smart_meter.settings import Settings, load_settings

    if args.interval <= 0 or args.buffer < 1:
        raise CsmError("--interval must be positive and --buffer at least 1")
    config = parse_broker(args.broker, username=args.username, password_file=args.password_file, ca_file=args.ca,
                          cert_file=args.cert, key_file=args.key, tls=args.tls, insecure=args.insecure)
    base, _ = load_settings()
    settings = Settings(data_dir=str(args.out) if args.out else base.data_dir, region=args.region or base.region)
    store = CalibrationStore(args.calibrations) if args.calibrations else CalibrationStore()
    session = LiveSession(settings, args.profile, calibrations=store)
    try:
        totals = EnergyTotals(Path(settings.data_dir) / FILENAME)
    except ValueError as exc:
        raise CsmError(str(exc)) from None
    say = partial(print, file=sys.stderr, flush=True)
    bridge = MqttBridge(session, partial(Publisher, config, buffer=args.buffer), totals,
                        topics=Topics(args.base_topic, args.discovery_prefix), interval_s=args.interval, say=say)
    say(f"publishing to {config.url} (state topics {args.base_topic}/…, discovery under {args.discovery_prefix}/)")
    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    bridge.start()
    try:
        paths = run_headless(session, args.ports, say=say, duration=args.duration, done=done)
    finally:
        signal.signal(signal.SIGTERM, previous)
        bridge.stop()
    stats = bridge.publisher.stats
    say(f"mqtt: {stats.sent} messages sent, {stats.connects} connections, {stats.dropped} dropped while the "
        f"broker was away{'; last problem: ' + stats.last_error if stats.last_error else ''}")
    for path in paths:
        print(path)
    return 0 if stats.connects else 1

"""A real mosquitto (Debian's) per test, on a free port, and a paho client that reads topics back."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Broker:
    root: Path
    port: int
    tls: tuple[Path, Path, Path] | None = None   # (ca, cert, key) of a TLS listener
    users: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    def start(self) -> Broker:
        conf = [f"listener {self.port} 127.0.0.1", "persistence false", "log_dest stderr",
                f"allow_anonymous {'false' if self.users else 'true'}"]
        if os.geteuid() == 0:  # run as root (CI), mosquitto would switch to its own user: keep root for tmp files
            conf.append("user root")
        if self.users:
            pw = self.root / "passwd"
            pw.write_text("".join(f"{u}:{p}\n" for u, p in self.users.items()))
            pw.chmod(0o600)
            subprocess.run(["mosquitto_passwd", "-U", str(pw)], check=True)
            conf.append(f"password_file {pw}")
        if self.tls:
            ca, cert, key = self.tls
            conf += [f"cafile {ca}", f"certfile {cert}", f"keyfile {key}"]
        (self.root / "mosquitto.conf").write_text("\n".join(conf) + "\n")
        with open(self.root / "mosquitto.log", "ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.root / "mosquitto.conf")],
                                         stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                assert self.proc.poll() is None, (self.root / "mosquitto.log").read_text()
                assert time.monotonic() < deadline, "mosquitto did not open its port"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


class Reader:
    """A paho client subscribed to topics; keeps every message (topic, payload, retained) in order."""

    def __init__(self, port: int, topics: list[str], **tls) -> None:
        self.messages: list[tuple[str, bytes, bool]] = []
        self._lock = threading.Lock()
        self.client = paho.Client(CallbackAPIVersion.VERSION2, protocol=paho.MQTTv311)
        self.subscribed = threading.Event()
        if tls:
            self.client.tls_set(ca_certs=str(tls["ca"]))
        if "username" in tls:
            self.client.username_pw_set(tls["username"], tls["password"])

        def on_connect(client, userdata, flags, rc, props):
            client.subscribe([(t, 1) for t in topics])

        def on_subscribe(client, userdata, mid, rcs, props):
            self.subscribed.set()

        def on_message(client, userdata, msg):
            with self._lock:
                self.messages.append((msg.topic, msg.payload, bool(msg.retain)))

        self.client.on_connect, self.client.on_subscribe, self.client.on_message = on_connect, on_subscribe, on_message
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        assert self.subscribed.wait(10), "the reader could not subscribe"

    def on(self, topic: str) -> list[bytes]:
        with self._lock:
            return [p for t, p, _ in self.messages if t == topic]

    def json_on(self, topic: str) -> list[dict]:
        return [json.loads(p) for p in self.on(topic)]

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def make_certificates(root: Path) -> tuple[Path, Path, Path]:
    """A CA and a broker certificate for 127.0.0.1/localhost signed by it (PEM files)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "csm test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = root / "ca.pem", root / "broker.pem", root / "broker.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    paths[2].chmod(0o644)  # mosquitto may run as another user
    return paths

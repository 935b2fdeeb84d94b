"""Where the broker is and how to log in: one URL (mqtt:// or mqtts://) plus TLS and credential options.

A password may sit in the URL, but a command line is visible to every user of the machine (`ps`), so
`--password-file` and the CSM_MQTT_PASSWORD variable are offered too; the first one given wins in the
order file, URL, variable.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from carbon_smart_meter.errors import CsmError

DEFAULT_PORTS = {"mqtt": 1883, "mqtts": 8883}
PASSWORD_ENV = "CSM_MQTT_PASSWORD"


@dataclass(frozen=True)
class BrokerConfig:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None     # None: the system's trusted CAs
    cert_file: Path | None = None   # client certificate (brokers that require one)
    key_file: Path | None = None
    insecure: bool = False          # TLS without checking the broker's name (self-signed test brokers only)
    client_id: str = ""
    keepalive_s: int = 30

    @property
    def url(self) -> str:
        """The URL without the password (for logs and messages)."""
        user = f"{self.username}@" if self.username else ""
        return f"{'mqtts' if self.tls else 'mqtt'}://{user}{self.host}:{self.port}"

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.tls:
            return None
        ctx = ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        if self.cert_file:
            ctx.load_cert_chain(str(self.cert_file), str(self.key_file) if self.key_file else None)
        if self.insecure:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx


def parse_broker(url: str, *, username: str | None = None, password_file: Path | None = None,
                 ca_file: Path | None = None, cert_file: Path | None = None, key_file: Path | None = None,
                 tls: bool = False, insecure: bool = False, client_id: str = "") -> BrokerConfig:
    """`mqtt://[user[:password]@]host[:port]` or `mqtts://…` (TLS); a bare `host[:port]` means mqtt://."""
    text = url.strip()
    if "://" not in text:
        text = "mqtt://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise CsmError(f"broker URL {url!r} is not valid ({exc}); use mqtt://host:1883 or mqtts://host:8883") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise CsmError(f"broker URL {url!r}: scheme {scheme!r} is not mqtt:// or mqtts://")
    if not parts.hostname:
        raise CsmError(f"broker URL {url!r} names no host; use mqtt://host:1883")
    for label, path in (("CA file", ca_file), ("certificate", cert_file), ("key", key_file)):
        if path is not None and not Path(path).is_file():
            raise CsmError(f"the {label} {path} does not exist; give the path of a PEM file")
    if key_file and not cert_file:
        raise CsmError("--key needs --cert (the client certificate it belongs to)")
    secret = None
    if password_file is not None:
        try:
            secret = Path(password_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CsmError(f"cannot read the password file {password_file}: {exc.strerror}") from None
    elif parts.password is not None:
        secret = unquote(parts.password)
    elif os.environ.get(PASSWORD_ENV):
        secret = os.environ[PASSWORD_ENV]
    user = username or (unquote(parts.username) if parts.username else None)
    if secret is not None and not user:
        raise CsmError("a password was given without a user name; add --username or user@ in the URL")
    use_tls = tls or scheme == "mqtts" or ca_file is not None or cert_file is not None
    return BrokerConfig(parts.hostname, port or DEFAULT_PORTS["mqtts" if use_tls else "mqtt"], use_tls, user, secret,
                        Path(ca_file) if ca_file else None, Path(cert_file) if cert_file else None,
                        Path(key_file) if key_file else None, insecure, client_id)

"""Wallets kept encrypted at rest: EVM accounts and Solana keypairs in one file format.

Both are 32-byte secrets (an secp256k1 private key; an ed25519 seed), so both are stored as Web3
Secret Storage ("keystore v3": scrypt + AES-128-CTR + MAC, eth-account's implementation) with a small
`csm` header naming the kind and the public address. An EVM wallet file is an ordinary keystore that
geth, Foundry or MetaMask import as it is. Solana CLI keypair files are plain JSON arrays of the secret;
importing one encrypts it, and `export_solana_keypair` writes the CLI format back only on request.

Secrets never appear on a command line, in a log line or in an error: passwords come from a prompt or
from an environment variable the user names, keys from files.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from eth_account import Account
from eth_account.signers.local import LocalAccount
from solders.keypair import Keypair

from carbon_smart_meter.errors import ChainError

APP_NAME = "carbon-smart-meter"
FORMAT = "csm-wallet-v1"
KINDS = ("evm", "solana")
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class WalletError(ChainError):
    """A wallet file is missing, malformed, or the password is wrong."""


def wallets_dir() -> Path:
    env = os.environ.get("CSM_WALLETS")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME)) / "wallets"


@dataclass(frozen=True)
class WalletInfo:
    """What can be known about a wallet without its password."""

    name: str
    kind: str
    address: str  # 0x-checksummed (EVM) or base58 (Solana)
    path: Path
    created_utc: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "kind": self.kind, "address": self.address, "file": str(self.path),
                "created_utc": self.created_utc}


# ---- passwords --------------------------------------------------------------------------------------

def read_password(env_name: str | None, *, what: str, confirm: bool = False) -> str:
    """From the environment variable the user named, else a prompt on a terminal; never echoed."""
    if env_name:
        value = os.environ.get(env_name)
        if not value:
            raise WalletError(f"the environment variable {env_name} named by --password-env is not set or empty")
        password = value
    elif sys.stdin is not None and sys.stdin.isatty():
        password = getpass.getpass(f"password for {what}: ")
        if confirm and getpass.getpass("repeat it: ") != password:
            raise WalletError("the two passwords differ; nothing was written")
    else:
        raise WalletError(f"a password is needed for {what}: run in a terminal, or put it in an environment "
                          "variable and name it with --password-env VAR")
    if confirm and len(password) < MIN_PASSWORD:
        raise WalletError(f"choose a password of at least {MIN_PASSWORD} characters")
    return password


# ---- files ------------------------------------------------------------------------------------------

def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise WalletError(f"wallet name {name!r}: use letters, digits, '-', '_' or '.', at most 64 characters")


def _address_of(kind: str, secret: bytes) -> str:
    if kind == "evm":
        return Account.from_key(secret).address
    return str(Keypair.from_seed(secret).pubkey())


def _write(name: str, kind: str, secret: bytes, password: str, directory: Path | None) -> WalletInfo:
    _check_name(name)
    if kind not in KINDS:
        raise WalletError(f"wallet kind {kind!r}: choose evm or solana")
    if len(secret) != 32:
        raise WalletError("a wallet secret is 32 bytes")
    address = _address_of(kind, secret)
    keystore = Account.encrypt(secret, password, kdf="scrypt")
    if kind == "solana":
        keystore.pop("address", None)  # that field is an Ethereum address; a Solana seed has none
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    keystore["csm"] = {"format": FORMAT, "kind": kind, "address": address, "name": name, "created_utc": created}
    d = directory or wallets_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = d / f"{name}.json"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise WalletError(f"a wallet named {name!r} already exists ({path}); choose another name") from None
    with os.fdopen(fd, "w") as f:
        json.dump(keystore, f, indent=2)
        f.write("\n")
    return WalletInfo(name, kind, address, path, created)


def create(name: str, kind: str, password: str, directory: Path | None = None) -> WalletInfo:
    """A new random wallet, written exclusively (never over an existing one)."""
    secret = Account.create().key if kind == "evm" else bytes(Keypair())[:32]
    return _write(name, kind, bytes(secret), password, directory)


def import_secret(name: str, kind: str, secret: bytes, password: str, directory: Path | None = None) -> WalletInfo:
    return _write(name, kind, secret, password, directory)


def read_key_file(path: Path) -> bytes:
    """An EVM private key as hex (with or without 0x) in a file."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise WalletError(f"cannot read the key file {path}: {exc}") from None
    text = text.removeprefix("0x")
    if len(text) != 64 or not all(c in "0123456789abcdefABCDEF" for c in text):
        raise WalletError(f"key file {path} must hold one 32-byte private key as 64 hex digits")
    return bytes.fromhex(text)


def read_keystore_secret(path: Path, password: str) -> bytes:
    """The secret of a standard keystore v3 file (geth, Foundry, ours)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise WalletError(f"cannot read the keystore {path}: {exc}") from None
    try:
        return bytes(Account.decrypt(data, password))
    except ValueError as exc:
        raise WalletError(f"cannot open the keystore {path}: {_readable(exc)}") from None
    except Exception as exc:  # malformed crypto section: KeyError, TypeError...
        raise WalletError(f"keystore {path} is not a valid keystore v3 file ({type(exc).__name__})") from None


def read_solana_keypair_file(path: Path) -> bytes:
    """The 32-byte seed of a Solana CLI keypair file (a JSON array of 64 bytes)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise WalletError(f"cannot read the Solana keypair file {path}: {exc}") from None
    if not isinstance(raw, list) or len(raw) != 64 or not all(isinstance(b, int) and 0 <= b <= 255 for b in raw):
        raise WalletError(f"Solana keypair file {path} must be a JSON array of 64 integers 0..255")
    try:
        keypair = Keypair.from_bytes(bytes(raw))
    except ValueError as exc:
        raise WalletError(f"Solana keypair file {path} does not hold a valid ed25519 keypair: {exc}") from None
    return bytes(keypair)[:32]


def info(name_or_path: str, directory: Path | None = None) -> WalletInfo:
    path = _path(name_or_path, directory)
    data = _read(path)
    head = data.get("csm")
    if isinstance(head, dict) and head.get("format") == FORMAT and head.get("kind") in KINDS:
        return WalletInfo(str(head.get("name") or path.stem), head["kind"], str(head.get("address", "")), path,
                          str(head.get("created_utc", "")))
    if "crypto" in data or "Crypto" in data:  # a plain keystore from geth / Foundry: an EVM wallet
        address = data.get("address", "")
        return WalletInfo(path.stem, "evm", "0x" + address.removeprefix("0x") if address else "", path, "")
    raise WalletError(f"{path} is not a wallet file (no keystore crypto section)")


def list_wallets(directory: Path | None = None) -> list[WalletInfo]:
    d = directory or wallets_dir()
    out = []
    for path in sorted(d.glob("*.json")) if d.is_dir() else []:
        try:
            out.append(info(str(path)))
        except WalletError:
            continue
    return out


def unlock_evm(name_or_path: str, password: str, directory: Path | None = None) -> LocalAccount:
    w = info(name_or_path, directory)
    if w.kind != "evm":
        raise WalletError(f"wallet {w.name} is a {w.kind} wallet; an EVM chain needs an evm wallet")
    return Account.from_key(_secret(w, password))


def unlock_solana(name_or_path: str, password: str, directory: Path | None = None) -> Keypair:
    w = info(name_or_path, directory)
    if w.kind != "solana":
        raise WalletError(f"wallet {w.name} is a {w.kind} wallet; Solana needs a solana wallet")
    return Keypair.from_seed(_secret(w, password))


def export_solana_keypair(name_or_path: str, password: str, out: Path, directory: Path | None = None) -> Path:
    """Write the Solana CLI keypair file (unencrypted, mode 0600) for `solana program deploy`."""
    keypair = unlock_solana(name_or_path, password, directory)
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise WalletError(f"{out} exists; choose another file (never overwritten)") from None
    with os.fdopen(fd, "w") as f:
        json.dump(list(bytes(keypair)), f)
    return out


def _secret(w: WalletInfo, password: str) -> bytes:
    data = _read(w.path)
    data.pop("csm", None)
    try:
        secret = bytes(Account.decrypt(data, password))
    except ValueError as exc:
        raise WalletError(f"cannot unlock wallet {w.name}: {_readable(exc)}") from None
    except Exception as exc:
        raise WalletError(f"wallet file {w.path} is damaged ({type(exc).__name__}); restore it from a backup") \
            from None
    if w.address and _address_of(w.kind, secret).lower() != w.address.lower():
        raise WalletError(f"wallet file {w.path} is damaged: its key does not match its address {w.address}")
    return secret


def _path(name_or_path: str, directory: Path | None) -> Path:
    p = Path(name_or_path).expanduser()
    if p.suffix == ".json" and (p.is_file() or os.sep in name_or_path):
        return p
    return (directory or wallets_dir()) / f"{name_or_path}.json"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WalletError(f"no wallet at {path}: create one with `csm wallet new NAME --kind evm|solana` or "
                          "import one with `csm wallet import`") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise WalletError(f"wallet file {path} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise WalletError(f"wallet file {path} is not a JSON object")
    return data


def _readable(exc: ValueError) -> str:
    text = str(exc)
    return "wrong password" if "MAC mismatch" in text or "password" in text.lower() else text

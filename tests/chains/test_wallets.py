"""Wallets: encrypted at rest, interoperable, and never leaking a secret."""

from __future__ import annotations

import json
import stat

import pytest
from eth_account import Account
from solders.keypair import Keypair

from carbon_smart_meter.chains import wallets as w

PASSWORD = "correct horse battery"


def test_a_new_evm_wallet_is_a_standard_keystore_that_only_its_password_opens(tmp_path):
    info = w.create("ship", "evm", PASSWORD, tmp_path)
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    data = json.loads(info.path.read_text())
    # any keystore v3 reader opens it (the csm header is extra)
    assert Account.from_key(Account.decrypt(data, PASSWORD)).address == info.address
    assert w.unlock_evm("ship", PASSWORD, tmp_path).address == info.address
    with pytest.raises(w.WalletError, match="wrong password"):
        w.unlock_evm("ship", "not the password", tmp_path)


def test_a_solana_wallet_keeps_its_seed_encrypted_and_round_trips_the_cli_format(tmp_path):
    cli = Keypair()
    src = tmp_path / "id.json"
    src.write_text(json.dumps(list(bytes(cli))))
    info = w.import_secret("sol", "solana", w.read_solana_keypair_file(src), PASSWORD, tmp_path)
    assert info.address == str(cli.pubkey())
    text = info.path.read_text()
    assert str(list(bytes(cli))[:8])[1:-1] not in text  # the secret bytes are not in the file
    assert "address" not in json.loads(text) or json.loads(text)["csm"]["address"] == info.address
    out = w.export_solana_keypair("sol", PASSWORD, tmp_path / "export.json", tmp_path)
    assert json.loads(out.read_text()) == list(bytes(cli))
    with pytest.raises(w.WalletError, match="never overwritten"):
        w.export_solana_keypair("sol", PASSWORD, out, tmp_path)


def test_an_evm_key_file_and_a_foreign_keystore_import(tmp_path):
    acct = Account.create()
    keyfile = tmp_path / "key.txt"
    keyfile.write_text("0x" + acct.key.hex() + "\n")
    assert w.import_secret("a", "evm", w.read_key_file(keyfile), PASSWORD, tmp_path).address == acct.address
    foreign = tmp_path / "geth.json"
    foreign.write_text(json.dumps(Account.encrypt(acct.key, "other password", kdf="pbkdf2", iterations=2)))
    assert w.info(str(foreign)).kind == "evm"
    secret = w.read_keystore_secret(foreign, "other password")
    assert w.import_secret("b", "evm", secret, PASSWORD, tmp_path).address == acct.address


@pytest.mark.parametrize("content, match", [
    ("0x1234", "64 hex digits"), ("zz" * 32, "64 hex digits"), (b"\xff\xfe", "cannot read")])
def test_a_bad_key_file_is_refused_with_the_reason(tmp_path, content, match):
    p = tmp_path / "key"
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(w.WalletError, match=match):
        w.read_key_file(p)


def test_a_wallet_is_never_overwritten_and_names_are_checked(tmp_path):
    w.create("one", "evm", PASSWORD, tmp_path)
    before = (tmp_path / "one.json").read_bytes()
    with pytest.raises(w.WalletError, match="already exists"):
        w.create("one", "evm", PASSWORD, tmp_path)
    assert (tmp_path / "one.json").read_bytes() == before
    with pytest.raises(w.WalletError, match="wallet name"):
        w.create("../escape", "evm", PASSWORD, tmp_path)


def test_a_damaged_wallet_file_is_reported_not_opened(tmp_path):
    info = w.create("d", "evm", PASSWORD, tmp_path)
    data = json.loads(info.path.read_text())
    data["crypto"]["ciphertext"] = "00" * 32
    info.path.write_text(json.dumps(data))
    with pytest.raises(w.WalletError):
        w.unlock_evm("d", PASSWORD, tmp_path)
    (tmp_path / "junk.json").write_text("[1, 2]")
    with pytest.raises(w.WalletError, match="not a JSON object"):
        w.info("junk", tmp_path)


def test_the_wrong_kind_of_wallet_is_refused_for_a_chain(tmp_path):
    w.create("e", "evm", PASSWORD, tmp_path)
    with pytest.raises(w.WalletError, match="Solana needs a solana wallet"):
        w.unlock_solana("e", PASSWORD, tmp_path)


def test_passwords_come_from_a_named_variable_or_a_terminal_never_from_nowhere(monkeypatch):
    monkeypatch.setenv("MY_PW", "long enough password")
    assert w.read_password("MY_PW", what="x", confirm=True) == "long enough password"
    monkeypatch.setenv("SHORT_PW", "short")
    with pytest.raises(w.WalletError, match="at least 8"):
        w.read_password("SHORT_PW", what="x", confirm=True)
    with pytest.raises(w.WalletError, match="not set"):
        w.read_password("UNSET_PW_XYZ", what="x")
    monkeypatch.setattr("sys.stdin", None)
    with pytest.raises(w.WalletError, match="--password-env"):
        w.read_password(None, what="x")

"""`csm wallet` and `csm chain` as a user types them: one clear line and a non-zero exit on bad input,
a deployment record on success, and never a secret in the output."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from carbon_smart_meter.chains.evm.anvil import AnvilNode

PASSWORD = "pool-side password"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CSM_WALLETS", str(tmp_path / "wallets"))
    monkeypatch.setenv("CSM_DEPLOYMENTS", str(tmp_path / "deployments"))
    monkeypatch.setenv("WALLET_PW", PASSWORD)
    return tmp_path


def csm(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "carbon_smart_meter.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


def assert_one_line_error(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    for w in words:
        assert w in lines[0], lines[0]


def test_a_wallet_is_created_shown_and_listed_without_its_secret(home):
    r = csm("wallet", "new", "resort", "--kind", "evm", "--password-env", "WALLET_PW")
    assert r.returncode == 0, r.stderr
    address = r.stdout.split()[4]
    show = json.loads(csm("wallet", "show", "resort", "--json").stdout)
    assert show["address"] == address and show["kind"] == "evm"
    assert address in csm("wallet", "list").stdout
    key_hex = json.loads((home / "wallets" / "resort.json").read_text())["crypto"]["ciphertext"]
    assert key_hex not in r.stdout + r.stderr


def test_bad_wallet_input_gets_one_line_and_a_non_zero_exit(home):
    assert csm("wallet", "new", "w", "--kind", "evm", "--password-env", "WALLET_PW").returncode == 0
    assert_one_line_error(csm("wallet", "new", "w", "--kind", "evm", "--password-env", "WALLET_PW"), "already exists")
    assert_one_line_error(csm("wallet", "new", "x", "--kind", "evm", "--password-env", "NOT_SET_ANYWHERE"), "not set")
    assert_one_line_error(csm("wallet", "new", "x", "--kind", "evm", stdin=""), "--password-env")
    assert_one_line_error(csm("wallet", "show", "nobody"), "csm wallet new")
    bad = home / "key.txt"
    bad.write_text("not a key")
    assert_one_line_error(csm("wallet", "import", "k", "--key-file", str(bad), "--password-env", "WALLET_PW"),
                          "64 hex digits")
    assert not (home / "wallets" / "x.json").exists() and not (home / "wallets" / "k.json").exists()


def test_bad_chain_input_gets_one_line_and_a_non_zero_exit(home):
    assert_one_line_error(csm("chain", "show", "nowhere"), "no deployment named")
    r = csm("chain", "deploy", "--chain", "etherium", "--rpc", "http://127.0.0.1:9", "--wallet", "w")
    assert_one_line_error(r, "unknown network")
    assert csm("wallet", "new", "w", "--kind", "evm", "--password-env", "WALLET_PW").returncode == 0
    r = csm("chain", "deploy", "--chain", "anvil", "--rpc", "http://127.0.0.1:9", "--wallet", "w",
            "--password-env", "WALLET_PW")
    assert_one_line_error(r, "unreachable")
    assert not (home / "deployments").exists() or not list((home / "deployments").iterdir())


def test_deploy_to_a_real_node_writes_a_record_that_show_reads(home):
    from carbon_smart_meter.chains.evm.anvil import dev_accounts

    key = home / "deployer.key"
    key.write_text(dev_accounts(1)[0].key.hex())
    assert csm("wallet", "import", "deployer", "--key-file", str(key), "--password-env", "WALLET_PW").returncode == 0
    with AnvilNode() as node:
        r = csm("chain", "deploy", "--chain", "sepolia", "--rpc", node.url, "--wallet", "deployer",
                "--password-env", "WALLET_PW")
        assert_one_line_error(r, "serves chain id 31337", "sepolia")
        r = csm("chain", "deploy", "--chain", "anvil", "--rpc", node.url, "--wallet", "deployer",
                "--password-env", "WALLET_PW", "--name", "local", "--manufacturer", "0x" + "11" * 20)
        assert r.returncode == 0, r.stderr
    record = json.loads(csm("chain", "show", "local", "--json").stdout)
    assert record["network"] == "anvil" and record["chain_id"] == 31337
    assert record["owner"] == dev_accounts(1)[0].address
    assert "local" in csm("chain", "list").stdout
    assert "moonbeam: evm, chain id 1284" in csm("chain", "networks").stdout

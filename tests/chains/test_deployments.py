"""Deployment records: written once by `csm chain deploy`, read by every claim command."""

from __future__ import annotations

import pytest

from carbon_smart_meter.chains.deployments import DeploymentRecord, DeploymentRecordError, list_records, load, save
from carbon_smart_meter.chains.networks import UnknownNetworkError

DEP = "0x" + "ab" * 32


def record(**over) -> DeploymentRecord:
    values = dict(name="resort-main", network="base-sepolia", kind="evm", deployment_id=DEP,
                  address="0x5FbDB2315678afecb367f032d93F642f64180aa3", chain_id=84532, rpc="http://node:8545")
    values.update(over)
    return DeploymentRecord(**values)


def test_a_saved_record_reads_back_the_same(tmp_path):
    path = save(record(), tmp_path)
    assert load("resort-main", tmp_path) == record(created_utc=load("resort-main", tmp_path).created_utc)
    assert load(str(path)).name == "resort-main"
    assert [r.name for r in list_records(tmp_path)] == ["resort-main"]


def test_a_second_deployment_with_the_same_name_never_replaces_the_first(tmp_path):
    save(record(), tmp_path)
    with pytest.raises(DeploymentRecordError, match="already exists"):
        save(record(address="0x" + "11" * 20), tmp_path)
    assert load("resort-main", tmp_path).address.endswith("0aa3")


def test_a_record_must_agree_with_its_network(tmp_path):
    with pytest.raises(DeploymentRecordError, match="chain id 1 is not base-sepolia's"):
        save(record(chain_id=1), tmp_path)
    with pytest.raises(DeploymentRecordError, match="is evm, the record says solana"):
        save(record(kind="solana"), tmp_path)
    with pytest.raises(UnknownNetworkError):
        save(record(network="nowhere"), tmp_path)
    with pytest.raises(DeploymentRecordError, match="32 bytes"):
        save(record(deployment_id="0x1234"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_corrupt_record_says_what_to_do(tmp_path):
    with pytest.raises(DeploymentRecordError, match="csm chain deploy"):
        load("absent", tmp_path)
    (tmp_path / "broken.json").write_bytes(b"\xff\x00{")
    with pytest.raises(DeploymentRecordError, match="not JSON"):
        load("broken", tmp_path)
    assert list_records(tmp_path) == []

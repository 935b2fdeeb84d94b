"""CsmRewards against onchain/vectors/limits.json: the same error codes, parameter bounds and limits
as the Python model (tests/rewards/test_limits_table.py) and the Solana program."""

from __future__ import annotations

import json
import re

import pytest
from tests.onchain.evm.evm_contract_support import REPO, VECTOR_PARAMS, apply_after_delay

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.artifact import SOURCE_PATH
from carbon_smart_meter.chains.evm.codec import PARAM_FIELDS, params_struct
from carbon_smart_meter.chains.evm.errors import TransactionRevertedError
from carbon_smart_meter.chains.evm.local import LocalDeployment, local_evm_deployment
from carbon_smart_meter.rewards.params import Code, PayoutParams

TABLE = json.loads((REPO / "onchain" / "vectors" / "limits.json").read_text())
SOURCE = SOURCE_PATH.read_text()
UINT_MAX = {"cap_mwh_per_day": 2**64 - 1, "peak_sun_hours": 2**32 - 1, "share_bps": 2**16 - 1}


def test_every_code_constant_of_the_contract_is_the_tables():
    constants = dict(re.findall(r"^([A-Z_]+): constant\(uint8\) = (\d+)$", SOURCE, re.MULTILINE))
    assert constants and {name: int(v) for name, v in constants.items()} == {
        name: TABLE["codes"][name] for name in constants}


def test_every_revert_reason_of_the_contract_is_a_code_of_the_table():
    reasons = set(re.findall(r'assert [^\n]*?, "([A-Z_]+)"', SOURCE))
    assert reasons and reasons <= set(TABLE["codes"])
    assert {getattr(Code, r) for r in reasons} == {TABLE["codes"][r] for r in reasons}


def test_the_contracts_limits_are_the_tables(wallet: EvmAdapter):
    f, t = wallet.contract.functions, TABLE["limits"]
    assert f.PRICE_TABLE_CAPACITY().call() == t["price_table_capacity"]
    assert f.MAX_MANUFACTURERS().call() == t["max_manufacturers"]
    assert f.MAX_ERA().call() == t["max_era"] and f.MAX_BATCH().call() == t["max_batch"]["evm"]
    assert (f.MIN_PARAMS_DELAY_S().call(), f.MAX_PARAMS_DELAY_S().call()) == (
        t["params_delay_s"]["min"], t["params_delay_s"]["max"])
    assert f.decimals().call() == t["token_decimals"]


def test_a_default_deployment_has_the_tables_defaults():
    d = local_evm_deployment()
    params = d.adapter.params()
    assert {name: getattr(params, name) for name in TABLE["params"]} == {
        name: row["default"] for name, row in TABLE["params"].items()}
    assert params.prices == {0: TABLE["limits"]["default_price_micro_usd_per_kwh"]}
    assert d.adapter.params_delay_s() == TABLE["limits"]["params_delay_s"]["default"]


@pytest.mark.parametrize("name", list(TABLE["params"]))
def test_each_parameter_is_accepted_at_its_bounds_and_refused_past_them(owner: EvmAdapter, name: str):
    row = TABLE["params"][name]
    for value, ok in ((row["min"], True), (row["max"], True), (row["min"] - 1, False), (row["max"] + 1, False)):
        if value < 0 or value > UINT_MAX.get(name, 2**64 - 1):
            continue   # not even encodable in the struct's field
        values = dict(zip(PARAM_FIELDS, params_struct(VECTOR_PARAMS), strict=True))
        values[name] = value
        if ok:
            owner._transact("schedule_params", [tuple(values.values())], "scheduling parameters")
        else:
            with pytest.raises(TransactionRevertedError) as err:
                owner._transact("schedule_params", [tuple(values.values())], "scheduling parameters")
            assert err.value.code == Code.BAD_PARAMETER, (name, value)


def test_the_price_table_holds_its_capacity_and_a_cleared_price_frees_a_slot(evm: LocalDeployment,
                                                                             owner: EvmAdapter):
    capacity = TABLE["limits"]["price_table_capacity"]
    full = {region: 100_000 + region for region in range(capacity)}
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(prices=full))
    assert owner.params().prices == full
    with pytest.raises(TransactionRevertedError) as err:
        owner._transact("schedule_price", [999, 1], "scheduling a 33rd price")
    assert (err.value.reason, err.value.code) == ("PRICE_TABLE_FULL", TABLE["codes"]["PRICE_TABLE_FULL"])
    freed = dict(full)
    del freed[5]
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(prices=freed))
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(prices={**freed, 999: 1}))
    assert owner.params().prices == {**freed, 999: 1}


def test_the_python_model_refuses_what_the_contract_cannot_hold():
    with pytest.raises(Exception, match="at most 32"):
        PayoutParams(prices={region: 1 for region in range(TABLE["limits"]["price_table_capacity"] + 1)})

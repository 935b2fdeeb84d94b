"""The Solana program and the Python Solana adapter against onchain/vectors/limits.json: the same error
codes, parameter bounds and limits as the Python model (tests/rewards/test_limits_table.py) and the
Vyper contract (tests/onchain/evm/test_evm_limits_table.py). The interface crate's own table test
(interface/tests/limits_table.rs) checks the Rust constants; here the binary shows it enforces them."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from solders.instruction import AccountMeta, Instruction
from tests.onchain.solana.solana_program_support import LIMITS, REPO, configured, unchecked_params

from carbon_smart_meter.chains.solana import accounts, layout
from carbon_smart_meter.chains.solana.errors import code_name
from carbon_smart_meter.rewards.params import Code, PayoutParams

pytestmark = pytest.mark.sbf
ERROR_RS = (REPO / "onchain" / "solana" / "interface" / "src" / "error.rs").read_text()
NAME_RS = re.compile(r'Self::(\w+) => "([A-Z_]+)"')
CODE_RS = re.compile(r"^\s+(\w+) = (\d+),$", re.MULTILINE)
WIDTH = {"peak_sun_hours": 2**32 - 1, "share_bps": 2**16 - 1}


def test_every_code_of_the_program_is_the_tables_and_the_table_has_no_code_the_program_lacks() -> None:
    names = dict(NAME_RS.findall(ERROR_RS))
    program = {names[variant]: int(code) for variant, code in CODE_RS.findall(ERROR_RS)}
    assert program == {**LIMITS["codes"], **LIMITS["solana_only_codes"]}


def test_the_adapter_names_every_code_as_the_table_does() -> None:
    for name, code in {**LIMITS["codes"], **LIMITS["solana_only_codes"]}.items():
        assert code_name(code) == name
    assert set(layout.PROGRAM_ERRORS.values()) == set(LIMITS["solana_only_codes"])


def test_the_adapters_limits_are_the_tables() -> None:
    t = LIMITS["limits"]
    assert t["max_batch"]["solana"] == layout.MAX_CLAIMS_PER_INSTRUCTION
    assert t["price_table_capacity"] == accounts.MAX_PRICES


@pytest.mark.parametrize("name", list(LIMITS["params"]))
def test_each_parameter_is_scheduled_at_its_bounds_and_refused_one_past_them(name: str) -> None:
    env = configured()
    row = LIMITS["params"][name]
    for value, ok in ((row["min"], True), (row["max"], True), (row["min"] - 1, False), (row["max"] + 1, False)):
        if value < 0 or value > WIDTH.get(name, 2**64 - 1):
            continue   # not even encodable in the field
        sent = env.admin(layout.schedule_params_data(unchecked_params(**{name: value})))
        if ok:
            sent.ok()
            assert getattr(env.config().pending_params, name) == value
        else:
            assert sent.custom() == (0, Code.BAD_PARAMETER), (name, value)


def test_the_price_table_holds_exactly_its_capacity() -> None:
    capacity = LIMITS["limits"]["price_table_capacity"]
    env = configured()
    full = PayoutParams(prices={r: 100_000 + r for r in range(capacity)})
    env.write_config(replace(env.config(), params=full))
    assert env.admin(layout.schedule_price_data(capacity, 1)).custom() == (0, LIMITS["codes"]["PRICE_TABLE_FULL"])
    env.admin(layout.schedule_price_data(capacity - 1, 1)).ok()


def test_a_claim_instruction_takes_at_most_the_tables_batch() -> None:
    env = configured()
    most = LIMITS["limits"]["max_batch"]["solana"]
    config = AccountMeta(layout.config_address(env.program_id), False, True)
    too_many = Instruction(env.program_id, bytes([layout.TAG_CLAIM_V0, most + 1, *range(most + 1)]), [config])
    assert env.send([too_many]).custom() == (0, LIMITS["solana_only_codes"]["INVALID_INSTRUCTION"])
    # A full batch decodes; with one account it then lacks the rest (the runtime's NotEnoughAccountKeys)
    full = Instruction(env.program_id, layout.claim_data(list(range(most))), [config])
    sent = env.send([full])
    assert sent.error is not None and "NotEnoughAccountKeys" in str(sent.error)

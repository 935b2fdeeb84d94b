"""Owner operations: parameters within RULES.md bounds with events, price table, manufacturers,
pause, two-step ownership; and every one of them refused to anyone but the owner."""

from __future__ import annotations

import pytest
from tests.onchain.evm.evm_contract_support import VECTOR_PARAMS, apply_after_delay

from carbon_smart_meter.chains.evm.adapter import EvmAdapter
from carbon_smart_meter.chains.evm.codec import PARAM_FIELDS, params_struct
from carbon_smart_meter.chains.evm.errors import TransactionRevertedError
from carbon_smart_meter.chains.evm.local import LocalDeployment
from carbon_smart_meter.protocol.signing import DeviceKey
from carbon_smart_meter.rewards.params import Code, PayoutParams

NEW = VECTOR_PARAMS.with_changes(share_bps=3_000, min_claim_mwh=0, era_length_mwh=2**63, window_s=3_600,
                                 window_limit_mwh=10**9, prices={0: 1, 36: 10**9})


def test_the_owner_schedules_parameters_and_prices_and_anyone_applies_them_after_the_delay(
        evm: LocalDeployment, owner: EvmAdapter, wallet: EvmAdapter) -> None:
    at = owner.schedule_params(NEW)
    assert at is not None and at - evm.chain.pending_timestamp() <= owner.params_delay_s()
    assert owner.params() == VECTOR_PARAMS
    pending = owner.pending_change()
    assert pending is not None and pending.params == NEW and pending.effective_at <= at
    evm.chain.travel_to(at)
    wallet.apply_pending()
    assert owner.params() == NEW and owner.pending_change() is None


def test_a_parameter_change_emits_an_event_when_scheduled_and_when_applied(evm: LocalDeployment,
                                                                          owner: EvmAdapter) -> None:
    receipt = owner._transact("schedule_params", [params_struct(NEW)], "scheduling parameters")
    (event,) = owner.contract.events.ParamsScheduled().process_receipt(receipt)
    assert event["args"]["share_bps"] == 3_000 and event["args"]["era_length_mwh"] == 2**63
    evm.chain.travel_to(event["args"]["effective_at"])
    receipt = owner._transact("apply_params", [], "applying parameters")
    (event,) = owner.contract.events.ParamsChanged().process_receipt(receipt)
    assert event["args"]["window_limit_mwh"] == 10**9


@pytest.mark.parametrize(("field", "value"), [
    ("cap_mwh_per_day", 0), ("cap_mwh_per_day", 9_000_001), ("peak_sun_hours", 0), ("peak_sun_hours", 25),
    ("min_claim_mwh", 10**12 + 1), ("max_clock_skew_s", 86_401), ("share_bps", 999), ("share_bps", 3_001),
    ("tokens_per_usd", 0), ("tokens_per_usd", 10**12 + 1), ("era_length_mwh", 0), ("window_s", 3_599),
    ("window_s", 2_592_001), ("window_limit_mwh", 0),
])
def test_a_parameter_outside_its_bounds_is_refused(owner: EvmAdapter, field: str, value: int) -> None:
    values = dict(zip(PARAM_FIELDS, params_struct(VECTOR_PARAMS), strict=True))
    values[field] = value
    with pytest.raises(TransactionRevertedError) as err:
        owner._transact("schedule_params", [tuple(values.values())], "scheduling parameters")
    assert err.value.code == Code.BAD_PARAMETER
    assert owner.params() == VECTOR_PARAMS and owner.pending_change() is None


def test_a_price_above_the_bound_is_refused(owner: EvmAdapter) -> None:
    with pytest.raises(TransactionRevertedError) as err:
        owner._transact("schedule_price", [554, 10**9 + 1], "scheduling a price")
    assert err.value.code == Code.BAD_PARAMETER


def test_a_cleared_price_falls_back_to_region_zero(evm: LocalDeployment, owner: EvmAdapter) -> None:
    apply_after_delay(evm, VECTOR_PARAMS.with_changes(prices={0: 150_000, 276: 400_000}))
    assert owner.params().prices == {0: 150_000, 276: 400_000}
    assert owner.contract.functions.price_of(554).call() == [0, False]
    assert sorted(owner.contract.functions.price_regions().call()) == [0, 276]


@pytest.mark.parametrize("call", [
    ("schedule_params", [params_struct(NEW)]),
    ("schedule_price", [554, 1]),
    ("schedule_clear_price", [554]),
    ("set_manufacturer", ["0x" + "11" * 20, True]),
    ("set_paused", [True]),
    ("revoke_device", ["0x" + "11" * 20]),
    ("reinstate_device", ["0x" + "11" * 20]),
    ("set_device_region", ["0x" + "11" * 20, 554]),
    ("renounce_ownership", []),
], ids=lambda c: c[0])
def test_anyone_but_the_owner_is_unauthorised(wallet: EvmAdapter, call: tuple[str, list]) -> None:
    with pytest.raises(TransactionRevertedError) as err:
        wallet._transact(call[0], call[1], call[0])
    assert err.value.code == Code.UNAUTHORIZED or "caller is not the owner" in err.value.reason
    assert wallet.params() == VECTOR_PARAMS and not wallet.paused() and wallet.pending_change() is None


def test_ownership_moves_in_two_steps(evm: LocalDeployment, owner: EvmAdapter, wallet: EvmAdapter) -> None:
    owner._transact("transfer_ownership", [wallet.account.address], "offering ownership")
    assert owner.contract.functions.owner().call() == owner.account.address
    wallet._transact("accept_ownership", [], "accepting ownership")
    assert owner.contract.functions.owner().call() == wallet.account.address
    with pytest.raises(TransactionRevertedError):
        owner.set_paused(True)
    wallet.set_paused(True)
    assert wallet.paused()


def test_a_removed_manufacturer_can_no_longer_attest(evm: LocalDeployment, owner: EvmAdapter,
                                                     wallet: EvmAdapter) -> None:
    from tests.onchain.evm.evm_contract_support import attestation

    owner.set_manufacturer(evm.manufacturer.address, False)
    with pytest.raises(TransactionRevertedError) as err:
        wallet.register_device(attestation(evm.manufacturer, DeviceKey.from_seed(b"late"), 100))
    assert err.value.code == Code.UNATTESTED


def test_the_token_has_nine_decimals_like_the_rules(owner: EvmAdapter) -> None:
    assert owner.contract.functions.decimals().call() == 9
    assert owner.contract.functions.RULES_VERSION().call() == 2
    assert PayoutParams().share_bps == owner.params().share_bps

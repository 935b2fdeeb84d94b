"""The security review's findings (issue 13), one property each, against the real Solana binary in
LiteSVM: the twins of tests/onchain/evm/test_evm_security.py, under the same names (docs/threat-model.md
cites them for both chains). Each test is an attack that worked on RULES.md version 1 and asserts the
safe behaviour of version 2. The Solana-only findings (high s, a failed MintTo, the Custom(14) name)
are in test_solana_claim.py, test_solana_bind.py, test_solana_register.py and
tests/chains/solana/test_spl_token_litesvm.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from solders.pubkey import Pubkey
from tests.onchain.solana.solana_program_support import T0, ProgramEnv, configured, key

from carbon_smart_meter.chains.solana import accounts, layout, precompile
from carbon_smart_meter.protocol.signing import AttestationMessage, DeviceKey
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams

pytestmark = pytest.mark.sbf
DAY = 86_400
CAP_100W = 1_600_000          # mWh per day: 100 W x 16 peak-sun-hours
SKEW = PayoutParams().max_clock_skew_s
TOKENS_PER_KWH_DEFAULT = 30_000_000   # 0.15 USD/kWh x 20 % share x 1e9 tokens/USD, era 0
PRICES = {0: 150_000, 554: 300_000, 276: 400_000}


@dataclass
class Device:
    env: ProgramEnv
    key: DeviceKey
    ata: Pubkey

    @property
    def cap_clock(self) -> int:
        state = self.env.device_state(self.key.address)
        assert state is not None
        return state.last_time

    def claim(self, seq: int, energy_mwh: int, device_time: int) -> int:
        message = self.env.checkpoint(self.key, seq, energy_mwh, device_time)
        (event,) = self.env.claim([(self.key, message)], self.ata).ok().claim_events()
        return event.code

    def bind(self, seq: int, energy_mwh: int, device_time: int, region: int = 0) -> tuple[int, int] | None:
        """None when bound, else (instruction, code) of the refusal."""
        message = self.env.bind_message(self.key, self.env.wallet.pubkey(), seq, energy_mwh, device_time, region)
        sent = self.env.bind(self.key, self.env.wallet, message)
        return None if sent.error is None else sent.custom()


def bound_device(env: ProgramEnv, seed: bytes, *, device_time: int = T0) -> Device:
    """Registered (100 W) and bound to the env's wallet at seq 1, 0 mWh, `device_time`, at the chain's time now."""
    k = DeviceKey.from_seed(seed)
    env.register(k).ok()
    ata = env.create_ata(env.wallet.pubkey())
    dev = Device(env, k, ata)
    assert dev.bind(1, 0, device_time) is None
    return dev


# -- 1. the cap clock -------------------------------------------------------------------------------

def test_a_rebind_dated_in_the_past_cannot_rewind_the_cap_clock() -> None:
    """The critical finding: TIME_SYNC the device to 2001, rebind, and claim 160 kWh a day later."""
    env = configured()
    dev = bound_device(env, b"rewinder")
    t1 = dev.cap_clock + DAY
    env.set_time(t1)
    assert dev.claim(2, CAP_100W, t1) == 0

    assert dev.bind(3, CAP_100W, 1_000_000_000) == (1, Code.TIME_NOT_INCREASING)
    env.set_time(t1 + DAY)
    assert dev.claim(4, CAP_100W + 160_000_000, t1 + DAY) == Code.OVER_CAP

    assert dev.cap_clock == t1
    assert env.token_balance(dev.ata) == CAP_100W * TOKENS_PER_KWH_DEFAULT // 1_000_000


def test_a_first_bind_dated_at_boot_time_buys_no_cap() -> None:
    """120 s since boot on an unsynced device: the claim a day later must not be paid 30 days of cap."""
    env = configured()
    dev = bound_device(env, b"booted", device_time=120)
    assert dev.cap_clock >= T0
    t = dev.cap_clock + DAY
    env.set_time(t)
    assert dev.claim(2, 30 * CAP_100W, t) == Code.OVER_CAP
    assert dev.claim(3, CAP_100W, t) == 0


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves=st.lists(st.tuples(st.integers(60, 6 * 3_600), st.booleans(), st.integers(0, 10**9)),
                      min_size=4, max_size=12))
def test_an_extracted_key_gains_at_most_the_rated_power_cap_per_day(moves: list[tuple[int, bool, int]]) -> None:
    """With the device key an attacker signs anything. At random moments it rebinds with a device time
    anywhere from 2001 to the skew limit and claims as much as the cap on chain allows, dated at the skew
    limit. Whatever it does, it is paid for at most the 100 W cap over the time the chain saw pass since
    the first bind, plus the skew once."""
    env = configured()
    dev = bound_device(env, b"extracted")
    first, seq, energy = dev.cap_clock, 1, 0
    for wait, rebind, back in moves:
        env.set_time(env.now() + wait)
        if rebind:
            seq += 1
            refused = dev.bind(seq, energy, env.now() + SKEW - back)
            assert refused in (None, (1, Code.TIME_NOT_INCREASING))
        t = env.now() + SKEW
        allowed = CAP_100W * (t - dev.cap_clock) // DAY if t > dev.cap_clock else 0
        if allowed >= PayoutParams().min_claim_mwh:
            seq += 1
            assert dev.claim(seq, energy + allowed, t) == 0
            energy += allowed
    assert energy <= CAP_100W * (env.now() - first + SKEW) // DAY


# -- 3. the price region ----------------------------------------------------------------------------

def test_a_declared_region_never_raises_the_price() -> None:
    """A host declaring Germany (0.40 USD/kWh) is paid the default 0.15 until the authority registers
    the device's site there."""
    env = configured()
    env.write_config(replace(env.config(), params=PayoutParams(prices=PRICES)))
    dev = bound_device(env, b"declares germany")
    assert dev.bind(2, 0, T0, region=276) is None
    env.set_time(T0 + DAY)
    before = env.token_balance(dev.ata)
    assert dev.claim(3, 500_000, T0 + DAY) == 0
    assert env.token_balance(dev.ata) - before == 15_000_000
    env.device_admin(dev.key.address, layout.set_device_region_data(dev.key.address, 276)).ok()
    env.set_time(T0 + 2 * DAY)
    assert dev.claim(4, 1_000_000, T0 + 2 * DAY) == 0
    assert env.token_balance(dev.ata) - before == 15_000_000 + 40_000_000


# -- 4. revocation and the network mint window ------------------------------------------------------

def test_a_revoked_device_stops_at_once_and_its_unclaimed_energy_is_never_paid() -> None:
    env = configured()
    dev = bound_device(env, b"revoked device")
    t1 = dev.cap_clock + DAY
    env.set_time(t1)
    env.device_admin(dev.key.address, layout.revoke_device_data(dev.key.address)).ok()
    assert dev.claim(2, CAP_100W, t1) == Code.REVOKED
    assert dev.bind(3, CAP_100W, t1) == (1, Code.REVOKED)
    state = env.device_state(dev.key.address)
    assert state is not None and state.revoked and not state.bound and state.wallet == Pubkey.default()

    env.device_admin(dev.key.address, layout.reinstate_device_data(dev.key.address)).ok()
    sent = env.device_admin(dev.key.address, layout.reinstate_device_data(dev.key.address))
    assert sent.custom() == (0, Code.BAD_PARAMETER)   # only a device revoked now
    assert dev.claim(4, CAP_100W, t1) == Code.NOT_BOUND
    assert dev.bind(5, CAP_100W, t1) is None
    t2 = dev.cap_clock + DAY
    env.set_time(t2)
    message = env.checkpoint(dev.key, 6, 2 * CAP_100W, t2)
    (event,) = env.claim([(dev.key, message)], dev.ata).ok().claim_events()
    assert (event.code, event.delta_mwh) == (0, CAP_100W)   # the day before the revocation is gone


def test_a_revoked_manufacturer_stops_its_devices_for_good() -> None:
    env = configured()
    devices = [bound_device(env, b"leaked-%d" % i) for i in range(2)]
    t1 = max(d.cap_clock for d in devices) + DAY
    env.set_time(t1)
    env.send([layout.revoke_manufacturer_ix(env.authority.pubkey(), env.maker.address, env.program_id)]).ok()

    claims = [(d.key, env.checkpoint(d.key, 2, CAP_100W, t1)) for d in devices]
    assert [e.code for e in env.claim(claims, devices[0].ata).ok().claim_events()] == [Code.REVOKED] * 2
    assert env.register(DeviceKey.from_seed(b"new")).custom() == (1, Code.UNATTESTED)
    add = layout.add_manufacturer_ix(env.authority.pubkey(), env.maker.address, env.program_id)
    assert env.send([add]).custom() == (0, Code.REVOKED)
    assert env.manufacturer(env.maker.address).revoked

    genuine = devices[0]
    env.device_admin(genuine.key.address, layout.reinstate_device_data(genuine.key.address)).ok()
    assert genuine.bind(3, CAP_100W, t1) is None
    t2 = genuine.cap_clock + DAY
    env.set_time(t2)
    claims = [(d.key, env.checkpoint(d.key, 4, 2 * CAP_100W, t2)) for d in devices]
    assert [e.code for e in env.claim(claims, genuine.ata).ok().claim_events()] == [0, Code.REVOKED]


def test_the_mint_window_bounds_what_a_leaked_manufacturer_key_mints() -> None:
    """Each farmed device stays within its own cap; the network window stops the sum at its limit."""
    env = configured()
    env.after_delay(layout.schedule_params_data(PayoutParams(window_limit_mwh=3 * CAP_100W)))
    farm = [bound_device(env, b"farmed-%d" % i, device_time=env.now()) for i in range(5)]
    t1 = max(d.cap_clock for d in farm) + DAY
    env.set_time(t1)
    claims = [(d.key, env.checkpoint(d.key, 2, CAP_100W, t1)) for d in farm]
    codes = [e.code for e in env.claim(claims[:3], farm[0].ata).ok().claim_events()]
    codes += [e.code for e in env.claim(claims[3:], farm[0].ata).ok().claim_events()]
    assert codes == [0, 0, 0, Code.WINDOW_FULL, Code.WINDOW_FULL]
    assert env.config().network_energy_mwh == 3 * CAP_100W
    next_window = (t1 // DAY + 1) * DAY        # windows are UTC days: the next one starts empty
    env.set_time(next_window - 1)
    assert farm[3].claim(3, CAP_100W, t1) == Code.WINDOW_FULL
    env.set_time(next_window)
    claims = [(d.key, env.checkpoint(d.key, 4, CAP_100W, t1)) for d in farm[3:]]
    assert [e.code for e in env.claim(claims, farm[0].ata).ok().claim_events()] == [0, 0]


# -- 5. the authority's powers ----------------------------------------------------------------------

def test_a_parameter_change_cannot_front_run_a_claim() -> None:
    """A claim sent right after the authority raises the threshold is paid under the published parameters."""
    env = configured()
    dev = bound_device(env, b"front-run")
    t1 = dev.cap_clock + DAY
    env.set_time(t1)
    env.admin(layout.schedule_params_data(PayoutParams(min_claim_mwh=10**12))).ok()
    assert env.config().pending_params_at >= t1 + env.config().params_delay_s
    assert env.apply(layout.apply_params_data()).custom() == (0, Code.TOO_EARLY)
    before = env.token_balance(dev.ata)
    assert dev.claim(2, CAP_100W, t1) == 0
    assert env.token_balance(dev.ata) - before == 48_000_000


def test_a_price_change_waits_the_published_delay_too() -> None:
    env = configured()
    env.admin(layout.schedule_price_data(0, 1)).ok()
    assert env.config().params.prices[0] == 150_000
    assert env.apply(layout.apply_price_data(0)).custom() == (0, Code.TOO_EARLY)
    env.set_time(env.now() + env.config().params_delay_s)
    env.apply(layout.apply_price_data(0)).ok()
    assert env.config().params.prices[0] == 1


def test_the_halving_era_never_moves_back_when_the_era_length_changes() -> None:
    """Era 3 of 1 GWh eras; the authority makes eras ten times longer: the next claim still pays era 3."""
    env = configured()
    env.write_config(replace(env.config(), network=NetworkState.at_energy(3 * 10**12, 10**12)))
    env.after_delay(layout.schedule_params_data(PayoutParams(era_length_mwh=10**13)))
    dev = bound_device(env, b"halving", device_time=env.now())
    t = dev.cap_clock + DAY
    env.set_time(t)
    message = env.checkpoint(dev.key, 2, 500_000, t)
    (event,) = env.claim([(dev.key, message)], dev.ata).ok().claim_events()
    assert (event.code, event.tokens) == (0, 15_000_000 >> 3)
    assert env.config().network.era == 3


def test_ownership_cannot_be_renounced_while_paused() -> None:
    env = configured()
    env.admin(layout.set_paused_data(True)).ok()
    assert env.admin(layout.renounce_authority_data()).custom() == (0, Code.PAUSED)
    assert env.config().authority == env.authority.pubkey()
    env.admin(layout.set_paused_data(False)).ok()
    env.admin(layout.renounce_authority_data()).ok()
    assert env.config().authority == Pubkey.default()


# -- 8. the zero device -----------------------------------------------------------------------------

def test_device_zero_can_neither_be_registered_nor_bound_with_a_zero_signature() -> None:
    env = configured()
    zero = bytes(20)
    att = AttestationMessage(zero, 100, 1, 1).encode()
    ixs = [precompile.signer_message_ix(env.maker.address, att, env.maker.sign(att), 0),
           layout.register_device_ix(env.authority.pubkey(), env.maker.address, zero, 0, env.program_id)]
    assert env.send(ixs).custom() == (1, Code.BAD_PARAMETER)
    # Even if a past deployment had registered it, an all-zero signature binds nothing: the precompile
    # refuses it, and the program would refuse a signer 0x0 (BAD_SIGNATURE) if one ever verified.
    env.write_device(accounts.DeviceAccount(False, False, zero, env.maker.address, 100, 1, 0, 1, 0, 0, 0,
                                            bytes(32), Pubkey.default(), 0))
    bind = env.bind_message(key(0), env.wallet.pubkey(), 1, 0, T0)
    bind = bind[:11] + zero + bind[31:]
    sent = env.bind(key(0), env.wallet, bind, signature=bytes(65))
    assert sent.custom() == (0, 2)       # the precompile's own refusal, before the program runs
    state = env.device_state(zero)
    assert state is not None and not state.bound and not state.has_state

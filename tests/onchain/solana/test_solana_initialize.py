"""InitializeConfigV0 on the real binary: authority, mint, parameters and deployment id are recorded;
only the program's upgrade authority can initialise, once, with a mint only the program can mint."""

from __future__ import annotations

import pytest
from solders.keypair import Keypair
from tests.onchain.solana.solana_program_support import DELAY, LIMITS, ProgramEnv, configured, unchecked_params

from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.protocol.signing import keccak256
from carbon_smart_meter.rewards.network import NetworkState
from carbon_smart_meter.rewards.params import Code, PayoutParams

pytestmark = pytest.mark.sbf

ALREADY_INITIALIZED = 105
WRONG_MINT = 102
WRONG_MINT_AUTHORITY = 103
INVALID_ACCOUNT = 101


def test_initializing_records_authority_mint_parameters_and_this_deployments_id() -> None:
    # Given a fresh deployment, When the config is initialised
    env = configured()
    # Then it holds the authority, the mint, the default parameters and the deployment id
    cfg = env.config()
    assert cfg.authority == env.authority.pubkey() and cfg.mint == env.mint
    assert cfg.params == PayoutParams(prices={0: 150_000})
    assert cfg.chain_id == 0 and not cfg.paused
    # And the network starts in era 0 with a whole era left, the delay is set and nothing is pending
    assert cfg.network == NetworkState(0, 0, PayoutParams().era_length_mwh, 0, 0)
    assert (cfg.params_delay_s, cfg.pending_params, cfg.pending_prices) == (DELAY, None, ())
    assert cfg.pending_authority == layout.Pubkey.default()
    preimage = b"CSM-DEPLOY-v1" + bytes([2]) + (0).to_bytes(8, "big") + bytes(env.program_id)
    assert cfg.deployment_id == keccak256(preimage) == env.deployment


def test_initializing_twice_is_refused() -> None:
    env = configured()
    sent = env.send([env.initialize_ix(env.mint, params=PayoutParams(prices={0: 1}))])
    assert sent.custom() == (0, ALREADY_INITIALIZED)


def test_someone_other_than_the_upgrade_authority_cannot_initialise_a_freshly_deployed_program() -> None:
    # Given a program just deployed (its deployer is the upgrade authority) and a funded stranger
    env = ProgramEnv()
    mint = env.create_mint()
    stranger = Keypair()
    env.fund(stranger.pubkey())
    # When the stranger tries to initialise it (to become the deployment's authority)
    sent = env.send([env.initialize_ix(mint, authority=stranger.pubkey())], [stranger])
    # Then UNAUTHORIZED and no config exists; the deployer still can
    assert sent.custom() == (0, Code.UNAUTHORIZED)
    assert env.account(layout.config_address(env.program_id)) is None
    env.send([env.initialize_ix(mint)]).ok()
    assert env.config().authority == env.authority.pubkey()


def test_a_program_data_account_of_another_program_is_refused() -> None:
    # Given the initialise instruction naming some other program's program-data account
    env = ProgramEnv()
    mint = env.create_mint()
    other = ProgramEnv()
    ix = env.initialize_ix(mint)
    metas = list(ix.accounts)
    metas[5] = type(metas[5])(layout.programdata_address(other.program_id), False, False)
    forged = type(ix)(ix.program_id, bytes(ix.data), metas)
    # Then INVALID_ACCOUNT
    assert env.send([forged]).custom() == (0, INVALID_ACCOUNT)


def test_a_mint_whose_authority_is_not_the_program_pda_is_refused() -> None:
    env = ProgramEnv()
    mint = env.create_mint(authority=env.authority.pubkey())
    assert env.send([env.initialize_ix(mint)]).custom() == (0, WRONG_MINT_AUTHORITY)
    assert env.account(layout.config_address(env.program_id)) is None


def test_a_mint_without_nine_decimals_is_refused() -> None:
    env = ProgramEnv()
    mint = env.create_mint(decimals=6)
    assert env.send([env.initialize_ix(mint)]).custom() == (0, WRONG_MINT)


def test_parameters_outside_their_bounds_are_refused_at_initialisation() -> None:
    env = ProgramEnv()
    mint = env.create_mint()
    assert env.send([env.initialize_ix(mint, params=unchecked_params(share_bps=3_500))]).custom() == \
        (0, Code.BAD_PARAMETER)
    too_dear = PayoutParams(prices={0: 1_000_000_000})
    object.__setattr__(too_dear, "prices", {0: 1_000_000_001})
    assert env.send([env.initialize_ix(mint, params=too_dear)]).custom() == (0, Code.BAD_PARAMETER)
    for window in (unchecked_params(window_s=3_599), unchecked_params(window_limit_mwh=0)):
        assert env.send([env.initialize_ix(mint, params=window)]).custom() == (0, Code.BAD_PARAMETER)
    delay = LIMITS["limits"]["params_delay_s"]
    for bad in (delay["min"] - 1, delay["max"] + 1):
        assert env.send([env.initialize_ix(mint, params_delay_s=bad)]).custom() == (0, Code.BAD_PARAMETER)
    assert env.account(layout.config_address(env.program_id)) is None


def test_the_first_prices_apply_at_once() -> None:
    # Given a deployment initialised with three regional prices
    env = ProgramEnv()
    mint = env.create_mint()
    prices = {0: 150_000, 554: 300_000, 276: 400_000}
    env.send([env.initialize_ix(mint, params=PayoutParams(prices=prices), params_delay_s=LIMITS["limits"][
        "params_delay_s"]["max"])]).ok()
    # Then they are in force at once (no device exists yet), with the longest delay for every later change
    cfg = env.config()
    assert cfg.params.prices == prices and cfg.params_delay_s == LIMITS["limits"]["params_delay_s"]["max"]

"""SolanaAdapter behaviour that needs no program binary: re-sending after blockhash expiry, local
refusal of forged claims, typed outcomes from logs, fees."""

from __future__ import annotations

import base64

import pytest
from solders.keypair import Keypair
from solders.system_program import TransferParams, transfer
from solders.transaction_status import InstructionErrorCustom, TransactionErrorInstructionError

from carbon_smart_meter.chains.adapter import ChainAdapter, SignedMessage
from carbon_smart_meter.chains.solana import layout
from carbon_smart_meter.chains.solana.adapter import SolanaAdapter
from carbon_smart_meter.chains.solana.backend import LiteSvmBackend, SendResult
from carbon_smart_meter.chains.solana.errors import BlockhashExpired, SolanaTransactionError
from carbon_smart_meter.chains.solana.outcomes import claim_events, transaction_error
from carbon_smart_meter.protocol.signing import CheckpointMessage, DeviceKey
from carbon_smart_meter.rewards.params import Code


class ExpiringOnce(LiteSvmBackend):
    """Real LiteSVM whose blockhash expires between the adapter's fetch and its first send."""

    def __init__(self, svm, expiries: int = 1) -> None:
        super().__init__(svm)
        self.expiries = expiries
        self.sends = 0

    def send_and_confirm(self, tx, last_valid_block_height):
        self.sends += 1
        if self.expiries > 0:
            self.expiries -= 1
            self.svm.expire_blockhash()
        return super().send_and_confirm(tx, last_valid_block_height)


def test_the_adapter_satisfies_the_chain_adapter_protocol(backend, payer) -> None:
    assert isinstance(SolanaAdapter(backend, payer), ChainAdapter)


def test_an_expired_blockhash_is_retried_with_a_fresh_one(svm, payer) -> None:
    backend = ExpiringOnce(svm)
    adapter = SolanaAdapter(backend, payer)
    to = Keypair().pubkey()
    result = adapter.send([transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=to, lamports=1_000_000))])
    assert backend.sends == 2 and result.error is None
    assert svm.get_balance(to) == 1_000_000


def test_blockhash_expiry_on_every_attempt_gives_up_with_blockhash_expired(svm, payer) -> None:
    backend = ExpiringOnce(svm, expiries=10)
    adapter = SolanaAdapter(backend, payer, max_send_attempts=3)
    with pytest.raises(BlockhashExpired):
        adapter.send([transfer(TransferParams(from_pubkey=payer.pubkey(), to_pubkey=Keypair().pubkey(),
                                              lamports=1))])
    assert backend.sends == 3


def test_forged_claims_are_refused_locally_as_bad_signature_without_a_transaction(backend, payer) -> None:
    # Given a checkpoint signed by the wrong key and one whose bytes changed after signing
    key, other = DeviceKey.from_seed(b"d1"), DeviceKey.from_seed(b"d2")
    message = CheckpointMessage(key.address, bytes(32), 2, 50_000, 1_700_000_000, bytes(32)).encode()
    tampered = bytearray(message)
    tampered[-1] ^= 1
    claims = [SignedMessage(message, other.sign(message)), SignedMessage(bytes(tampered), key.sign(message))]
    # When submitted (no program, no config needed: nothing is sent)
    receipt = SolanaAdapter(backend, payer).submit_batch(claims)
    # Then both are BAD_SIGNATURE, in order, and no transaction exists
    assert receipt.tx_id == ""
    assert [(o.device, o.seq, o.code) for o in receipt.outcomes] == [(key.address, 2, Code.BAD_SIGNATURE)] * 2


def test_a_batch_larger_than_one_transaction_is_refused_before_sending(backend, payer) -> None:
    adapter = SolanaAdapter(backend, payer)
    key = DeviceKey.from_seed(b"d")
    message = CheckpointMessage(key.address, bytes(32), 2, 50_000, 1, bytes(32)).encode()
    with pytest.raises(Exception, match="do not fit one Solana transaction"):
        adapter.submit_batch([SignedMessage(message, key.sign(message))] * (adapter.max_claims_per_batch + 1))


def test_claim_events_are_read_from_program_data_log_lines_in_order(solana_vectors: dict) -> None:
    lines = ["Program CSMRwd1111111111111111111111111111111111111 invoke [1]", "Program data: AAAA"]
    for case in solana_vectors["events"]:
        lines.append("Program data: " + base64.b64encode(bytes.fromhex(case["data"])).decode())
    events = claim_events(lines)
    assert [(e.claim_index, e.code) for e in events] == [(0, 0), (2, 11), (15, 105)]


def test_a_program_error_maps_to_its_rules_name_and_a_precompile_failure_to_an_invalid_signature() -> None:
    err = TransactionErrorInstructionError(1, InstructionErrorCustom(1))
    paused = transaction_error(SendResult("sig", err, ["Program X failed: custom program error: 0x1"]))
    assert isinstance(paused, SolanaTransactionError) and paused.code == Code.PAUSED and "PAUSED" in str(paused)
    err0 = TransactionErrorInstructionError(0, InstructionErrorCustom(2))
    forged = transaction_error(SendResult("sig", err0, []))
    assert forged.code is None and forged.instruction == 0 and "invalid signature" in str(forged)


OURS = "CSMRwd1111111111111111111111111111111111111"


def test_a_failing_token_cpi_is_named_from_the_token_programs_table_not_ours() -> None:
    # Given the logs a frozen destination leaves when MintTo fails inside the program (what the binary
    # logged before MintTo was pre-checked): the token program fails first, then the program with the
    # same custom code
    logs = [f"Program {OURS} invoke [1]", f"Program {layout.TOKEN_PROGRAM} invoke [2]",
            "Program log: Error: Account is frozen",
            f"Program {layout.TOKEN_PROGRAM} failed: custom program error: 0x11",
            f"Program {OURS} consumed 6621 of 199850 compute units",
            f"Program {OURS} failed: custom program error: 0x11"]
    for code, token_name in ((17, "AccountFrozen"), (14, "Overflow")):
        lines = [line.replace("0x11", hex(code)) for line in logs]
        err = TransactionErrorInstructionError(3, InstructionErrorCustom(code))
        result = transaction_error(SendResult("sig", err, lines), OURS)
        # Then the code is the token program's, and never this program's code 14 UNATTESTED or 17
        assert (result.code, result.program, result.program_code) == (None, str(layout.TOKEN_PROGRAM), code)
        assert f"{token_name} ({code})" in str(result) and "UNATTESTED" not in str(result)


def test_a_custom_error_of_a_third_program_is_not_named_from_our_table() -> None:
    other = str(Keypair().pubkey())
    err = TransactionErrorInstructionError(0, InstructionErrorCustom(14))
    result = transaction_error(SendResult("sig", err, [f"Program {other} failed: custom program error: 0xe"]), OURS)
    assert (result.code, result.program, result.program_code) == (None, other, 14)
    assert "UNATTESTED" not in str(result) and other in str(result)
    ours = transaction_error(SendResult("sig", err, [f"Program {OURS} failed: custom program error: 0xe"]), OURS)
    assert ours.code == Code.UNATTESTED and "UNATTESTED (14)" in str(ours)


def test_fees_count_the_payer_and_every_secp256k1_signature_plus_the_priority_fee(backend, payer) -> None:
    quote = SolanaAdapter(backend, payer, priority_fee_micro_lamports=1_000_000).estimate_fees(3)
    assert quote.unit_name == "lamports" and quote.claims == 3
    assert quote.fee == 5000 * 4 + quote.units


def test_reading_a_deployment_that_is_not_there_says_so(backend, payer) -> None:
    with pytest.raises(Exception, match="no CSM config"):
        SolanaAdapter(backend, payer).network_energy_mwh()
    assert SolanaAdapter(backend, payer).device_state(bytes(20)) is None
    assert layout.config_address() != layout.mint_authority_address()

"""Turning transaction logs and errors into typed results.

The program writes one ClaimEventV0 per claim with `sol_log_data` ("Program data: <base64>"). A
transaction that failed whole carries an InstructionError(i, Custom(c)), and `c` belongs to the
program that failed, which is not always ours: a failing CPI (SPL Token's `MintTo`, say) surfaces as
the custom code of *that* program, reported at our instruction's index. The logs say which program it
was ("Program <id> failed: custom program error: 0x.." is logged first by the innermost failing
program), so a custom code is named from that program's table: SPL Token's 14 is its `Overflow`,
never this program's `UNATTESTED` (14).
"""

from __future__ import annotations

import base64
import binascii
import re

from carbon_smart_meter.chains.solana.accounts import ClaimEvent, decode_claim_event
from carbon_smart_meter.chains.solana.backend import SendResult
from carbon_smart_meter.chains.solana.errors import SolanaTransactionError, code_name
from carbon_smart_meter.chains.solana.layout import TOKEN_PROGRAM

_DATA = "Program data: "
_FAILED = re.compile(r"^Program (\w+) failed: custom program error: (0x[0-9a-fA-F]+)")

# SPL Token's TokenError, in code order (solana-program/token, interface/src/error.rs).
TOKEN_ERRORS = (
    "NotRentExempt", "InsufficientFunds", "InvalidMint", "MintMismatch", "OwnerMismatch", "FixedSupply",
    "AlreadyInUse", "InvalidNumberOfProvidedSigners", "InvalidNumberOfRequiredSigners", "UninitializedState",
    "NativeNotSupported", "NonNativeHasBalance", "InvalidInstruction", "InvalidState", "Overflow",
    "AuthorityTypeNotSupported", "MintCannotFreeze", "AccountFrozen", "MintDecimalsMismatch", "NonNativeNotSupported",
)


def claim_events(logs: list[str]) -> list[ClaimEvent]:
    """Claim events in log order; other programs' data lines (and our other events) are ignored."""
    out = []
    for line in logs:
        _, sep, rest = line.partition(_DATA)
        if not sep:
            continue
        for field in rest.split():
            try:
                event = decode_claim_event(base64.b64decode(field, validate=True))
            except (binascii.Error, ValueError):
                continue
            if event is not None:
                out.append(event)
    return out


def custom_code(err: object) -> tuple[int | None, int | None]:
    """(instruction index, custom code) of an InstructionError(i, Custom(c)); Nones otherwise."""
    index = getattr(err, "index", None)
    inner = getattr(err, "err", None)
    code = getattr(inner, "code", None)
    return index, code


def failing_program(logs: list[str]) -> tuple[str, int] | None:
    """(program id, custom code) of the innermost program that failed with a custom error, by the logs."""
    for line in logs:
        match = _FAILED.match(line)
        if match:
            return match.group(1), int(match.group(2), 16)
    return None


def transaction_error(result: SendResult, program_id: str | None = None) -> SolanaTransactionError:
    """A typed error whose `code` is set only when `program_id` (this program) raised it."""
    index, code = custom_code(result.error)
    if code is None or index is None:
        return SolanaTransactionError(f"transaction {result.signature} failed: {result.error}", logs=result.logs)
    origin = failing_program(result.logs)
    if origin is None:
        # Precompiles log nothing; a failed secp256k1 verification is Custom(2) at its own index.
        return SolanaTransactionError(
            f"transaction {result.signature} failed in instruction {index} (the secp256k1 precompile): invalid "
            f"signature ({code})", instruction=index, logs=result.logs, program="secp256k1")
    program, code = origin
    if program == str(TOKEN_PROGRAM):
        name = TOKEN_ERRORS[code] if code < len(TOKEN_ERRORS) else f"error {code}"
        return SolanaTransactionError(
            f"transaction {result.signature} failed in instruction {index}: the SPL Token program refused with "
            f"{name} ({code})", instruction=index, logs=result.logs, program=program, program_code=code)
    if program_id is None or program == program_id:
        return SolanaTransactionError(
            f"transaction {result.signature} failed in instruction {index} (the program): {code_name(code)} ({code})",
            code=code, instruction=index, logs=result.logs, program=program, program_code=code)
    return SolanaTransactionError(
        f"transaction {result.signature} failed in instruction {index}: program {program} refused with custom "
        f"error {code}", instruction=index, logs=result.logs, program=program, program_code=code)

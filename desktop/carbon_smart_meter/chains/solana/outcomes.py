"""Turning transaction logs and errors into typed results.

The program writes one ClaimEventV0 per claim with `sol_log_data` ("Program data: <base64>"). A
transaction that failed whole carries an InstructionError; custom codes map to RULES.md names.
"""

from __future__ import annotations

import base64
import binascii

from carbon_smart_meter.chains.solana.backend import SendResult
from carbon_smart_meter.chains.solana.errors import SolanaTransactionError, code_name
from carbon_smart_meter.chains.solana.layout import ClaimEvent, decode_claim_event

_DATA = "Program data: "


def claim_events(logs: list[str]) -> list[ClaimEvent]:
    """Claim events in log order; other programs' data lines are ignored."""
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


def transaction_error(result: SendResult) -> SolanaTransactionError:
    index, code = custom_code(result.error)
    if code is not None and index is not None:
        what = "the secp256k1 precompile" if _is_precompile_failure(result, index) else "the program"
        name = "invalid signature" if what.startswith("the secp") else code_name(code)
        message = f"transaction {result.signature} failed in instruction {index} ({what}): {name} ({code})"
        return SolanaTransactionError(message, code=None if what.startswith("the secp") else code,
                                      instruction=index, logs=result.logs)
    return SolanaTransactionError(f"transaction {result.signature} failed: {result.error}", logs=result.logs)


def _is_precompile_failure(result: SendResult, index: int) -> bool:
    # Precompile instructions leave no "Program ... invoke" line of ours before them; the program's
    # own failure always logs "failed: custom program error".
    return not any("custom program error" in line for line in result.logs)

"""Errors of the Solana adapter; all are ChainError, so the sync engine handles them like any chain's."""

from __future__ import annotations

from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import Code


class BlockhashExpired(ChainError):
    """The transaction's blockhash expired before it landed; it can no longer land and may be re-sent."""


class SolanaTransactionError(ChainError):
    """A transaction failed as a whole. `code` is this program's error code (RULES.md's, or the
    Solana-only 100+), None when something else failed: a runtime error, the secp256k1 precompile, or
    another program (then `program` names it and `program_code` is its own custom code, e.g. SPL
    Token's 14 `Overflow`, which is not this program's 14 `UNATTESTED`)."""

    def __init__(self, message: str, *, code: int | None = None, instruction: int | None = None,
                 logs: list[str] | None = None, program: str | None = None,
                 program_code: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.instruction = instruction
        self.logs = list(logs or [])
        self.program = program
        self.program_code = program_code


class SolanaProgramMissing(ChainError):
    """The SBPF program binary (`make solana`) is needed (to deploy it, or to run it in LiteSVM) and is absent."""


def code_name(code: int) -> str:
    from carbon_smart_meter.chains.solana.layout import PROGRAM_ERRORS

    return PROGRAM_ERRORS.get(code) or Code.name_of(code)

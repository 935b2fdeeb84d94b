"""Errors of the Solana adapter; all are ChainError, so the sync engine handles them like any chain's."""

from __future__ import annotations

from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import Code


class BlockhashExpired(ChainError):
    """The transaction's blockhash expired before it landed; it can no longer land and may be re-sent."""


class SolanaTransactionError(ChainError):
    """A transaction failed as a whole. `code` is the program's error code (RULES.md 1..17 or the
    Solana-only 100+), None for runtime errors such as an invalid precompile signature."""

    def __init__(self, message: str, *, code: int | None = None, instruction: int | None = None,
                 logs: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.instruction = instruction
        self.logs = list(logs or [])


class SolanaProgramMissing(ChainError):
    """The SBPF program binary (`make solana`) is needed (to deploy it, or to run it in LiteSVM) and is absent."""


def code_name(code: int) -> str:
    from carbon_smart_meter.chains.solana.layout import PROGRAM_ERRORS

    return PROGRAM_ERRORS.get(code) or Code.name_of(code)

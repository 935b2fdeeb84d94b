"""Typed failures of the EVM adapter, each telling the user what to do next.

All inherit carbon_smart_meter.errors.ChainError, so the sync engine can catch the whole branch and
keep the claim queued; the subclasses say whether retrying can help.
"""

from __future__ import annotations

from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.rewards.params import Code


class RpcUnreachableError(ChainError):
    """The node did not answer: nothing was sent, retry when the link is back."""


class WrongChainError(ChainError):
    """The node serves another chain id than the deployment was made for."""


class TransactionRevertedError(ChainError):
    """The contract refused the call; `code` is the RULES.md code when the reason names one."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.code = getattr(Code, reason, 0) if reason.isupper() else 0


class FeeTooLowError(ChainError):
    """The node refused the fee (underpriced, below base fee or replacement too cheap)."""


class ReorgError(ChainError):
    """A mined transaction left the canonical chain before it was final: nothing is paid, resubmit."""


class NotFinalError(ChainError):
    """The transaction was not final within the timeout: keep the claim pending and check again."""

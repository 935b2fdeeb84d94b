"""One tree of errors for the whole package.

Every error carries a message that tells the user what to do next; callers catch the branch they can
handle (a `FrameError` is counted and skipped, a `CalibrationError` stops a recording before it starts).
"""

from __future__ import annotations


class CsmError(Exception):
    """Base of every error this package raises on purpose."""


class FrameError(CsmError):
    """A frame could not be decoded (COBS, CRC, length, version). Counted, never fatal."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class SignatureError(CsmError):
    """A signature does not recover to the expected key, or is malformed."""


class DeviceError(CsmError):
    """A device link cannot be opened or was lost."""


class CalibrationError(CsmError):
    """A calibration record is missing, malformed, expired or for another device."""


class StorageError(CsmError):
    """A session file cannot be created, written or read."""


class CarbonError(CsmError):
    """An emission factor or dataset is missing or has the wrong units."""


class RewardError(CsmError):
    """A claim breaks a payout rule; `code` is the stable number from onchain/RULES.md."""

    def __init__(self, code: int, name: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.name = name


class ChainError(CsmError):
    """A chain is unreachable, refused a transaction, or returned something unexpected."""

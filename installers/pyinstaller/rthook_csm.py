"""PyInstaller runtime hook: point the app at the data the bundle carries, before any app code runs.

The app finds the compiled EVM contract and the Solana program binary through environment variables
(CSM_EVM_ARTIFACT, CSM_SOLANA_PROGRAM_SO) when they are not in a source checkout; a value the user set
wins. The bundle carries only the HDF5 compression filter session files use (Blosc): hdf5plugin would
log an error at every start for each filter left out, so exactly those messages are dropped.
"""

import logging
import os
import sys
from pathlib import Path

_root = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
_artifact = _root / "onchain" / "evm" / "build" / "CsmRewards.json"
if _artifact.is_file():
    os.environ.setdefault("CSM_EVM_ARTIFACT", str(_artifact))
_program = _root / "onchain" / "solana" / "csm_solana_program.so"
if _program.is_file():
    os.environ.setdefault("CSM_SOLANA_PROGRAM_SO", str(_program))

# keep in step with H5_FILTERS_LEFT_OUT in csm.spec
_LEFT_OUT = ("sz", "sz3", "sperr", "htj2k", "fcidecomp", "zfp", "blosc2", "bshuf", "zstd", "lz4", "bzip2")


class _LeftOutFilters(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        return not any(f"filter {name}: File not found" in text for name in _LEFT_OUT)


logging.getLogger("hdf5plugin._utils").addFilter(_LeftOutFilters())

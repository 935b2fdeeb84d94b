"""Limits of onchain/RULES.md that every implementation enforces the same way.

onchain/vectors/limits.json holds the one table of error codes and limits; tests check this module, the
Python error codes and the Vyper contract against it, and the Solana program is held to it the same way.
"""

from __future__ import annotations

U64_MAX = 2**64 - 1

#: Eras 0..63 pay; from era 64 on a portion pays nothing, so an era split has at most 65 portions.
MAX_ERA = 64

#: Regions with a price of their own, region 0 (the default) included. Clearing a price frees its slot.
PRICE_TABLE_CAPACITY = 32

#: Highest price in micro-USD per kWh (1,000 USD/kWh).
MAX_PRICE = 10**9

#: Manufacturer keys a deployment can ever accept (revoked keys keep their slot).
MAX_MANUFACTURERS = 100

#: Published delay between scheduling a parameter or price change and the earliest moment it applies.
PARAMS_DELAY_S_MIN = 3_600
PARAMS_DELAY_S_MAX = 90 * 86_400
PARAMS_DELAY_S_DEFAULT = 7 * 86_400

#: Claims per call: what one EVM transaction or one Solana instruction accepts.
MAX_BATCH = {"evm": 128, "solana": 16}

#: Region 0's price when a deployment sets none (0.15 USD/kWh, illustrative).
DEFAULT_PRICE_MICRO_USD_PER_KWH = 150_000

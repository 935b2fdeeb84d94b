"""Energy: integration of calibrated power, checkpoint and hash-chain verification, totals, plausibility."""

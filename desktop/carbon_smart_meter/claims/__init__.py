"""Claims: device-signed checkpoints queued in a crash-safe outbox and synced to a chain when it is reachable."""

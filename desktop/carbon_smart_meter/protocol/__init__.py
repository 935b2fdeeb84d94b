"""Wire protocol v1 (firmware/PROTOCOL.md): frames, typed messages, signed messages, hash chain."""

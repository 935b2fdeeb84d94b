"""Reader threads, the hub that routes typed records, reconnects and exact loss accounting."""

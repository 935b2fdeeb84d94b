"""Chain adapters: one small protocol, implemented for EVM (web3.py) and Solana (solana-py + solders)."""

"""Payout model of onchain/RULES.md: previews exactly what the chain will pay."""

"""The network registry: every chain users can name, with ids that cannot silently be wrong."""

from __future__ import annotations

import pytest

from carbon_smart_meter.chains.networks import UnknownNetworkError, by_chain_id, network, networks

# EIP-155 chain ids of the networks the README promises (chainlist.org / each chain's documentation).
PROMISED = {
    "ethereum": 1, "sepolia": 11155111, "polygon": 137, "polygon-amoy": 80002, "base": 8453,
    "base-sepolia": 84532, "arbitrum": 42161, "arbitrum-sepolia": 421614, "optimism": 10,
    "optimism-sepolia": 11155420, "bnb": 56, "bnb-testnet": 97, "avalanche": 43114, "avalanche-fuji": 43113,
    "gnosis": 100, "celo": 42220, "moonbeam": 1284, "moonbase-alpha": 1287, "astar": 592, "evmos": 9001,
    "cronos": 25, "kava": 2222, "anvil": 31337,
}


def test_every_promised_evm_network_is_known_with_its_chain_id():
    for name, chain_id in PROMISED.items():
        assert network(name).chain_id == chain_id, name


def test_chain_ids_are_unique_so_a_node_identifies_its_network():
    ids = [n.chain_id for n in networks().values() if n.kind == "evm"]
    assert len(ids) == len(set(ids))
    assert by_chain_id(1284).name == "moonbeam"
    assert by_chain_id(123456789) is None


def test_polkadot_and_cosmos_are_served_through_their_evm_chains():
    assert {n.name for n in networks().values() if n.ecosystem == "Polkadot"} >= {"moonbeam", "astar"}
    assert {n.name for n in networks().values() if n.ecosystem == "Cosmos"} >= {"evmos", "cronos", "kava"}


def test_solana_clusters_are_named_and_final_only_when_finalized():
    for name in ("solana", "solana-devnet", "solana-testnet", "solana-localnet"):
        n = network(name)
        assert n.kind == "solana" and n.cluster and n.finality == "finalized"


def test_finality_rule_turns_into_what_the_transaction_sender_takes():
    assert network("ethereum").evm_finality == "finalized"
    assert network("avalanche").evm_finality == 0
    assert "finalized" in network("base").describe()


def test_explorer_links_name_the_transaction():
    assert network("sepolia").explorer_url("0xabc") == "https://sepolia.etherscan.io/tx/0xabc"
    assert network("anvil").explorer_url("0xabc") == ""


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownNetworkError, match=r"known networks: .*ethereum"):
        network("etherium")

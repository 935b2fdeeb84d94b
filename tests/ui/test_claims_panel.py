"""The Claims tab shows the outbox per device as `csm claims status` does, the sync state in words,
and "Sync now" asks the session's sync service to try at once."""

from __future__ import annotations

import pytest

from carbon_smart_meter.app.session import LiveSession
from carbon_smart_meter.chains.adapter import SignedMessage
from carbon_smart_meter.chains.evm.local import local_evm_deployment
from carbon_smart_meter.devices.identity import attest, simulator_key
from carbon_smart_meter.errors import ChainError
from carbon_smart_meter.protocol.signing import BindMessage, CheckpointMessage, wallet_bytes
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.ui.claims_panel import ClaimsPanel

T0 = 1_750_000_000


@pytest.mark.timeout(60)
def test_the_claims_tab_lists_each_device_and_pays_after_sync_now(qtbot, tmp_path):
    dep = local_evm_deployment(manual_clock=True, genesis_timestamp=T0)
    key = simulator_key(4)
    msg, sig = attest(key, 100, serial=4, manufacturer=dep.manufacturer)
    dep.adapter.register_device(SignedMessage(msg, sig))
    bind = BindMessage(key.address, wallet_bytes(bytes.fromhex(dep.wallet.address[2:])), dep.adapter.deployment_id,
                       1, 0, T0, 554).encode()
    dep.adapter.bind(SignedMessage(bind, key.sign(bind)))
    unbound = simulator_key(5)
    session = LiveSession(Settings(data_dir=str(tmp_path), profile="logger"), "logger", chain=dep.adapter)
    session.start()
    try:
        ck = CheckpointMessage(key.address, dep.adapter.deployment_id, 2, 100_000, T0 + 6 * 3600, bytes(32)).encode()
        session.outbox.add(ck, key.sign(ck))
        loose = CheckpointMessage(unbound.address, bytes(32), 2, 5_000, T0, bytes(32)).encode()
        session.outbox.add(loose, unbound.sign(loose))
        panel = ClaimsPanel(session)
        qtbot.addWidget(panel)
        panel.refresh()
        assert panel.table.rowCount() == 2
        texts = {panel.table.item(r, 0).toolTip(): [panel.table.item(r, c).text() for c in range(8)]
                 for r in range(2)}
        assert texts["0x" + unbound.address.hex()][1] == "not bound: use csm bind"
        assert texts["0x" + key.address.hex()][3] == "waiting"
        assert "Claims sync is off" in panel.summary.text()  # the logger profile syncs when asked
        dep.chain.travel_to(T0 + 6 * 3600 + 60)
        assert session.sync_once().paid == 1  # what "Sync now" runs when the profile's service is off
        panel.refresh()
        row = next(r for r in range(2) if panel.table.item(r, 0).toolTip() == "0x" + key.address.hex())
        assert panel.table.item(row, 3).text() == "paid" and int(panel.table.item(row, 5).text().replace(",", "")) > 0
        assert "Last sync" in panel.summary.text()
    finally:
        session.stop()


@pytest.mark.timeout(60)
def test_the_claims_tab_says_when_there_is_no_link_and_sync_now_tries_again(qtbot, tmp_path):
    calls = []

    def no_link():
        calls.append(1)
        raise ChainError("the EVM node is unreachable (test)")

    session = LiveSession(Settings(data_dir=str(tmp_path), profile="ship"), "ship", chain=no_link)
    session.start()
    try:
        panel = ClaimsPanel(session)
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: session.sync.status().attempts >= 1, timeout=10_000)
        panel.refresh()
        assert "no link or refused" in panel.summary.text() and "next attempt in" in panel.summary.text()
        before = len(calls)
        panel.sync_button.click()
        qtbot.waitUntil(lambda: len(calls) > before, timeout=10_000)
    finally:
        session.stop()

"""Energy, avoided CO2 and reward preview per device, updated live, with provenance on hover.

The numbers come from the core's single implementations: the energy ledger integrates and verifies
(in its own thread, fed by a hub subscription, so it never misses blocks while the window is busy),
the carbon module picks the factor and says where it came from, and the rewards module previews what
the chain would pay for this session's energy under the default parameters.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from PySide6 import QtWidgets

from carbon_smart_meter.acquisition.hub import Hub
from carbon_smart_meter.acquisition.records import Envelope
from carbon_smart_meter.carbon.resolve import CarbonSettings, avoided
from carbon_smart_meter.energy.ledger import EnergyLedger
from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.protocol.messages import Checkpoint, Hello, SampleBlock
from carbon_smart_meter.rewards.params import PayoutParams
from carbon_smart_meter.rewards.payout import DeviceState, evaluate_claim
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.style import cell


class EnergyFeed:
    """Runs the energy ledger on a thread; findings (gaps, divergences, bad checkpoints) go to the hub."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.ledger = EnergyLedger()
        self.sub = hub.subscribe((SampleBlock, Hello, Checkpoint), maxsize=50_000, name="energy-ui")
        self.lock = threading.Lock()
        self.started_s = time.time()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="energy-ledger", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            first = self.sub.get(timeout=0.2)
            if first is None:
                continue
            self._stop.wait(0.25)  # the panel updates 4x a second: integrate in a few large batches
            batch = [first, *self.sub.drain(20_000)]
            # The ledger integrates each run of one device's consecutive blocks in one call; interleaved
            # devices made runs of one or two blocks. Grouping by device (stable, so each device's own
            # order is kept; tracks are independent) turns ~1000 calls a batch into one per device.
            batch.sort(key=lambda env: env.source)
            with self.lock:
                try:
                    findings = self.ledger.feed_many(batch)
                except Exception as exc:  # the ledger must not take the window down
                    self.hub.publish_event(first.source, "energy", f"energy ledger error: {exc}", severity=2)
                    continue
            for f in findings:
                event = f.as_link_event()
                if event is not None:
                    self.hub.publish(Envelope(getattr(f, "source", first.source), event))

    def energy_wh(self) -> dict[str, float]:
        with self.lock:
            return {s: tr.totals.session_kwh * 1e3 for s, tr in self.ledger.tracks.items()}

    def rated_w(self, source: str) -> int:
        with self.lock:
            tr = self.ledger.tracks.get(source)
            return tr.hello.rated_power_w if tr and tr.hello else 0

    def stop(self) -> None:
        self._stop.set()
        self.hub.unsubscribe(self.sub)
        self._thread.join(2)


@dataclass
class Figures:
    energy: str
    co2: str
    reward: str
    tooltip: str


def figures(settings: Settings, energy_wh: float, rated_w: int, since_s: float) -> Figures:
    kwh = energy_wh / 1e3
    carbon = CarbonSettings(region=settings.region or None, latitude=settings.latitude,
                            longitude=settings.longitude, method=settings.co2_method)
    try:
        est = avoided(max(kwh, 0.0), carbon)
        p = est.provenance
        co2 = f"{est.co2_kg * 1e3:,.2f} g {est.unit.split()[-1]}"
        tip = translate("EnergyPanel", "{label}\nfactor {factor} {unit} ({method}, {level})\n"
                        "dataset {dataset} {version}, year {year}, region {region}\nlicence {licence}").format(
            label=est.label, factor=f"{p.factor:g}", unit=p.unit, method=p.method, level=p.level, dataset=p.dataset,
            version=p.version, year=p.year or "n/a", region=p.region, licence=p.licence)
        if p.flagged:
            tip += "\n" + translate("EnergyPanel", "FLAGGED: world average, set your region")
        if p.note:
            tip += f"\n{p.note}"
    except CsmError as exc:
        co2, tip = "–", translate("EnergyPanel", "no emission factor: {problem}").format(problem=exc)
    reward = "–"
    if rated_w:
        now = int(time.time())
        try:
            pay = evaluate_claim(PayoutParams(), DeviceState(rated_w=rated_w, last_time=int(since_s)), 0, now,
                                 1, int(energy_wh * 1e3), now)
            reward = translate("EnergyPanel", "{tokens} tokens (preview)").format(tokens=f"{pay.tokens:,}")
        except CsmError as exc:  # below the threshold, nothing measured yet...: say why, briefly
            reward = translate("EnergyPanel", "not claimable yet ({reason})").format(
                reason=getattr(exc, "name", "rule").lower().replace("_", " "))
            tip += "\n" + translate("EnergyPanel", "reward: {problem}").format(problem=exc)
        tip += "\n" + translate("EnergyPanel", "reward: preview under default payout parameters for a claim of "
                                 "this session's energy now")
    return Figures(settings.format_energy(energy_wh), co2, reward, tip)


class EnergyPanel(QtWidgets.QGroupBox):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(translate("EnergyPanel", "Energy this session"), parent)
        self.table = QtWidgets.QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([translate("EnergyPanel", "Device"), translate("EnergyPanel", "Energy"),
                                              translate("EnergyPanel", "Avoided CO₂ (estimate)"),
                                              translate("EnergyPanel", "Reward")])
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        self.rows: dict[str, int] = {}

    def show_figures(self, source: str, fig: Figures) -> None:
        row = self.rows.get(source)
        if row is None:
            row = self.rows[source] = self.table.rowCount()
            self.table.insertRow(row)
            for col in range(4):
                self.table.setItem(row, col, QtWidgets.QTableWidgetItem(""))
            cell(self.table, row, 0).setText(source)
        for col, text in enumerate((fig.energy, fig.co2, fig.reward), start=1):
            item = cell(self.table, row, col)
            item.setText(text)
            item.setToolTip(fig.tooltip)

"""Energy, avoided CO2 and reward preview per device and per finished recording, with provenance on hover.

The numbers are the live session's (`app`): the ledger integrates through the device's calibration, the
carbon module picks the factor and says where it came from, and the one reward-preview provider prices
the energy exactly as `csm offsets` does. A finished recording's row is that file's report, made by the
same code as `csm offsets FILE`. This module only turns reports into text, and reasons into the user's
language by their codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtWidgets

from carbon_smart_meter.app.energy_report import EnergyReport
from carbon_smart_meter.app.reward_preview import PreviewReason, ReasonCode
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.style import cell

# Reasons a reward is what it is, by their stable code; unknown codes fall back to the core's English.
REASONS = {
    ReasonCode.BELOW_THRESHOLD: QT_TRANSLATE_NOOP("EnergyPanel", "below the minimum claim of "
                                                         "{min_claim_mwh} mWh; it stays claimable later"),
    ReasonCode.OVER_CAP: QT_TRANSLATE_NOOP("EnergyPanel", "over the daily cap for the panel's rating"),
    ReasonCode.ERA: QT_TRANSLATE_NOOP("EnergyPanel", "halving era {era}; later eras pay less"),
}
SHORT_REASONS = {
    ReasonCode.BELOW_THRESHOLD: QT_TRANSLATE_NOOP("EnergyPanel", "below threshold"),
    ReasonCode.OVER_CAP: QT_TRANSLATE_NOOP("EnergyPanel", "over cap"),
}
SOURCES = {
    "deployment": QT_TRANSLATE_NOOP("EnergyPanel", "parameters of the deployment"),
    "price-table": QT_TRANSLATE_NOOP("EnergyPanel", "price table {detail}"),
    "defaults": QT_TRANSLATE_NOOP("EnergyPanel", "default payout parameters"),
}


def reason_text(reason: PreviewReason, short: bool = False) -> str:
    table = SHORT_REASONS if short else REASONS
    template = table.get(reason.code)
    if template is None:
        return reason.text
    return translate("EnergyPanel", str(template)).format(**reason.values)


@dataclass
class Figures:
    energy: str
    co2: str
    reward: str
    tooltip: str
    kwh: float = 0.0
    tokens: int | None = None  # the previewed base units shown (None: no preview)


def figures(settings: Settings, report: EnergyReport | None, problem: str = "") -> Figures:
    """Text for one row; `problem` says why there is no report (e.g. the CO₂ method lacks a parameter)."""
    if problem:
        return Figures("–", "–", "–", translate("EnergyPanel", "no emission factor: {problem}").format(problem=problem))
    if report is None:
        return Figures("–", "–", "–", translate("EnergyPanel", "waiting for the device"))
    kwh = report.energy.kwh
    est = report.co2
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
    quote = report.reward
    if quote.claimable:
        reward = translate("EnergyPanel", "{tokens} tokens (preview)").format(tokens=f"{quote.tokens:,}")
    else:
        why = next((reason_text(r, short=True) for r in quote.reasons if r.code in SHORT_REASONS), "")
        reward = translate("EnergyPanel", "not claimable yet ({reason})").format(reason=why)
    source = translate("EnergyPanel", str(SOURCES.get(quote.source, quote.source))).format(
        detail=quote.source_detail)
    tip += "\n" + translate("EnergyPanel", "reward: {tokens} base units for {mwh} mWh, {source}").format(
        tokens=f"{quote.tokens:,}", mwh=f"{quote.preview.energy_mwh:,}", source=source)
    for r in quote.reasons:
        tip += "\n  " + reason_text(r)
    return Figures(settings.format_energy(kwh * 1e3), co2, reward, tip, kwh, quote.tokens)


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
        self.shown: dict[str, Figures] = {}  # what each row shows, by its key (tests read the numbers)

    def show_figures(self, key: str, fig: Figures, label: str | None = None) -> None:
        """One row per key: a device's live figures (key = source) or a finished file's (key = its name)."""
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = self.table.rowCount()
            self.table.insertRow(row)
            for col in range(4):
                self.table.setItem(row, col, QtWidgets.QTableWidgetItem(label or key if col == 0 else ""))
        self.shown[key] = fig
        for col, text in enumerate((fig.energy, fig.co2, fig.reward), start=1):
            item = cell(self.table, row, col)
            if item.text() != text:
                item.setText(text)
            item.setToolTip(fig.tooltip)

"""Energy, avoided CO2 and reward preview per device and per finished recording, with provenance on hover.

The numbers are the live session's (`app`): the ledger integrates through the device's calibration, the
carbon module picks the factor and says where it came from, and the one reward-preview provider prices
the energy exactly as `csm offsets` does. A finished recording's row is that file's report, made by the
same code as `csm offsets FILE`. This module only turns reports into text, and reasons into the user's
language by their codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtWidgets

from carbon_smart_meter.app.energy_report import EnergyReport
from carbon_smart_meter.app.reward_preview import PreviewReason, ReasonCode
from carbon_smart_meter.settings import Settings
from carbon_smart_meter.ui.fit import compact_rows
from carbon_smart_meter.ui.i18n import QT_TRANSLATE_NOOP, translate
from carbon_smart_meter.ui.numbers import decimal, energy, integer, power
from carbon_smart_meter.ui.style import cell

# Reasons a reward is what it is, by their stable code; unknown codes fall back to the core's English.
REASONS = {
    ReasonCode.BELOW_THRESHOLD: QT_TRANSLATE_NOOP("EnergyPanel", "below the minimum claim of "
                                                         "{min_claim_mwh} mWh; it stays claimable later"),
    ReasonCode.OVER_CAP: QT_TRANSLATE_NOOP("EnergyPanel", "over the daily cap for the panel's rating"),
    ReasonCode.ERA: QT_TRANSLATE_NOOP("EnergyPanel", "halving era {era}; later eras pay less"),
    ReasonCode.CAP: QT_TRANSLATE_NOOP("EnergyPanel", "within the cap of {cap_mwh} mWh for {elapsed_s} s"),
    ReasonCode.PENDING_CHANGE: QT_TRANSLATE_NOOP("EnergyPanel", "the deployment's payout parameters change soon"),
    ReasonCode.DEPLOYMENT_UNREADABLE: QT_TRANSLATE_NOOP(
        "EnergyPanel", "the deployment could not be read; the price table is used meanwhile"),
    "future-dated": QT_TRANSLATE_NOOP("EnergyPanel", "dated in the future: check the device clock"),
    "revoked": QT_TRANSLATE_NOOP("EnergyPanel", "the device was revoked"),
    "not-bound": QT_TRANSLATE_NOOP("EnergyPanel", "the device is not bound to a wallet yet"),
    "unknown-device": QT_TRANSLATE_NOOP("EnergyPanel", "the device is not registered on the chain"),
    "too-early": QT_TRANSLATE_NOOP("EnergyPanel", "too early after the last claim"),
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
COLUMNS = [QT_TRANSLATE_NOOP("EnergyPanel", "Device"), QT_TRANSLATE_NOOP("EnergyPanel", "Power now"),
           QT_TRANSLATE_NOOP("EnergyPanel", "Today"), QT_TRANSLATE_NOOP("EnergyPanel", "This session"),
           QT_TRANSLATE_NOOP("EnergyPanel", "Avoided CO₂ (estimate)"), QT_TRANSLATE_NOOP("EnergyPanel", "Reward")]
TOTAL_KEY = "\0total"  # never a device source or a file name


def _local(value: object) -> object:
    """A reason's value as the user's locale writes it (whole numbers grouped); text stays as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return integer(value) if isinstance(value, int) else decimal(value, 3)


def reason_text(reason: PreviewReason, short: bool = False) -> str:
    table = SHORT_REASONS if short else REASONS
    template = table.get(reason.code)
    if template is None:
        return reason.text
    return translate("EnergyPanel", str(template)).format(**{k: _local(v) for k, v in reason.values.items()})


@dataclass
class Figures:
    energy: str
    co2: str
    reward: str
    tooltip: str
    kwh: float = 0.0
    tokens: int | None = None  # the previewed base units shown (None: no preview)
    co2_g: float = 0.0
    claimable: bool = False


def co2_text(grams: float, unit: str = "CO2e") -> str:
    return f"{decimal(grams, 2)} g {unit}"


def figures(settings: Settings, report: EnergyReport | None, problem: str = "") -> Figures:
    """Text for one row; `problem` says why there is no report (e.g. the CO₂ method lacks a parameter)."""
    if problem:
        return Figures("–", "–", "–", translate("EnergyPanel", "no emission factor: {problem}").format(problem=problem))
    if report is None:
        return Figures("–", "–", "–", translate("EnergyPanel", "waiting for the device"))
    kwh = report.energy.kwh
    est = report.co2
    p = est.provenance
    co2 = co2_text(est.co2_kg * 1e3, est.unit.split()[-1])
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
        reward = translate("EnergyPanel", "{tokens} tokens (preview)").format(tokens=integer(quote.tokens))
    else:
        why = next((reason_text(r, short=True) for r in quote.reasons if r.code in SHORT_REASONS), "")
        reward = translate("EnergyPanel", "not claimable yet ({reason})").format(reason=why)
    source = translate("EnergyPanel", str(SOURCES.get(quote.source, quote.source))).format(
        detail=quote.source_detail)
    tip += "\n" + translate("EnergyPanel", "reward: {tokens} base units for {mwh} mWh, {source}").format(
        tokens=integer(quote.tokens), mwh=integer(quote.preview.energy_mwh), source=source)
    for r in quote.reasons:
        tip += "\n  " + reason_text(r)
    return Figures(energy(settings, kwh * 1e3), co2, reward, tip, kwh, quote.tokens, est.co2_kg * 1e3,
                   quote.claimable)


class EnergyPanel(QtWidgets.QGroupBox):
    """One row per device (power now, today, this session, CO₂, reward), one per finished recording, and
    a total row over the devices, always last."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        compact_rows(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        self.rows: dict[str, int] = {}
        self.shown: dict[str, Figures] = {}  # what each row shows, by its key (tests read the numbers)
        self.live: dict[str, tuple[float, float, float]] = {}  # device source -> (power W, today Wh, session Wh)
        self.retranslate()

    def retranslate(self) -> None:
        """Title, headers and the total's name in the current language; the window sends the figures again."""
        self.setTitle(translate("EnergyPanel", "Energy"))
        self.table.setHorizontalHeaderLabels([translate("EnergyPanel", c) for c in COLUMNS])
        total = self.rows.get(TOTAL_KEY)
        if total is not None:
            cell(self.table, total, 0).setText(translate("EnergyPanel", "Total"))

    def changeEvent(self, ev: QtCore.QEvent) -> None:  # Qt override
        if ev.type() == QtCore.QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(ev)

    def _row(self, key: str, label: str) -> int:
        row = self.rows.get(key)
        if row is not None:
            return row
        total = self.rows.get(TOTAL_KEY)
        row = total if total is not None else self.table.rowCount()  # new rows go above the total
        self.table.insertRow(row)
        if total is not None:
            self.rows[TOTAL_KEY] = total + 1
        self.rows[key] = row
        for col in range(len(COLUMNS)):
            self.table.setItem(row, col, QtWidgets.QTableWidgetItem(label if col == 0 else ""))
        return row

    def _set(self, row: int, texts: list[str], tooltip: str = "") -> None:
        for col, text in enumerate(texts, start=1):
            item = cell(self.table, row, col)
            if item.text() != text:
                item.setText(text)
            item.setToolTip(tooltip)

    def show_figures(self, key: str, fig: Figures, label: str | None = None) -> None:
        """A finished file's row (key = its name): its energy, CO₂ and reward; no power, no day."""
        row = self._row(key, label or key)
        self.shown[key] = fig
        self._set(row, ["–", "–", fig.energy, fig.co2, fig.reward], fig.tooltip)

    def show_device(self, settings: Settings, source: str, fig: Figures, power_w: float | None, today_wh: float,
                    session_wh: float) -> None:
        """A device's live row: power now, energy today (since local midnight, across restarts), this
        session (since it was connected), CO₂ and reward of this session."""
        row = self._row(source, source)
        self.shown[source] = fig
        self.live[source] = (power_w or 0.0, today_wh, session_wh)
        now = power(settings, power_w, places=1 if settings.power_unit == "W" else 0) if power_w is not None else "–"
        self._set(row, [now, energy(settings, today_wh), fig.energy, fig.co2, fig.reward], fig.tooltip)

    def forget_device(self, source: str) -> None:
        self.live.pop(source, None)
        self.shown.pop(source, None)
        row = self.rows.pop(source, None)
        if row is not None:
            self.table.removeRow(row)
            self.rows = {k: (r - 1 if r > row else r) for k, r in self.rows.items()}

    def show_total(self, settings: Settings) -> tuple[float, float, float]:
        """The total row over the live devices: (power W, today Wh, session Wh)."""
        power_w = sum(p for p, _t, _s in self.live.values())
        today_wh = sum(t for _p, t, _s in self.live.values())
        session_wh = sum(s for _p, _t, s in self.live.values())
        if len(self.live) < 2:  # one device is its own total
            if TOTAL_KEY in self.rows:
                self.forget_device(TOTAL_KEY)
            return power_w, today_wh, session_wh
        if TOTAL_KEY not in self.rows:
            row = self.rows[TOTAL_KEY] = self.table.rowCount()
            self.table.insertRow(row)
            for col in range(len(COLUMNS)):
                item = QtWidgets.QTableWidgetItem(translate("EnergyPanel", "Total") if col == 0 else "")
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                self.table.setItem(row, col, item)
        devices = [self.shown[s] for s in self.live if s in self.shown]
        claimable = [f for f in devices if f.claimable]
        tokens = sum(f.tokens or 0 for f in claimable)  # what is not claimable yet pays nothing yet
        reward = (translate("EnergyPanel", "{tokens} tokens (preview)").format(tokens=integer(tokens)) if claimable
                  else "–")
        self._set(self.rows[TOTAL_KEY], [
            power(settings, power_w, places=1 if settings.power_unit == "W" else 0), energy(settings, today_wh),
            energy(settings, session_wh), co2_text(sum(f.co2_g for f in devices)), reward])
        return power_w, today_wh, session_wh


class Headline(QtWidgets.QLabel):
    """The three figures a visitor asks first, large: power now, today, this session (over all devices)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.setFont(font)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.show_values(None, None, None, None)

    def show_values(self, settings: Settings | None, power_w: float | None, today_wh: float | None,
                    session_wh: float | None) -> None:
        if settings is None or power_w is None:
            self.setText(translate("EnergyPanel", "No device yet: Add simulator, or choose an adapter and press "
                                   "Connect port"))
            return
        self.setText(translate("EnergyPanel", "Now {power}   ·   Today {today}   ·   This session {session}").format(
            power=power(settings, power_w, places=1 if settings.power_unit == "W" else 0),
            today=energy(settings, today_wh or 0.0), session=energy(settings, session_wh or 0.0)))

"""The kiosk's one window: station tiles for guests, a night screen, and a staff panel behind a PIN.

It only reads. The figures come from `csm serve` over the view socket (app.view_client.ViewFeed),
pulled four times a second on the GUI thread; the recording runs in that other process, so this
window may be killed, hang or be restarted without a sample being lost. Everything is painted from
the items of kiosk_layout (no widgets, menus or dialogs a guest could open), the mouse cursor is
hidden, keys do nothing, and closing needs the staff PIN (a 3-second press on the top-left corner).

Each tile ends with the station's claims in one friendly line (ui.kiosk_claims: "Rewards claimed up to
14:05", "120 Wh waiting for a link — kept safe"), shown only when the service syncs claims; the reasons
of refusals and failed syncs are for staff, on the staff panel.

Guests can do three things: switch the language (buttons at the top right; back to the resort's
language after a while untouched), open the source of the CO₂ figure (tap a tile), and wake the
night screen (tap anywhere).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import segno
from PySide6 import QtCore, QtGui, QtWidgets

from carbon_smart_meter.app.kiosk_config import KioskConfig
from carbon_smart_meter.app.sd_notify import Notifier
from carbon_smart_meter.ui import i18n
from carbon_smart_meter.ui import kiosk_layout as kl
from carbon_smart_meter.ui.i18n import translate
from carbon_smart_meter.ui.kiosk_claims import guest_line, staff_lines
from carbon_smart_meter.ui.kiosk_text import LANGUAGE_BUTTONS, Formatter, phone_charges

REFRESH_MS = 250
HOLD_FOR_STAFF_MS = 3000
WAKE_S = 60.0          # a tap on the night screen shows the stations this long
OVERLAY_S = 45.0       # the source panel and the PIN pad close by themselves
PIN_TRIES = 5
PIN_LOCKOUT_S = 60.0
PIN_MAX = 12
STALE_S = 10.0         # figures older than this while the service is away: the waiting screen instead


@dataclass
class Screen:
    """What the window shows now, for the tests and the screenshots."""

    mode: str          # waiting, empty, stations, night
    overlay: str       # "", source, pin, staff, nopin


def qr_modules(url: str) -> tuple[bytes, ...]:
    if not url:
        return ()
    return tuple(bytes(row) for row in segno.make(url, error="m").matrix)


class KioskWindow(QtWidgets.QWidget):
    exit_requested = QtCore.Signal()

    def __init__(self, config: KioskConfig, feed=None, *, notifier: Notifier | None = None,  # feed: ViewFeed
                 config_problem: str | None = None, monotonic: Callable[[], float] = time.monotonic,
                 clock: Callable[[], float] = time.time, rotation: int = 0) -> None:
        super().__init__()
        self.rotation = rotation % 360  # degrees clockwise the picture is turned in our buffer
        # Of those, the degrees the compositor turns back itself (kiosk_app.turn_buffer, for cage without a
        # GPU): it shows the buffer turned and reports touches as shown, so they are painted, not mapped.
        self.buffer_turn = 0
        self.config = config
        self.feed = feed
        self.notifier = notifier or Notifier({})
        self.config_problem = config_problem
        self.monotonic = monotonic
        self.clock = clock
        self.setWindowTitle("Carbon Smart Meter")
        self.setCursor(QtCore.Qt.CursorShape.BlankCursor)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.state: dict | None = None
        self.state_at = 0.0
        self.language = config.language
        self.fmt = Formatter(self.language)
        self._translators: list[QtCore.QTranslator] = []
        self.screen_now = Screen("waiting", "")
        self.items: list[kl.Item] = []
        self.pin_entry = ""
        self.pin_message = ""
        self.pin_failures = 0
        self.pin_locked_until = 0.0
        self.painted = False
        self.ready_sent = False
        self.may_close = False
        self._overlay_since = 0.0
        self._last_touch = monotonic()
        self._last_production = monotonic()
        self._awake_until = 0.0
        self._qr_cache: dict[str, tuple[bytes, ...]] = {}
        self._next_ping = 0.0
        self._hold = QtCore.QTimer(self, singleShot=True, interval=HOLD_FOR_STAFF_MS)
        self._hold.timeout.connect(self._staff_hold)
        self._timer = QtCore.QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.set_language(self.language)

    # ---- state ------------------------------------------------------------------------------------
    def set_state(self, state: dict | None) -> None:
        """Show `state` (what the service publishes); tests and screenshots call this directly."""
        self.state = state
        self.state_at = self.monotonic()
        self._relayout()

    def refresh(self) -> None:
        """The GUI timer: newest state from the feed, language timeout, watchdog ping, repaint."""
        now = self.monotonic()
        if self.feed is not None:
            state, at = self.feed.latest()
            if state is not None and at != self.state_at:
                self.state, self.state_at = state, at
        if (self.language != self.config.language and self.config.language_reset_s > 0
                and now - self._last_touch > self.config.language_reset_s):
            self.set_language(self.config.language)
        if self.screen_now.overlay and now - self._overlay_since > OVERLAY_S:
            self.close_overlay()
        self._relayout()
        self._ping(now)

    def _ping(self, now: float) -> None:
        """WATCHDOG=1 from the GUI thread only: a UI that stops turning stops the pings and is restarted."""
        interval = self.notifier.watchdog_interval_s
        if interval is not None and now >= self._next_ping and self.painted:
            self.notifier.watchdog()
            self._next_ping = now + min(interval, 5.0)

    def set_language(self, language: str) -> None:
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            i18n.uninstall(app, self._translators)
            self._translators = i18n.install(app, language)
        self.language = language
        self.fmt = Formatter(language)
        self._relayout()

    def close_overlay(self) -> None:
        self.screen_now.overlay = ""
        self.pin_entry = ""
        self.pin_message = ""
        self._relayout()

    # ---- words from figures -----------------------------------------------------------------------
    def _stations(self) -> list[dict]:
        stations = list((self.state or {}).get("stations", []))
        order = {(s.device or s.port): i for i, s in enumerate(self.config.stations)}

        def rank(st: dict) -> tuple[int, str]:
            return (order.get(st.get("device", ""), order.get(st.get("port", ""), len(order))), st.get("source", ""))

        return sorted(stations, key=rank)

    def _qr(self, url: str) -> tuple[bytes, ...]:
        if url not in self._qr_cache:
            if len(self._qr_cache) > 64:
                self._qr_cache.clear()
            self._qr_cache[url] = qr_modules(url)
        return self._qr_cache[url]

    def station_model(self, st: dict, index: int = 0) -> kl.StationModel:
        f = self.fmt
        device, port, source = st.get("device", ""), st.get("port", ""), st.get("source", "")
        configured = self.config.station_for(device, port)
        name = configured.name if configured is not None and configured.name else translate(
            "Kiosk", "Station {number}").format(number=index + 1)
        reporting = bool(st.get("reporting"))
        today_wh = float(st.get("today_wh") or 0.0)
        lines = [translate("Kiosk", "Today {energy}").format(energy=f.energy(today_wh))]
        co2 = st.get("today_co2_kg")
        if co2 is not None:
            lines.append(translate("Kiosk", "{co2} CO₂ avoided*").format(co2=f.co2(float(co2))))
        charges = phone_charges(today_wh, self.config.wh_per_phone_charge)
        lines.append(translate("Kiosk", "≈ {count} phone charges").format(
            count=f.number(charges, 1 if charges < 10 else 0)))
        reward = st.get("today_reward")
        if isinstance(reward, dict):
            lines.append(translate("Kiosk", "{tokens} reward tokens").format(
                tokens=f.tokens(int(reward.get("tokens") or 0))))
        if reporting:
            status, power = translate("Kiosk", "● live"), f.power(float(st.get("power_w") or 0.0))
        elif st.get("link") == "connected":
            status = translate("Kiosk", "not reporting")
            power = translate("Kiosk", "Stopped reporting {ago} ago").format(ago=f.ago(float(st.get("silent_s") or 0)))
        else:
            status = translate("Kiosk", "not connected")
            power = translate("Kiosk", "Not connected: check the cable")
        claims, claims_color = guest_line(st, self.state, f, self.clock())
        return kl.StationModel(source, name, power, reporting, status, lines,
                               self._qr(self.config.qr_of(device, port, source)), claims, claims_color or "muted")

    def _totals_text(self) -> str:
        totals = (self.state or {}).get("totals", {})
        wh = float(totals.get("energy_wh") or 0.0)
        since = totals.get("since_utc")
        charges = phone_charges(wh, self.config.wh_per_phone_charge)
        return translate("Kiosk", "Since {date}: {energy} of solar power · {co2} CO₂ avoided (estimate) · "
                                  "≈ {count} phone charges").format(
            date=self.fmt.date(float(since)) if since else self.fmt.date(self.clock()),
            energy=self.fmt.energy(wh), co2=self.fmt.co2(float(totals.get("co2_kg") or 0.0)),
            count=self.fmt.integer(charges))

    def _footer_text(self) -> str:
        problem = getattr(self.feed, "problem", None) if self.feed is not None else None
        if problem and self.state is not None:
            return translate("Kiosk", "Figures paused: {problem}").format(problem=problem)
        return translate("Kiosk", "* Estimate, not an offset or certified credit: tap a station for the source. "
                                  "One phone charge = {wh} Wh.").format(
            wh=self.fmt.number(self.config.wh_per_phone_charge, 0))

    def _source_text(self) -> str:
        factor = (self.state or {}).get("co2_factor") or {}
        if "factor" not in factor:
            return translate("Kiosk", "No CO₂ factor is available: {problem}").format(
                problem=factor.get("problem", "?"))
        return translate("Kiosk", "{factor} g CO₂e per kWh for {region} ({note}). Source: {dataset}, {year}, "
                                  "licence {licence}. Method: {method}. This is an estimate of the emissions avoided "
                                  "by using solar power instead of the grid, not an offset or a certified "
                                  "credit.").format(
            factor=self.fmt.number(float(factor["factor"]), 0), region=factor.get("region") or "—",
            note=factor.get("note", ""), dataset=factor.get("dataset", ""), year=factor.get("year", ""),
            licence=factor.get("licence", ""), method=factor.get("method", ""))

    # ---- layout -----------------------------------------------------------------------------------
    def _mode(self, stations: list[dict], now: float) -> str:
        away = self.feed is not None and getattr(self.feed, "problem", None)
        if self.state is None or (away and now - self.state_at > STALE_S):
            return "waiting"
        if not stations:
            return "empty"
        if any(float(s.get("power_w") or 0.0) >= self.config.night_below_w for s in stations):
            self._last_production = now
        idle = now - self._last_production >= self.config.idle_after_s
        return "night" if idle and now >= self._awake_until else "stations"

    def logical_size(self) -> QtCore.QSize:
        """The screen as guests see it: width and height swapped when the picture is turned 90 or 270°."""
        size = self.size()
        return size.transposed() if self.rotation in (90, 270) else size

    def screen_transform(self) -> QtGui.QTransform:
        """From guest (logical) coordinates to the window's pixels (our buffer)."""
        return self._turned(self.rotation)

    def touch_transform(self) -> QtGui.QTransform:
        """From guest coordinates to where touches arrive: the window's surface as the compositor shows it,
        so without the turn it undoes itself (Wayland's surface coordinates come after the buffer transform)."""
        return self._turned((self.rotation - self.buffer_turn) % 360)

    def _turned(self, degrees: int) -> QtGui.QTransform:
        w, h = self.width(), self.height()
        t = QtGui.QTransform()
        if degrees == 90:
            t.translate(w, 0)
        elif degrees == 180:
            t.translate(w, h)
        elif degrees == 270:
            t.translate(0, h)
        t.rotate(degrees)
        return t

    def compose(self, size: QtCore.QSize | None = None) -> list[kl.Item]:
        size = size or self.logical_size()
        now = self.monotonic()
        stations = self._stations()
        self.screen_now.mode = self._mode(stations, now)
        fr = kl.frame(size)
        langs = [(code, LANGUAGE_BUTTONS[code]) for code in self.config.languages]
        items: list[kl.Item] = [kl.Item("background", "box", fr["screen"], fill="bg")]
        items += kl.header_items(fr["header"], self.config.title, langs, self.language)
        mode = self.screen_now.mode
        middle = fr["tiles"]
        if mode == "waiting":
            problem = getattr(self.feed, "problem", None) or ""
            items.append(kl.text_item("message", translate("Kiosk", "Waiting for the recording service…"),
                                      _band(middle, 0.3, 0.2), middle.height() * 0.2, bold=True,
                                      align=QtCore.Qt.AlignmentFlag.AlignCenter))
            items.append(kl.wrapped_item("detail", problem, _band(middle, 0.55, 0.3), middle.height() * 0.06,
                                         color="muted"))
        elif mode == "empty":
            items.append(kl.text_item("message", translate("Kiosk", "No charging station is connected yet."),
                                      _band(middle, 0.35, 0.2), middle.height() * 0.15, bold=True,
                                      align=QtCore.Qt.AlignmentFlag.AlignCenter))
        elif mode == "night":
            items += self._night_items(middle)
        else:
            for i, (tile, st) in enumerate(zip(kl.grid(middle, len(stations), 0.015 * size.height()), stations,
                                               strict=True)):
                items += kl.tile_items(i, tile, self.station_model(st, i))
        if self.state is not None and mode != "waiting":
            items.append(kl.sentence_item("totals", self._totals_text(), fr["totals"], fr["totals"].height() * 0.7,
                                          bold=True))
        items.append(kl.sentence_item("footer", self.config_problem or self._footer_text(), fr["footer"],
                                      fr["footer"].height(), color="warn" if self.config_problem else "muted"))
        items += self._overlay_items(fr["screen"])
        return items

    def _night_items(self, area: QtCore.QRectF) -> list[kl.Item]:
        # A slow drift (one step a minute) so nothing burns into the panel over a night.
        # The area shrinks first by the largest step, so the drift never leaves the screen.
        step = int(self.clock() // 60) % 8
        dx, dy = (step % 4 - 1.5) * area.width() * 0.02, (step // 4 - 0.5) * area.height() * 0.04
        area = area.adjusted(area.width() * 0.03, area.height() * 0.02, -area.width() * 0.03,
                             -area.height() * 0.02).translated(dx, dy)
        totals = (self.state or {}).get("totals", {})
        since = totals.get("since_utc")
        body = translate("Kiosk", "Since {date} these panels have produced {energy} and avoided about {co2} of CO₂ "
                                  "(estimate).").format(
            date=self.fmt.date(float(since)) if since else self.fmt.date(self.clock()),
            energy=self.fmt.energy(float(totals.get("energy_wh") or 0.0)),
            co2=self.fmt.co2(float(totals.get("co2_kg") or 0.0)))
        return [
            kl.text_item("night:title", translate("Kiosk", "The sun is resting"), _band(area, 0.15, 0.25),
                         area.height() * 0.25, bold=True, color="sun", align=QtCore.Qt.AlignmentFlag.AlignCenter),
            kl.wrapped_item("night:body", body, _band(area, 0.45, 0.28).adjusted(area.width() * 0.1, 0,
                                                                                 -area.width() * 0.1, 0),
                            area.height() * 0.09),
            kl.text_item("night:hint", translate("Kiosk", "Touch the screen to see the charging stations."),
                         _band(area, 0.78, 0.1), area.height() * 0.08, color="muted",
                         align=QtCore.Qt.AlignmentFlag.AlignCenter),
        ]

    def _overlay_items(self, screen: QtCore.QRectF) -> list[kl.Item]:
        overlay = self.screen_now.overlay
        if not overlay:
            return []
        panel = screen.adjusted(screen.width() * 0.12, screen.height() * 0.1, -screen.width() * 0.12,
                                -screen.height() * 0.1)
        items = [kl.Item("overlay", "box", screen, fill="overlay"),
                 kl.Item("panel", "box", panel, fill="panel", radius=panel.height() * 0.03)]
        inner = panel.adjusted(panel.width() * 0.04, panel.height() * 0.05, -panel.width() * 0.04,
                               -panel.height() * 0.05)
        if overlay == "source":
            items.append(kl.text_item("source:title", translate("Kiosk", "Where the CO₂ figure comes from"),
                                      _band(inner, 0.0, 0.14), inner.height() * 0.12, bold=True))
            items.append(kl.wrapped_item("source:body", self._source_text(), _band(inner, 0.18, 0.62),
                                         inner.height() * 0.07))
            items += kl.button("btn:close", translate("Kiosk", "Close"), _band(inner, 0.85, 0.15, 0.35))
        elif overlay == "nopin":
            items.append(kl.wrapped_item("nopin:body", translate(
                "Kiosk", "No staff PIN is set. On this machine run: csm kiosk --set-pin"), _band(inner, 0.1, 0.6),
                inner.height() * 0.1))
            items += kl.button("btn:close", translate("Kiosk", "Close"), _band(inner, 0.85, 0.15, 0.35))
        elif overlay == "pin":
            items += self._pin_items(inner)
        elif overlay == "staff":
            items += self._staff_items(inner)
        return items

    def _pin_items(self, inner: QtCore.QRectF) -> list[kl.Item]:
        items = [kl.text_item("pin:title", translate("Kiosk", "Staff PIN"), _band(inner, 0.0, 0.1),
                              inner.height() * 0.1, bold=True),
                 kl.text_item("pin:entry", "● " * len(self.pin_entry) or "–", _band(inner, 0.11, 0.1),
                              inner.height() * 0.1, color="sun"),
                 kl.text_item("pin:message", self.pin_message, _band(inner, 0.22, 0.07), inner.height() * 0.07,
                              color="warn")]
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        pad = _band(inner, 0.31, 0.69, 0.6)
        bw, bh = pad.width() / 3, pad.height() / 5
        for i, key in enumerate(keys):
            r = QtCore.QRectF(pad.left() + (i % 3) * bw, pad.top() + (i // 3) * bh, bw, bh).adjusted(4, 4, -4, -4)
            label = translate("Kiosk", "OK") if key == "OK" else key
            items += kl.button(f"btn:pin:{key}", label, r)
        cancel = QtCore.QRectF(pad.left(), pad.top() + 4 * bh, pad.width(), bh).adjusted(4, 4, -4, -4)
        items += kl.button("btn:close", translate("Kiosk", "Cancel"), cancel)
        return items

    def _staff_items(self, inner: QtCore.QRectF) -> list[kl.Item]:
        state = self.state or {}
        service = state.get("service") or {}
        lines = [translate("Kiosk", "Service: {profile} profile, process {pid}, data in {data_dir}").format(
            profile=state.get("profile", "?"), pid=service.get("pid", "?"), data_dir=state.get("data_dir", "?"))]
        for st in self._stations():
            lines.append(f"{st.get('source')}: {st.get('device') or '?'} · {st.get('port')} · {st.get('link')}"
                         + (f" · {st['storage_problem']}" if st.get("storage_problem") else ""))
        claims = state.get("claims") or {}
        if claims.get("sync_note"):
            lines.append(str(claims["sync_note"]))
        lines += staff_lines([(str(st.get("source", "")), st) for st in self._stations()], state, self.fmt,
                             self.clock())
        if self.config_problem:
            lines.append(self.config_problem)
        if getattr(self.feed, "problem", None):
            lines.append(str(self.feed.problem))
        items = [kl.text_item("staff:title", translate("Kiosk", "Staff"), _band(inner, 0.0, 0.1),
                              inner.height() * 0.1, bold=True),
                 kl.wrapped_item("staff:body", "\n".join(lines), _band(inner, 0.12, 0.66), inner.height() * 0.05)]
        row = _band(inner, 0.83, 0.17)
        half = row.width() / 2
        items += kl.button("btn:exit", translate("Kiosk", "Exit kiosk"),
                           QtCore.QRectF(row.left(), row.top(), half - 8, row.height()))
        items += kl.button("btn:close", translate("Kiosk", "Back"),
                           QtCore.QRectF(row.left() + half + 8, row.top(), half - 8, row.height()))
        return items

    def _relayout(self) -> None:
        self.items = self.compose()
        self.update()

    # ---- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing)
        p.setTransform(self.screen_transform())
        paint_items(p, self.items)
        p.end()
        if not self.painted:
            self.painted = True
        if not self.ready_sent:
            self.notifier.ready("kiosk view on screen")
            self.ready_sent = True

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        self._relayout()

    # ---- input ------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        event.accept()  # no key does anything for a guest (a keyboard left plugged in included)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.may_close:
            event.accept()
        else:
            event.ignore()

    def _hit(self, pos: QtCore.QPointF) -> str:
        for item in reversed(self.items):
            if item.kind in ("button", "box") and item.rect.contains(pos) and item.key not in ("background",):
                return item.key
        return ""

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        pos = self.touch_transform().inverted()[0].map(event.position())
        corner = kl.frame(self.logical_size())["header"].height()
        if pos.x() < corner and pos.y() < corner:
            self._hold.start()
        self.tap(pos)

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        self._hold.stop()

    def tap(self, pos: QtCore.QPointF) -> None:
        now = self.monotonic()
        self._last_touch = now
        key = self._hit(pos)
        overlay = self.screen_now.overlay
        if overlay:
            self._overlay_since = now
            if key == "btn:close" or (overlay == "source" and key in ("overlay", "panel")):
                self.close_overlay()
            elif key.startswith("btn:pin:"):
                self.pin_key(key.removeprefix("btn:pin:"))
            elif key == "btn:exit" and overlay == "staff":
                self.request_exit()
            return
        if self.screen_now.mode == "night":
            self._awake_until = now + WAKE_S
        elif key.startswith("lang:"):
            self.set_language(key.removeprefix("lang:"))
            return
        elif key.startswith("tile"):
            self.open_overlay("source")
            return
        self._relayout()

    def open_overlay(self, name: str) -> None:
        self.screen_now.overlay = name
        self._overlay_since = self.monotonic()
        self._relayout()

    def _staff_hold(self) -> None:
        self.open_overlay("pin" if self.config.pin_hash else "nopin")

    def pin_key(self, key: str) -> None:
        now = self.monotonic()
        if now < self.pin_locked_until:
            self.pin_message = translate("Kiosk", "Too many wrong tries: wait {seconds} s").format(
                seconds=int(self.pin_locked_until - now) + 1)
        elif key == "⌫":
            self.pin_entry = self.pin_entry[:-1]
        elif key == "OK":
            if self.config.check_pin(self.pin_entry):
                self.pin_failures = 0
                self.pin_entry = ""
                self.pin_message = ""
                self.screen_now.overlay = "staff"
            else:
                self.pin_failures += 1
                self.pin_entry = ""
                self.pin_message = translate("Kiosk", "Wrong PIN")
                if self.pin_failures >= PIN_TRIES:
                    self.pin_failures = 0
                    self.pin_locked_until = now + PIN_LOCKOUT_S
        elif key.isdigit() and len(self.pin_entry) < PIN_MAX:
            self.pin_entry += key
        self._relayout()

    def request_exit(self) -> None:
        self.may_close = True
        self.exit_requested.emit()
        self.close()

    def shutdown(self) -> None:
        self._timer.stop()
        self._hold.stop()
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            i18n.uninstall(app, self._translators)
        self._translators = []


def _band(area: QtCore.QRectF, top: float, height: float, width: float = 1.0) -> QtCore.QRectF:
    """A horizontal band of `area` (fractions of its height), centred, `width` of its width."""
    w = area.width() * width
    return QtCore.QRectF(area.left() + (area.width() - w) / 2, area.top() + area.height() * top, w,
                         area.height() * height)


def paint_items(p: QtGui.QPainter, items: list[kl.Item]) -> None:
    colors = {k: QtGui.QColor(v) for k, v in kl.COLORS.items()}
    for item in items:
        if item.kind in ("box", "button"):
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(colors.get(item.fill, colors["tile"]))
            if item.radius:
                p.drawRoundedRect(item.rect, item.radius, item.radius)
            else:
                p.drawRect(item.rect)
        elif item.kind == "text" and item.text:
            assert item.font is not None
            p.setFont(item.font)
            p.setPen(colors.get(item.color, colors["text"]))
            flags = int(item.align) | (int(QtCore.Qt.TextFlag.TextWordWrap) if item.wrap else 0)
            p.drawText(item.rect, flags, item.text)
        elif item.kind == "qr" and item.modules:
            paint_qr(p, item.rect, item.modules, colors["qr_light"], colors["qr_dark"])


def paint_qr(p: QtGui.QPainter, rect: QtCore.QRectF, modules: tuple[bytes, ...], light: QtGui.QColor,
             dark: QtGui.QColor) -> None:
    """Whole-pixel modules (a scanner needs sharp edges) with a two-module quiet zone, centred in rect."""
    n = len(modules) + 4
    size = max(1, kl.qr_module_px(min(rect.width(), rect.height()), modules))  # the layout made it >= 2
    side = size * n
    x0 = int(rect.left() + (rect.width() - side) / 2)
    y0 = int(rect.top() + (rect.height() - side) / 2)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.fillRect(QtCore.QRect(x0, y0, side, side), light)
    for r, row in enumerate(modules):
        for c, bit in enumerate(row):
            if bit:
                p.fillRect(QtCore.QRect(x0 + (c + 2) * size, y0 + (r + 2) * size, size, size), dark)

"""Where everything on the kiosk screen goes, as a list of items computed from the screen size alone.

Why a computed layout instead of widgets: a guest screen must fill any display from a 1024×600 panel
to a 4K television, portrait or landscape, in four languages, with nothing cut off. Each text is given
a rectangle as a fraction of the screen and the largest font that fits it (shrunk for a long German
word, elided with "…" only as the last resort and flagged so the tests see it). The same items are
what the window paints and what the layout tests measure, so "nothing clipped, power at least 8 % of
the screen height" is checked on exactly what guests see.

The grid of station tiles is chosen per screen: every column count is tried and the one giving the
largest power figure wins (six stations are 3×2 on a landscape screen, 2×3 on a portrait one).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from PySide6 import QtCore, QtGui

FAMILY = "DejaVu Sans"
MIN_PX = 9
# A QR module under 2 px (0.3 mm on a 7-inch 1024x600 panel) is more than phones read reliably: a tile too
# small for that shows no code rather than one nobody can scan.
MIN_QR_MODULE_PX = 2
SAMPLE_POWER = "8,888 W"  # the widest power figure a tile must hold (a 50-200 W panel shows "48 W")

COLORS = {
    "bg": "#0b1d26", "tile": "#12303d", "tile_off": "#1d2a30", "text": "#ffffff", "muted": "#a9c1cb",
    "sun": "#ffc83d", "warn": "#ff9e7a", "ok": "#7be0a0", "button": "#1f4b5e", "button_on": "#ffc83d",
    "button_text_on": "#0b1d26", "overlay": "#06121a", "panel": "#163b4b", "qr_light": "#ffffff",
    "qr_dark": "#000000",
}


@dataclass
class Item:
    key: str
    kind: str                     # text, box, button, qr
    rect: QtCore.QRectF
    text: str = ""
    font: QtGui.QFont | None = None
    color: str = "text"
    fill: str = ""
    align: QtCore.Qt.AlignmentFlag = QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter
    wrap: bool = False
    elided: bool = False
    modules: tuple[bytes, ...] = ()  # QR matrix rows (1 = dark)
    radius: float = 0.0


@dataclass
class StationModel:
    """One tile's content, already in words and formatted numbers."""

    key: str
    name: str
    power: str
    reporting: bool
    status: str            # "live" or why not, in words
    lines: list[str] = field(default_factory=list)
    qr_modules: tuple[bytes, ...] = ()
    claims: str = ""       # the station's claims in one line (ui.kiosk_claims); "" shows no line
    claims_color: str = "muted"


def font(px: float, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFont(FAMILY)
    f.setPixelSize(max(1, int(px)))
    f.setBold(bold)
    return f


def fit(text: str, rect: QtCore.QRectF, max_px: float, bold: bool = False,
        min_px: float = MIN_PX) -> tuple[QtGui.QFont, str, bool]:
    """The largest font (up to max_px) in which `text` fits on one line of `rect`; elided at min_px."""
    px = max(min_px, min(max_px, rect.height() / 1.2))
    for _ in range(12):
        f = font(px, bold)
        fm = QtGui.QFontMetricsF(f)
        width, height = fm.horizontalAdvance(text), fm.height()
        if width <= rect.width() and height <= rect.height():
            return f, text, False
        if px <= min_px:
            break
        scale = min(rect.width() / width if width else 1.0, rect.height() / height if height else 1.0)
        px = max(min_px, min(px - 1, math.floor(px * scale)))
    f = font(min_px, bold)
    fm = QtGui.QFontMetricsF(f)
    elided = fm.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, rect.width())
    return f, elided, elided != text


def fit_wrapped(text: str, rect: QtCore.QRectF, max_px: float, min_px: float = MIN_PX,
                bold: bool = False) -> QtGui.QFont:
    """The largest font in which `text`, word-wrapped, fits `rect` (binary search on the pixel size)."""
    lo, hi = min_px, max(min_px, max_px)
    flags = int(QtCore.Qt.TextFlag.TextWordWrap)
    while hi - lo > 0.5:
        mid = (lo + hi) / 2
        box = QtGui.QFontMetricsF(font(mid, bold)).boundingRect(rect, flags, text)
        if box.height() <= rect.height() and box.width() <= rect.width():
            lo = mid
        else:
            hi = mid
    return font(math.floor(lo), bold)


def keep_figures_whole(text: str) -> str:
    """Non-breaking spaces inside figures ("494 kWh", "≈ 33") and before a " · " separator, so a wrapped
    line never parts a number from its unit or starts with a dot."""
    text = re.sub(r"(?<=\d)[ \u00a0](?=\S)", "\u00a0", text)
    return text.replace("≈ ", "≈\u00a0").replace(" · ", "\u00a0· ")


# A sentence of figures (the totals line, the footer) wraps onto more lines when one line would need a font
# this much smaller, or could not hold it at all: a narrow portrait screen reads it in two or three lines.
WRAP_GAIN = 1.25


def text_item(key: str, text: str, rect: QtCore.QRectF, max_px: float, *, bold: bool = False, color: str = "text",
              align: QtCore.Qt.AlignmentFlag | None = None) -> Item:
    f, shown, elided = fit(text, rect, max_px, bold)
    item = Item(key, "text", rect, shown, f, color, elided=elided)
    if align is not None:
        item.align = align
    return item


def sentence_item(key: str, text: str, rect: QtCore.QRectF, max_px: float, *, bold: bool = False,
                  color: str = "text") -> Item:
    """One centred line of figures when it reads well there, else the same words wrapped, never cut short."""
    one = text_item(key, text, rect, max_px, bold=bold, color=color, align=QtCore.Qt.AlignmentFlag.AlignCenter)
    assert one.font is not None
    whole = keep_figures_whole(text)
    wrapped = fit_wrapped(whole, rect, max_px, bold=bold)
    if not one.elided and wrapped.pixelSize() < one.font.pixelSize() * WRAP_GAIN:
        return one
    return Item(key, "text", rect, whole, wrapped, color, wrap=True, align=QtCore.Qt.AlignmentFlag.AlignCenter)


def wrapped_item(key: str, text: str, rect: QtCore.QRectF, max_px: float, color: str = "text") -> Item:
    return Item(key, "text", rect, text, fit_wrapped(text, rect, max_px), color, wrap=True,
                align=QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)


def button(key: str, text: str, rect: QtCore.QRectF, *, on: bool = False, max_px: float | None = None) -> list[Item]:
    inner = rect.adjusted(rect.height() * 0.15, rect.height() * 0.12, -rect.height() * 0.15, -rect.height() * 0.12)
    label = text_item(key + ":label", text, inner, max_px or inner.height(), bold=True,
                      color="button_text_on" if on else "text", align=QtCore.Qt.AlignmentFlag.AlignCenter)
    return [Item(key, "button", rect, fill="button_on" if on else "button", radius=rect.height() * 0.2), label]


# ---- the grid --------------------------------------------------------------------------------------------
def tile_parts(tile: QtCore.QRectF) -> dict[str, QtCore.QRectF]:
    """The rectangles inside one tile: name row, power row, info lines (left), QR square (right)."""
    pad = 0.045 * min(tile.width(), tile.height())
    inner = tile.adjusted(pad, pad, -pad, -pad)
    name_h = inner.height() * 0.14
    power_h = inner.height() * 0.45
    info_top = inner.top() + name_h + power_h
    info_h = inner.bottom() - info_top
    qr = min(info_h, inner.width() * 0.36)
    return {
        "name": QtCore.QRectF(inner.left(), inner.top(), inner.width() * 0.62, name_h),
        "status": QtCore.QRectF(inner.left() + inner.width() * 0.64, inner.top(), inner.width() * 0.36, name_h),
        "power": QtCore.QRectF(inner.left(), inner.top() + name_h, inner.width(), power_h),
        "info": QtCore.QRectF(inner.left(), info_top, inner.width() - qr - pad * 0.6, info_h),
        "qr": QtCore.QRectF(inner.right() - qr, inner.bottom() - qr, qr, qr),
    }


def power_px(tile: QtCore.QRectF) -> float:
    rect = tile_parts(tile)["power"]
    f, _, _ = fit(SAMPLE_POWER, rect, rect.height(), bold=True)
    return f.pixelSize()


def grid(area: QtCore.QRectF, n: int, gap: float) -> list[QtCore.QRectF]:
    """Tiles for n stations: the column count that gives the largest power figure."""
    if n <= 0:
        return []
    best: tuple[float, int] | None = None
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        w = (area.width() - gap * (cols - 1)) / cols
        h = (area.height() - gap * (rows - 1)) / rows
        if w <= 0 or h <= 0:
            continue
        score = power_px(QtCore.QRectF(0, 0, w, h))
        if best is None or score > best[0] + 0.5:
            best = (score, cols)
    cols = best[1] if best else 1
    rows = math.ceil(n / cols)
    w = (area.width() - gap * (cols - 1)) / cols
    h = (area.height() - gap * (rows - 1)) / rows
    return [QtCore.QRectF(area.left() + (i % cols) * (w + gap), area.top() + (i // cols) * (h + gap), w, h)
            for i in range(n)]


def tile_items(index: int, tile: QtCore.QRectF, station: StationModel) -> list[Item]:
    parts = tile_parts(tile)
    key = f"tile{index}"
    items = [Item(key, "box", tile, fill="tile" if station.reporting else "tile_off", radius=min(tile.width(),
                                                                                               tile.height()) * 0.05)]
    items.append(text_item(f"{key}:name", station.name, parts["name"], parts["name"].height(), bold=True))
    items.append(text_item(f"{key}:status", station.status, parts["status"], parts["name"].height() * 0.8,
                           color="ok" if station.reporting else "warn",
                           align=QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter))
    power = parts["power"]
    power_font, power_text, power_elided = fit(station.power, power, power.height(), bold=True)
    qr = parts["qr"]
    show_qr = bool(station.qr_modules) and qr_module_px(qr.width(), station.qr_modules) >= MIN_QR_MODULE_PX
    info = parts["info"] if show_qr else parts["info"].united(parts["qr"])
    # The claims line, when there is one, takes the bottom row of the info column in a font of its own
    # (never larger than the others'), so a long German sentence there shrinks only itself. Where that
    # row is too narrow for it (a portrait screen's tiles), it takes the bottom row of the whole tile,
    # under the QR code too; that row comes first from the power row's spare height (a narrow tile's
    # widest figure, "8,888 W", is as wide as the tile long before it is as tall as its row), so the
    # power figure keeps the size the grid was chosen for and the QR code shrinks as little as it can.
    row_count = max(5, len(station.lines) + 1) if station.claims else max(4, len(station.lines))
    lines = _info_lines(key, station, info, row_count)
    if station.claims and lines[-1].elided:
        line_h = info.height() / row_count
        claims_row = QtCore.QRectF(power.left(), info.bottom() - line_h, power.width(), line_h)
        widest = fit(SAMPLE_POWER, power, power.height(), bold=True)[0]  # what the grid promised
        lift = max(0.0, min(line_h, power.height() - QtGui.QFontMetricsF(widest).height() - 1))
        power = power.adjusted(0, 0, 0, -lift)
        if QtGui.QFontMetricsF(power_font).height() > power.height():  # a short figure ("48 W") gives way
            power_font, power_text, power_elided = fit(station.power, power, power.height(), bold=True)
        info = info.adjusted(0, -lift, 0, -line_h)
        side = min(qr.width(), info.height())
        qr = QtCore.QRectF(qr.right() - side, info.bottom() - side, side, side)
        show_qr = show_qr and qr_module_px(side, station.qr_modules) >= MIN_QR_MODULE_PX
        lines = _info_lines(key, station, info, row_count - 1, claims_row)
    items.append(Item(f"{key}:power", "text", power, power_text, power_font, "sun" if station.reporting else "warn",
                      elided=power_elided))
    items += lines
    if show_qr:
        items.append(Item(f"{key}:qr", "qr", qr, modules=station.qr_modules))
    return items


def qr_module_px(side: float, modules: tuple[bytes, ...]) -> int:
    """Whole pixels per module when a code (with its 2-module quiet zone each side) is painted in `side`."""
    return int(side // (len(modules) + 4))


def _info_lines(key: str, station: StationModel, info: QtCore.QRectF, row_count: int,
                claims_row: QtCore.QRectF | None = None) -> list[Item]:
    """The info lines in rows of `info`, one size for all (a calm tile), then the claims line: in the
    column's bottom row, or in `claims_row` when given."""
    line_h = info.height() / row_count
    rows = [(QtCore.QRectF(info.left(), info.top() + i * line_h, info.width(), line_h), line)
            for i, line in enumerate(station.lines or [""])]
    px = min(fit(line, r, line_h)[0].pixelSize() for r, line in rows)
    items = [text_item(f"{key}:line{i}", line, r, px, color="text" if i == 0 else "muted")
             for i, (r, line) in enumerate(rows)]
    if station.claims:
        r = claims_row or QtCore.QRectF(info.left(), info.bottom() - line_h, info.width(), line_h)
        items.append(text_item(f"{key}:claims", station.claims, r, px, color=station.claims_color))
    return items


# ---- whole screens ---------------------------------------------------------------------------------------
def frame(size: QtCore.QSize) -> dict[str, QtCore.QRectF]:
    w, h = float(size.width()), float(size.height())
    m = 0.02 * min(w, h)
    header_h = 0.10 * h
    totals_h = 0.075 * h
    footer_h = 0.04 * h
    return {
        "screen": QtCore.QRectF(0, 0, w, h),
        "header": QtCore.QRectF(m, m, w - 2 * m, header_h),
        "tiles": QtCore.QRectF(m, 2 * m + header_h, w - 2 * m, h - 5 * m - header_h - totals_h - footer_h),
        "totals": QtCore.QRectF(m, h - 2 * m - totals_h - footer_h, w - 2 * m, totals_h),
        "footer": QtCore.QRectF(m, h - m - footer_h, w - 2 * m, footer_h),
        "margin": QtCore.QRectF(0, 0, m, m),
    }


def header_items(area: QtCore.QRectF, title: str, languages: list[tuple[str, str]], current: str) -> list[Item]:
    """Title on the left, one button per language on the right."""
    bh = min(area.height() * 0.8, area.width() * 0.05)  # a portrait screen keeps room for the title
    bw = bh * 1.45
    gap = bh * 0.2
    right = area.right()
    items: list[Item] = []
    for code, label in reversed(languages):
        r = QtCore.QRectF(right - bw, area.center().y() - bh / 2, bw, bh)
        items += button(f"lang:{code}", label, r, on=code == current)
        right -= bw + gap
    title_rect = QtCore.QRectF(area.left(), area.top(), max(10.0, right - area.left() - gap), area.height())
    items.insert(0, text_item("title", title, title_rect, area.height() * 0.8, bold=True))
    return items


def inside(item: Item, screen: QtCore.QRectF) -> bool:
    return screen.adjusted(-0.5, -0.5, 0.5, 0.5).contains(item.rect)


def text_fits(item: Item) -> bool:
    """The item's text, in its font, fits its rectangle (what `fit` promised); for the layout tests."""
    if item.kind != "text" or item.font is None or not item.text:
        return True
    fm = QtGui.QFontMetricsF(item.font)
    if item.wrap:
        box = fm.boundingRect(item.rect, int(QtCore.Qt.TextFlag.TextWordWrap), item.text)
        return box.height() <= item.rect.height() + 0.5 and box.width() <= item.rect.width() + 0.5
    return fm.horizontalAdvance(item.text) <= item.rect.width() + 0.5 and fm.height() <= item.rect.height() + 0.5


def ink_height(item: Item) -> float:
    """Height of the painted glyphs of an item's text (the digits of a power figure)."""
    assert item.font is not None
    return QtGui.QFontMetricsF(item.font).tightBoundingRect(item.text).height()

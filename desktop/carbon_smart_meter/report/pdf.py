"""The PDF for people, drawn with reportlab from the report document (and its plots) alone.

reportlab's invariant mode leaves out the creation time and random document ids, the fonts are the
DejaVu faces matplotlib ships (so every machine embeds the same glyphs and CO₂, ±, ≤ print), and the
plots are PNGs made without a version stamp: the same document gives the same PDF bytes
(docs/decisions/0014-mrv-report-pdf-with-reportlab.md says why reportlab).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from carbon_smart_meter.report import plots
from carbon_smart_meter.report.pdf_sections import SECTIONS, summary

FONT, BOLD, MONO = "CsmSans", "CsmSans-Bold", "CsmMono"
MARGIN = 16 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    import matplotlib

    ttf = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(ttf, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(ttf, "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(MONO, os.path.join(ttf, "DejaVuSansMono.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


class Styles:
    def __init__(self) -> None:
        _register_fonts()
        self.body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, alignment=TA_LEFT,
                                   spaceAfter=3)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=7.5, leading=9.5)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=7.5, leading=9.2, spaceAfter=0)
        self.mono = ParagraphStyle("mono", parent=self.cell, fontName=MONO, fontSize=7, wordWrap="CJK")
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=17, leading=21, spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", parent=self.body, fontSize=10, leading=13, spaceAfter=6)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=BOLD, fontSize=12, leading=15, spaceBefore=9,
                                 spaceAfter=4, textColor=colors.HexColor("#1b3a4b"), keepWithNext=1)
        self.banner = ParagraphStyle("banner", parent=self.body, fontName=BOLD, fontSize=9.5, leading=12.5,
                                     textColor=colors.white, spaceAfter=0)


class Builder:
    """What section functions use to make flowables: paragraphs, key/value and column tables, plots."""

    def __init__(self, styles: Styles) -> None:
        self.s = styles

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def banner(self, text: str, kind: str) -> KeepTogether:
        """A full-width coloured box: "ok" (green), "bad" (red) or "note" (amber)."""
        colour = {"ok": "#2e7d32", "bad": "#c62828", "note": "#8d6e00"}[kind]
        t = Table([[Paragraph(text, self.s.banner)]], colWidths=[TEXT_WIDTH], hAlign="LEFT")
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(colour)),
                               ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return KeepTogether([t, Spacer(1, 5)])

    def gap(self, points: float = 4) -> Spacer:
        return Spacer(1, points)

    def h(self, text: str) -> Paragraph:
        return Paragraph(text, self.s.h1)

    def kv(self, rows: list[tuple[str, str]], mono_keys: tuple[str, ...] = ()) -> Table:
        data = [[Paragraph(f"<b>{k}</b>", self.s.cell),
                 Paragraph(v, self.s.mono if k in mono_keys else self.s.cell)] for k, v in rows]
        t = Table(data, colWidths=[42 * mm, TEXT_WIDTH - 42 * mm], hAlign="LEFT", spaceAfter=5)
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25,
                                                                           colors.HexColor("#cfd8dc")),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        return t

    def table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None,
              mono_cols: tuple[int, ...] = ()) -> KeepTogether | Table:
        """A row of one cell spans the whole table (e.g. a transaction id under its claim)."""
        data: list[list[Paragraph | str]] = [[Paragraph(f"<b>{h}</b>", self.s.cell) for h in header]]
        spans = []
        for r in rows:
            if len(r) == 1:
                spans.append(("SPAN", (0, len(data)), (-1, len(data))))
                data.append([Paragraph(r[0], self.s.cell), *([""] * (len(header) - 1))])
            else:
                data.append([Paragraph(c, self.s.mono if j in mono_cols else self.s.cell) for j, c in enumerate(r)])
        if widths is not None:
            total = sum(widths)
            widths = [w * TEXT_WIDTH / total for w in widths]
        t = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=1, spaceAfter=5)
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cfd8dc")),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                               *spans]))
        return KeepTogether([t]) if len(rows) < 12 else t

    def plot(self, png: bytes, caption: str, heading: str = "") -> KeepTogether:
        """A plot with its caption (and the section heading above it, so a heading never ends a page)."""
        from PIL import Image as PilImage

        with PilImage.open(io.BytesIO(png)) as im:
            w, h = im.size
        img = Image(io.BytesIO(png), width=TEXT_WIDTH, height=TEXT_WIDTH * h / w)
        head = [self.h(heading)] if heading else []
        return KeepTogether([*head, img, Paragraph(caption, self.s.small), Spacer(1, 6)])


def _footer(doc: dict) -> Callable:
    device = doc["report"]["device"]
    period = doc["report"]["period"]
    text = f"csm MRV report · device {device[:10]}… · {period['first_day']} to {period['last_day']}"

    def draw(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#607d8b"))
        canvas.drawString(MARGIN, 9 * mm, text)
        canvas.drawRightString(A4[0] - MARGIN, 9 * mm, f"page {template.page}")
        canvas.restoreState()

    return draw


def render_pdf(doc: dict) -> bytes:
    """The PDF bytes of a report document."""
    b = Builder(Styles())
    images = {"daily": plots.daily_energy(doc), "profile": plots.typical_day(doc), "coverage": plots.coverage(doc)}
    story = summary(doc, b)
    for section in SECTIONS:
        story += section(doc, b, images)
    story.append(Spacer(1, 4))
    out = io.BytesIO()
    period = doc["report"]["period"]
    template = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm, bottomMargin=16 * mm,
        title=f"MRV report {doc['report']['device']} {period['first_day']} to {period['last_day']}",
        author="Carbon Smart Meter", subject="Monitoring report of a metered solar device",
        creator=doc["report"]["generator"], producer=doc["report"]["generator"], invariant=1)
    footer = _footer(doc)
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()

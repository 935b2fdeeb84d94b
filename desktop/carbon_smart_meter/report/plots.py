"""The report's three plots, drawn by matplotlib from the report document alone, as PNG bytes.

Daily energy bars (with the k = 2 uncertainty and, when a location is known, the clear-sky ceiling),
a typical-day power profile, and the coverage of the period by verified, unverifiable and failed data.
Figures are built on matplotlib's object API with the Agg canvas (no pyplot state, safe off the main
thread) and saved without a version stamp, so the same document gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from carbon_smart_meter.report.period import zone

WIDTH_IN = 6.7
DPI = 150
COLOURS = {"verified": "#2e7d32", "unverifiable": "#f9a825", "failed": "#c62828", "unsynced": "#6a1b9a",
           "calibration": "#1565c0", "ceiling": "#455a64"}
STYLE: Any = {"font.size": 8, "axes.titlesize": 9, "axes.spines.top": False, "axes.spines.right": False,
         "font.family": "DejaVu Sans"}
DAY_NS = 86_400 * 10**9


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _figure(height_in: float) -> Figure:
    import matplotlib

    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    return fig


def daily_energy(doc: dict) -> bytes:
    import matplotlib

    days = doc["energy"]["per_day"]
    sky = {d["day"]: d["clear_sky_wh"] for d in doc["plausibility"]["days"]}
    flagged = set(doc["plausibility"]["flagged"])
    with matplotlib.rc_context(STYLE):
        fig = _figure(2.5)
        ax = fig.add_subplot()
        labels = [d["day"] for d in days]
        x = np.arange(len(days))
        wh = np.array([d["verified_kwh"] * 1000 for d in days])
        err = np.array([d["uncertainty_kwh"] * 1000 for d in days])
        unver = np.array([d["unverifiable_kwh"] * 1000 for d in days])
        colours = [COLOURS["failed"] if d in flagged else COLOURS["verified"] for d in labels]
        ax.bar(x, wh, color=colours, label="verified energy", yerr=err if err.any() else None, capsize=2)
        if unver.any():
            ax.bar(x, unver, bottom=wh, color=COLOURS["unverifiable"], label="unverifiable (not counted)")
        if any(v is not None for v in sky.values()):
            ys = [sky.get(d) for d in labels]
            ax.scatter(x, [np.nan if y is None else y for y in ys], marker="_", s=400, color=COLOURS["ceiling"],
                       label="clear-sky ceiling", zorder=3)
        ax.set_xlim(-0.7, max(len(days), 5) - 0.3)  # a single day is a bar, not the whole axis
        ax.set_xticks(x, labels, rotation=45 if len(days) > 6 else 0, ha="right" if len(days) > 6 else "center")
        if len(days) > 31:
            for k, label in enumerate(ax.get_xticklabels()):
                label.set_visible(k % max(1, len(days) // 20) == 0)
        ax.set_ylabel("Wh per day")
        ax.set_title("Verified energy per day" + (" (red: flagged by the plausibility check)" if flagged else ""))
        ax.legend(loc="upper left", fontsize=7, frameon=False)
        ax.set_ylim(bottom=0)
        return _png(fig)


def typical_day(doc: dict) -> bytes:
    import matplotlib

    prof = doc["profile"]
    watts = np.array([np.nan if w is None else w for w in prof["mean_w"]])
    hours = np.arange(len(watts)) * prof["bin_minutes"] / 60
    with matplotlib.rc_context(STYLE):
        fig = _figure(2.3)
        ax = fig.add_subplot()
        ax.step(np.append(hours, 24.0), np.append(watts, watts[-1]), where="post", color=COLOURS["verified"],
                label="mean power")
        ax.fill_between(np.append(hours, 24.0), np.append(np.nan_to_num(watts), 0.0), step="post", alpha=0.25,
                        color=COLOURS["verified"])
        rated = doc["plausibility"]["rated_w"]
        if rated:
            ax.axhline(rated, color=COLOURS["ceiling"], linestyle="--", linewidth=0.8, label=f"rated {rated} W")
        ax.set_xlim(0, 24)
        ax.set_xticks(range(0, 25, 3))
        ax.set_xlabel(f"local time of day ({prof['tz']}), h")
        ax.set_ylabel("W")
        ax.set_ylim(bottom=0)
        ax.set_title(f"Typical day: {prof['basis']}, per {prof['bin_minutes']} min")
        ax.legend(loc="upper left", fontsize=7, frameon=False)
        return _png(fig)


def coverage(doc: dict) -> bytes:
    import matplotlib

    cov = doc["coverage"]
    tz = zone(doc["report"]["period"]["tz"])
    lo, hi = cov["start_ns"], cov["end_ns"]
    rows = [("verified", [(a, b) for a, b, s in cov["status"] if s == "verified"]),
            ("unverifiable", [(a, b) for a, b, s in cov["status"] if s == "unverifiable"]),
            ("failed", [(a, b) for a, b, s in cov["status"] if s == "failed"]),
            ("clock not set", [(a, b) for a, b in cov["unsynced"]]),
            ("no valid calibration", [(u["start_ns"], u["end_ns"]) for u in doc["calibration"]["uncovered"]])]
    colour = [COLOURS["verified"], COLOURS["unverifiable"], COLOURS["failed"], COLOURS["unsynced"],
              COLOURS["calibration"]]
    with matplotlib.rc_context(STYLE):
        fig = _figure(1.9)
        ax = fig.add_subplot()
        for k, (_name, spans) in enumerate(rows):
            bars = [(a / DAY_NS, max(b - a, 1) / DAY_NS) for a, b in spans]
            if bars:
                ax.broken_barh(bars, (len(rows) - 1 - k - 0.35, 0.7), color=colour[k])
        ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)])
        ax.set_xlim(lo / DAY_NS, hi / DAY_NS)
        span_days = (hi - lo) / DAY_NS
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M" if span_days <= 1.01 else "%d %b", tz=tz))
        if span_days <= 1.01:
            ax.xaxis.set_major_locator(mdates.HourLocator(byhour=range(0, 24, 3), tz=tz))
        ax.set_title("Coverage of the monitoring period (blank: nothing recorded)")
        ax.grid(axis="x", linewidth=0.3)
        return _png(fig)

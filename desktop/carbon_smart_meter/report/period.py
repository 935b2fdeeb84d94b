"""The monitoring period: whole local days from --from to --to (inclusive), in one time zone.

Days, not instants, because methodologies report per day and because every time zone in use is a
multiple of 15 minutes from UTC: a local day is an exact sum of the quarter-hour bins energy is kept in
(energy/totals.py), so cutting a period never splits a bin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from carbon_smart_meter.errors import CsmError


class PeriodError(CsmError):
    """A monitoring period or time zone the user gave cannot be used."""


def zone(tz: str) -> dt.tzinfo:
    if tz == "UTC":
        return dt.UTC
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise PeriodError(f"--tz {tz!r} is not an IANA time zone such as Europe/Berlin or UTC") from None


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-06-21") from None


@dataclass(frozen=True)
class Period:
    first_day: dt.date
    last_day: dt.date  # inclusive
    tz: str = "UTC"

    def __post_init__(self) -> None:
        if self.first_day > self.last_day:
            raise PeriodError(f"--from {self.first_day} is after --to {self.last_day}: the monitoring period "
                              "must start on or before the day it ends")

    @property
    def start_ns(self) -> int:
        start = dt.datetime.combine(self.first_day, dt.time(), zone(self.tz))
        return int(start.timestamp()) * 10**9

    @property
    def end_ns(self) -> int:
        """Exclusive: midnight after the last day."""
        end = dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), zone(self.tz))
        return int(end.timestamp()) * 10**9

    def days(self) -> list[str]:
        n = (self.last_day - self.first_day).days + 1
        return [(self.first_day + dt.timedelta(days=k)).isoformat() for k in range(n)]

    def contains_day(self, day: str) -> bool:
        return self.first_day.isoformat() <= day <= self.last_day.isoformat()

    @property
    def label(self) -> str:
        return f"{self.first_day.isoformat()} to {self.last_day.isoformat()} ({self.tz})"


def local_day(t_ns: int, tz: str) -> dt.date:
    return dt.datetime.fromtimestamp(t_ns / 1e9, zone(tz)).date()


def period_from(first: str | None, last: str | None, data_first_ns: int | None, data_last_ns: int | None,
                tz: str) -> Period:
    """The period the user asked for; a bound not given is the first or last day with data."""
    zone(tz)
    if first is None and data_first_ns is None:
        raise PeriodError("the session files hold no samples, so there is no monitoring period to report; give "
                          "--from and --to, or files with data")
    a = parse_day(first, "--from") if first is not None else local_day(int(data_first_ns or 0), tz)
    b = parse_day(last, "--to") if last is not None else (
        local_day(int(data_last_ns), tz) if data_last_ns is not None else a)
    if first is None and a > b:
        a = b
    if last is None and b < a:
        b = a
    return Period(a, b, tz)


def iso_utc(t_ns: int | None) -> str:
    if t_ns is None:
        return ""
    return dt.datetime.fromtimestamp(t_ns // 10**9, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

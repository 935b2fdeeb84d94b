"""A user-imported emission-factor dataset (CSV), checked row by row before anything uses it.

Format (header required; extra columns are ignored):

    region,factor,unit,year,source
    NZ,0.1035,kgCO2e/kWh,2024,MBIE 2024 grid average
    DE,380,g/kWh,2023,

`region` is an ISO 3166-1 code (alpha-2, alpha-3 or numeric), optionally with a subregion after a
hyphen (US-CA); `unit` is any mass per energy pint understands, optionally with a CO2/CO2e label.
A bad row stops the import with the file, line and field named: a dataset that is half right is wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from carbon_smart_meter.carbon.provenance import FactorProvenance, Level, Method
from carbon_smart_meter.carbon.snapshot import lookup
from carbon_smart_meter.carbon.units import grams_per_kwh
from carbon_smart_meter.errors import CarbonError

REQUIRED = ("region", "factor", "unit")
MAX_G_PER_KWH = 2000.0  # above the dirtiest coal plant: a larger number is a unit mistake


class DatasetError(CarbonError):
    """An imported dataset is malformed; the message names the file, line and field."""


@dataclass(frozen=True)
class ImportedDataset:
    path: str
    factors: dict[str, FactorProvenance]

    def factor_for(self, region: str, subregion: str | None = None) -> FactorProvenance | None:
        key = normalise_region(region)
        if subregion and f"{key}-{subregion.upper()}" in self.factors:
            return self.factors[f"{key}-{subregion.upper()}"]
        return self.factors.get(key)


def normalise_region(text: str) -> str:
    """Alpha-2 for a country code in the snapshot; other codes upper-cased as given."""
    base, _, sub = text.strip().partition("-")
    entry = lookup(base)
    code = entry.alpha2 if entry is not None else base.upper()
    return f"{code}-{sub.upper()}" if sub else code


def load_dataset(path: str | Path) -> ImportedDataset:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read the dataset ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not a UTF-8 text CSV (byte 0x{exc.object[exc.start]:02x} at offset "
                           f"{exc.start}); save the dataset as CSV in UTF-8") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DatasetError(f"{path}: header must name {', '.join(REQUIRED)}; missing {', '.join(missing)}")
    factors: dict[str, FactorProvenance] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        where = f"{path}:{line}"
        if not row["region"]:
            raise DatasetError(f"{where}: field 'region' is empty")
        try:
            value = float(row["factor"])
        except ValueError:
            raise DatasetError(f"{where}: field 'factor' {row['factor']!r} is not a number") from None
        try:
            grams, gas = grams_per_kwh(value, row["unit"], f"{where}: field 'unit'")
        except DatasetError:
            raise
        except CarbonError as exc:
            raise DatasetError(str(exc)) from exc
        if not 0 <= grams <= MAX_G_PER_KWH:
            raise DatasetError(f"{where}: {value} {row['unit']} is {grams:.1f} g/kWh, outside 0..{MAX_G_PER_KWH:.0f};"
                               " check the unit (kg vs g, kWh vs MWh)")
        year_text = row.get("year", "")
        if year_text and not year_text.isdigit():
            raise DatasetError(f"{where}: field 'year' {year_text!r} is not a year")
        region = normalise_region(row["region"])
        if region in factors:
            raise DatasetError(f"{where}: region {region} appears twice")
        factors[region] = FactorProvenance(
            grams, f"g{gas}/kWh", Method.GRID, Level.IMPORTED, row.get("source") or f"imported {path.name}",
            f"file {path.name}", int(year_text or 0), region, "as stated by the importer",
            note=f"{value:g} {row['unit']} as imported")
    if not factors:
        raise DatasetError(f"{path}: no rows")
    return ImportedDataset(str(path), factors)

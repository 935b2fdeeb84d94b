"""Regional electricity prices for the price-linked reward: a dated table that deployments replace.

The shipped table (data/prices.csv) holds ILLUSTRATIVE round figures only: no primary tariff source
could be checked where it was written, so each row says so in `status` and `source`. A deployment
loads its own CSV in the same format (or sets prices on-chain) and the preview follows it. Prices
become micro-USD per kWh, the integer unit of onchain/RULES.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

from carbon_smart_meter.errors import CsmError
from carbon_smart_meter.rewards.limits import PRICE_TABLE_CAPACITY
from carbon_smart_meter.rewards.params import PayoutParams

#: micro-USD per kWh in one of each accepted unit
UNIT_SCALE = {"USD/kWh": Decimal(1_000_000), "USD/MWh": Decimal(1_000), "uUSD/kWh": Decimal(1),
              "µUSD/kWh": Decimal(1), "cUSD/kWh": Decimal(10_000)}
REQUIRED = ("iso_numeric", "price", "unit")


class PriceTableError(CsmError):
    """A price table is malformed; the message names the file, line and field."""


@dataclass(frozen=True)
class RegionPrice:
    iso_numeric: int
    region: str
    micro_usd_per_kwh: int
    as_of: str
    status: str   # "illustrative" or "sourced"
    source: str


@dataclass(frozen=True)
class PriceTable:
    path: str
    rows: dict[int, RegionPrice]

    @property
    def prices(self) -> dict[int, int]:
        return {k: r.micro_usd_per_kwh for k, r in self.rows.items()}

    def row_for(self, iso_numeric: int) -> RegionPrice | None:
        """The row that prices `iso_numeric`: its own or the default (region 0), as the chain does."""
        return self.rows.get(iso_numeric, self.rows.get(0))

    def apply_to(self, params: PayoutParams) -> PayoutParams:
        return params.with_changes(prices=self.prices)


def shipped_table() -> PriceTable:
    path = resources.files("carbon_smart_meter.rewards").joinpath("data", "prices.csv")
    return _parse(path.read_text(encoding="utf-8"), "carbon_smart_meter/rewards/data/prices.csv")


def load_table(path: str | Path) -> PriceTable:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise PriceTableError(f"{path}: cannot read the price table ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise PriceTableError(f"{path}: not a UTF-8 text CSV (byte 0x{exc.object[exc.start]:02x} at offset "
                              f"{exc.start}); save the table as CSV in UTF-8") from None
    return _parse(text, str(path))


def _parse(text: str, name: str) -> PriceTable:
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise PriceTableError(f"{name}: header must name {', '.join(REQUIRED)}; missing {', '.join(missing)}")
    rows: dict[int, RegionPrice] = {}
    for line, row in enumerate(reader, start=2):
        where = f"{name}:{line}"
        short = [c for c in REQUIRED if row.get(c) is None]
        if short:
            raise PriceTableError(f"{where}: the line ends before {', '.join(short)}; every line needs "
                                  f"{', '.join(REQUIRED)}")
        try:
            region = int(row["iso_numeric"])
        except ValueError:
            raise PriceTableError(f"{where}: iso_numeric {row['iso_numeric']!r} is not an ISO 3166-1 number") from None
        unit = row["unit"].strip()
        if unit not in UNIT_SCALE:
            raise PriceTableError(f"{where}: unit {unit!r} is not one of {', '.join(UNIT_SCALE)}")
        try:
            price = Decimal(row["price"])
        except InvalidOperation:
            raise PriceTableError(f"{where}: price {row['price']!r} is not a number") from None
        if not price.is_finite():
            raise PriceTableError(f"{where}: price {row['price']!r} is not a finite number")
        micro = int(price * UNIT_SCALE[unit])
        if not 0 <= region <= 0xFFFF or not 0 <= micro <= PayoutParams.MAX_PRICE:
            raise PriceTableError(f"{where}: region {region} or price {micro} µUSD/kWh is out of range")
        if region in rows:
            raise PriceTableError(f"{where}: region {region} appears twice")
        if len(rows) == PRICE_TABLE_CAPACITY:
            raise PriceTableError(f"{where}: a deployment prices at most {PRICE_TABLE_CAPACITY} regions (region 0 "
                                  "included, onchain/RULES.md); merge regions or drop rows from this table")
        rows[region] = RegionPrice(region, row.get("region", "") or str(region), micro, row.get("as_of", ""),
                                   row.get("status", "") or "unstated", row.get("source", ""))
    return PriceTable(name, rows)

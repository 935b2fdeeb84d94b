"""The Python model against onchain/vectors/limits.json: one table of codes, parameter bounds and limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carbon_smart_meter.errors import RewardError
from carbon_smart_meter.rewards import limits
from carbon_smart_meter.rewards.params import Code, PayoutParams
from carbon_smart_meter.rewards.preview import TOKEN_DECIMALS
from carbon_smart_meter.rewards.prices import PriceTableError, load_table

TABLE = json.loads((Path(__file__).parents[2] / "onchain" / "vectors" / "limits.json").read_text())


def test_the_python_error_codes_are_the_tables():
    ours = {name: value for name, value in vars(Code).items() if name.isupper()}
    assert ours == TABLE["codes"]
    assert not set(TABLE["codes"].values()) & set(TABLE["solana_only_codes"].values())


def test_parameter_defaults_and_bounds_are_the_tables():
    defaults = PayoutParams()
    assert set(PayoutParams.BOUNDS) == set(TABLE["params"])
    for name, row in TABLE["params"].items():
        assert (getattr(defaults, name), *PayoutParams.BOUNDS[name]) == (row["default"], row["min"], row["max"]), name


@pytest.mark.parametrize("name", list(TABLE["params"]))
def test_each_parameter_is_refused_one_past_either_bound(name: str):
    row = TABLE["params"][name]
    for bad in (row["min"] - 1, row["max"] + 1):
        if bad < 0:
            continue
        with pytest.raises(RewardError) as info:
            PayoutParams(**{name: bad})
        assert info.value.code == Code.BAD_PARAMETER


def test_the_limits_are_the_tables():
    t = TABLE["limits"]
    assert t["price_table_capacity"] == limits.PRICE_TABLE_CAPACITY
    assert limits.MAX_PRICE == PayoutParams.MAX_PRICE == t["max_price_micro_usd_per_kwh"]
    assert PayoutParams().prices == {0: t["default_price_micro_usd_per_kwh"]}
    assert t["default_price_micro_usd_per_kwh"] == limits.DEFAULT_PRICE_MICRO_USD_PER_KWH
    assert t["max_era"] == limits.MAX_ERA and t["max_manufacturers"] == limits.MAX_MANUFACTURERS
    delay = t["params_delay_s"]
    assert (delay["default"], delay["min"], delay["max"]) == (
        limits.PARAMS_DELAY_S_DEFAULT, limits.PARAMS_DELAY_S_MIN, limits.PARAMS_DELAY_S_MAX)
    assert t["max_batch"] == limits.MAX_BATCH and t["token_decimals"] == TOKEN_DECIMALS


def test_parameters_hold_at_most_the_price_table_capacity():
    capacity = TABLE["limits"]["price_table_capacity"]
    PayoutParams(prices={r: 1 for r in range(capacity)})
    with pytest.raises(RewardError) as info:
        PayoutParams(prices={r: 1 for r in range(capacity + 1)})
    assert (info.value.code, info.value.name) == (Code.PRICE_TABLE_FULL, "PRICE_TABLE_FULL")


def test_a_price_table_file_beyond_the_capacity_is_refused_naming_the_line(tmp_path):
    capacity = TABLE["limits"]["price_table_capacity"]
    rows = "".join(f"{r},R{r},0.1,USD/kWh\n" for r in range(capacity + 1))
    path = tmp_path / "prices.csv"
    path.write_text("iso_numeric,region,price,unit\n" + rows)
    with pytest.raises(PriceTableError, match=rf"prices.csv:{capacity + 2}: .*at most {capacity} regions"):
        load_table(path)
    path.write_text("iso_numeric,region,price,unit\n" + "".join(f"{r},R{r},0.1,USD/kWh\n" for r in range(capacity)))
    assert len(load_table(path).rows) == capacity

"""The JSON schema documents exactly the fields the loader checks."""

from __future__ import annotations

import json
from pathlib import Path

from carbon_smart_meter.calibration.record import QUANTITY_FIELDS, SCHEMA_ID, TEXT_FIELDS, UNCERTAINTY_FIELDS

SCHEMA = Path(__file__).parents[2] / "calibration" / "schema.json"


def _required(schema: dict, table: str) -> set[str]:
    node = schema if not table else schema["properties"][table]
    return set(node.get("required", []))


def test_the_schema_requires_every_field_the_loader_requires() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert schema["properties"]["schema"]["const"] == SCHEMA_ID
    for table, key, required in TEXT_FIELDS:
        assert (key in _required(schema, table)) == required, (table, key)
    for table, key, _dim, required in QUANTITY_FIELDS:
        assert (key in _required(schema, table)) == required, (table, key)
        assert key in schema["properties"][table]["properties"]
    for table, key, _dim in UNCERTAINTY_FIELDS:
        assert key in _required(schema, table)
    assert {"date", "expires"} <= _required(schema, "")

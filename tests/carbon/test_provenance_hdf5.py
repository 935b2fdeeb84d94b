"""Provenance fits in HDF5 attributes and comes back unchanged."""

from __future__ import annotations

import h5py

from carbon_smart_meter.carbon.methods import fuel_baseline
from carbon_smart_meter.carbon.provenance import FactorProvenance
from carbon_smart_meter.carbon.snapshot import snapshot_factor


def test_factor_provenance_is_stored_as_hdf5_attributes_and_read_back(tmp_path):
    path = tmp_path / "s.h5"
    with h5py.File(path, "w") as f:
        for name, factor in (("grid", snapshot_factor("DE")), ("diesel", fuel_baseline("diesel"))):
            f.create_group(name).attrs.update(factor.to_attrs())
    with h5py.File(path, "r") as f:
        back = FactorProvenance.from_attrs({k: _py(v) for k, v in f["grid"].attrs.items()})
        diesel = FactorProvenance.from_attrs({k: _py(v) for k, v in f["diesel"].attrs.items()})
    assert back == snapshot_factor("DE")
    assert diesel == fuel_baseline("diesel")


def _py(value):
    return value.item() if hasattr(value, "item") else value

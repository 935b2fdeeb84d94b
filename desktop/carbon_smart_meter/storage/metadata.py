"""Session details: where, by whom and on what panel a session was measured (the /metadata group).

Stored as plain attributes of `/metadata`, each number with a `<name>_units` attribute beside it, so
h5dump, HDFView or any HDF5 library shows them without our code. They are written while the file is
built under its temporary name (before SWMR starts, after which no attribute may be created) and are
never changed afterwards; rotation gives every file of a session the same details. Unknown values are
left out rather than written as NaN or "": absence is what every tool understands as "not recorded".

Reading checks the values with the same limits the settings and `csm log` use (settings.SITE_LIMITS):
a value out of range is reported and left out, never allowed to stop the file from opening; a file of
round 1 has no /metadata and reads as "no details".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import h5py

from carbon_smart_meter.errors import StorageError
from carbon_smart_meter.settings import Settings, site_value_problem

GROUP = "metadata"
VERSION = 1
# attribute name in the file -> (field name, units attribute or None for text)
ATTRIBUTES: dict[str, tuple[str, str | None]] = {
    "site": ("site", None),
    "operator": ("operator", None),
    "latitude": ("latitude", "degree_north"),
    "longitude": ("longitude", "degree_east"),
    "panel_tilt": ("panel_tilt_deg", "degree"),
    "panel_azimuth": ("panel_azimuth_deg", "degree"),
    "panel_rated_power": ("panel_rated_w", "W"),
    "description": ("session_description", None),
}
CONVENTIONS = ("panel_tilt: 0 = horizontal, 90 = vertical; panel_azimuth: clockwise from north (90 = east, "
               "180 = south); latitude/longitude: WGS 84; a value not recorded is absent")


class MetadataError(StorageError):
    """A session detail is out of range; the message names it and says what would be right."""


@dataclass(frozen=True)
class SessionMetadata:
    site: str = ""
    operator: str = ""
    latitude: float | None = None
    longitude: float | None = None
    panel_tilt_deg: float | None = None
    panel_azimuth_deg: float | None = None
    panel_rated_w: float | None = None
    session_description: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionMetadata:
        return cls(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(cls)}).validate()

    def problems(self) -> list[str]:
        return [p for f in dataclasses.fields(self) if (p := site_value_problem(f.name, getattr(self, f.name)))]

    def validate(self) -> SessionMetadata:
        problems = self.problems()
        if problems:
            raise MetadataError("; ".join(problems))
        return self

    @property
    def empty(self) -> bool:
        return self == SessionMetadata()

    def to_dict(self) -> dict[str, object]:
        """JSON-able, named as in the file, with units: what inspect and export show."""
        out: dict[str, object] = {}
        for attr, (name, units) in ATTRIBUTES.items():
            value = getattr(self, name)
            if value in (None, ""):
                continue
            out[attr] = value
            if units:
                out[f"{attr}_units"] = units
        return out

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> SessionMetadata:
        """The inverse of to_dict (units entries are ignored; values are checked)."""
        return cls(**{name: d[attr] for attr, (name, _u) in ATTRIBUTES.items() if attr in d}).validate()  # type: ignore[arg-type]

    def write(self, h5: h5py.File) -> None:
        """The /metadata group of a file being built (before SWMR: attributes cannot be added later)."""
        self.validate()
        g = h5.create_group(GROUP)
        g.attrs["metadata_version"] = VERSION
        g.attrs["conventions"] = CONVENTIONS
        for attr, value in self.to_dict().items():
            g.attrs[attr] = value


def read_metadata(h5: h5py.File) -> tuple[SessionMetadata | None, list[str]]:
    """The details a file holds and what was wrong with them (values refused are left out).

    (None, []) for a file without /metadata (recorded before round 2, or by another tool).
    """
    if GROUP not in h5:
        return None, []
    attrs = h5[GROUP].attrs
    values: dict[str, object] = {}
    problems: list[str] = []
    for attr, (name, units) in ATTRIBUTES.items():
        if attr not in attrs:
            continue
        raw = attrs[attr]
        value: object
        if units is None:
            value = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        else:
            try:
                value = float(raw)
            except (TypeError, ValueError):
                value = raw
            stored_units = attrs.get(f"{attr}_units", units)
            if isinstance(stored_units, bytes):
                stored_units = stored_units.decode("utf-8", "replace")
            if stored_units != units:
                problems.append(f"/metadata {attr} is in {stored_units!r}, expected {units!r}; ignored")
                continue
        problem = site_value_problem(name, value)
        if problem:
            problems.append(f"/metadata {problem}; ignored")
            continue
        values[name] = value
    return SessionMetadata(**values), problems  # type: ignore[arg-type]  # each value checked above


def metadata_lines(meta: SessionMetadata | None) -> list[tuple[str, str]]:
    """(label, text) pairs for plain-text output (`csm inspect`, the PDF report)."""
    if meta is None or meta.empty:
        return []
    rows: list[tuple[str, str]] = []
    if meta.site:
        rows.append(("site", meta.site))
    if meta.operator:
        rows.append(("operator", meta.operator))
    if meta.latitude is not None and meta.longitude is not None:
        rows.append(("location", f"{meta.latitude:.5f}°, {meta.longitude:.5f}°"))
    panel = []
    if meta.panel_tilt_deg is not None:
        panel.append(f"tilt {meta.panel_tilt_deg:g}°")
    if meta.panel_azimuth_deg is not None:
        panel.append(f"azimuth {meta.panel_azimuth_deg:g}° from north")
    if meta.panel_rated_w is not None:
        panel.append(f"rated {meta.panel_rated_w:g} W")
    if panel:
        rows.append(("panel", ", ".join(panel)))
    if meta.session_description:
        rows.append(("description", meta.session_description))
    return rows


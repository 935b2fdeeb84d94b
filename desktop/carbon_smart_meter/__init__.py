"""Carbon Smart Meter: log, verify and claim the energy a portable solar panel generates.

The version has one source, `version` in pyproject.toml. An installed package (pip, the editable
development install) and the PyInstaller bundle (its spec copies the package metadata in) both carry
it as distribution metadata, read here. Only a bare source tree that was never installed has none:
it reports `0+unknown` instead of a number that could be wrong.
"""

from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "carbon-smart-meter"
UNKNOWN_VERSION = "0+unknown"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:
    __version__ = UNKNOWN_VERSION

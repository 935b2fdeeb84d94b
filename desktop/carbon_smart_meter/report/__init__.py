"""MRV reports: what a validation/verification body asks of a monitoring period, from session files and a chain.

A report is built per device and monitoring period from the session files alone (and, when asked, the
rewards deployment's chain): identity, calibration chain, completeness, verification, energy with its
uncertainty, estimated avoided emissions, plausibility and on-chain claims. The JSON document
(`document.py`) holds every figure; the PDF (`pdf.py`) and its plots (`plots.py`) are drawn from that
document, so the two can never disagree. `build.py` ties it together and writes the manifest.
"""

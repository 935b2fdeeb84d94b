"""The desktop logger window (PySide6 + pyqtgraph): the only package that imports Qt.

The views observe the core and pull from it on timers; nothing in the core ever calls into Qt or waits
for a view, so a frozen window costs frames, never samples.
"""

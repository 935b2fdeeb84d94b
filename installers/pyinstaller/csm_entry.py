"""Entry point of the frozen `csm` (PyInstaller bundle).

In a bundle `sys.executable` is this program, not a Python interpreter, yet the app starts itself as a
child process in two places the way Python would: `csm demo` runs its simulator as
`sys.executable -m carbon_smart_meter.cli simulate ...`, and `csm inspect`/`csm repair` try a damaged
file in `sys.executable -c PROBE ...` so a hang in HDF5 costs only the child. This entry point accepts
those two forms (only for the app's own modules with -m) so the same code runs frozen and from source;
anything else is the `csm` command line.
"""

from __future__ import annotations

import runpy
import sys


def main() -> int:
    argv = sys.argv
    if len(argv) >= 3 and argv[1] == "-m" and argv[2].startswith("carbon_smart_meter."):
        sys.argv = [argv[2], *argv[3:]]
        runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        return 0
    if len(argv) >= 3 and argv[1] == "-c":
        sys.argv = ["-c", *argv[3:]]
        exec(compile(argv[2], "<string>", "exec"), {"__name__": "__main__"})
        return 0
    from carbon_smart_meter.cli import main as csm_main

    return csm_main()


if __name__ == "__main__":
    sys.exit(main())

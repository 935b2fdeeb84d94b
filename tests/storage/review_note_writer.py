"""A real process that adds review notes to a session file without end, printing each count stored.

Run as `python review_note_writer.py FILE.h5`; the parent kills it with SIGKILL mid-write and checks that
the sidecar holds every note printed (or one more) and that the session file is untouched.
"""

from __future__ import annotations

import sys
from pathlib import Path

from carbon_smart_meter.storage.review_notes import add_review_note

if __name__ == "__main__":
    path = Path(sys.argv[1])
    n = 0
    while True:
        add_review_note(path, f"note {n} " + "x" * 500, 1_700_000_000_000_000_000 + n)
        n += 1
        print(n, flush=True)

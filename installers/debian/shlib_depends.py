"""Print the Depends field of the Debian package: what the bundle's ELF files need and do not carry.

PyInstaller copies every library a wheel brings, but leaves out the system's own (libc, libGL, libEGL,
fontconfig, the X/xcb and Wayland client libraries, ...): those must come from Debian packages. This
reads each ELF file's NEEDED entries (readelf), drops the ones the bundle provides, finds the rest
through the dynamic linker's cache (ldconfig -p) and the owning package through dpkg -S; the result is
what dpkg-shlibdeps would say for a package built without debian/ source. A library nobody provides is
an error naming the file that needs it (leave that file out of the bundle, or install the library).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# adduser: postinst creates the service account; sensible-utils: the bundled libblkid names
# sensible-pager. (init-system-helpers, for deb-systemd-invoke/-helper, is essential: no dependency.)
ALWAYS = ["adduser", "sensible-utils"]


def elf_files(root: Path) -> list[Path]:
    out = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    out.append(path)
    return out


def needed(path: Path) -> list[str]:
    text = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", text)


def linker_cache() -> dict[str, str]:
    text = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    cache: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\S+) \((libc6,x86-64|libc6,AArch64|libc6)[^)]*\) => (\S+)", line)
        if m:
            cache.setdefault(m.group(1), m.group(3))
    return cache


def owner(path: str) -> str | None:
    real = os.path.realpath(path)
    for candidate in dict.fromkeys([path, real, real.replace("/usr/lib/", "/lib/", 1),
                                    real.replace("/lib/", "/usr/lib/", 1)]):
        r = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":", 1)[0].strip()
    return None


def main() -> int:
    root = Path(sys.argv[1])
    files = elf_files(root)
    provided = {p.name for p in root.rglob("*")}
    cache = linker_cache()
    packages: set[str] = set(ALWAYS)
    missing: list[str] = []
    owners: dict[str, str | None] = {}
    for path in files:
        for soname in needed(path):
            if soname in provided or soname.startswith("ld-linux"):
                continue
            if soname not in owners:
                where = cache.get(soname)
                owners[soname] = owner(where) if where else None
            pkg = owners[soname]
            if pkg is None:
                missing.append(f"{soname} (needed by {path.relative_to(root)})")
            else:
                packages.add(pkg)
    if missing:
        print("no Debian package provides: " + "; ".join(sorted(set(missing))), file=sys.stderr)
        return 1
    print(", ".join(sorted(packages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Check that every pinned dependency installs without a compiler on every target we claim.

    python3 tools/check_wheels.py [constraints.txt]      (make check-wheels)

For each `name==version` line of constraints.txt and each target (CPython 3.11 and 3.13 on
x86_64 and aarch64), asks pip for a binary distribution only (`pip download --only-binary
:all: --platform ... --python-version ...`) and prints a table: `pure` (a py3-none-any
wheel), `wheel` (a compiled wheel whose manylinux tag the target's glibc accepts) or
`MISSING` (pip would have to build it from source, which a Pi without a compiler cannot).
Exits 1 if anything is missing. Needs the package index; not part of `make test`.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# (label, Python version, machine, glibc of the release that ships that Python)
TARGETS = (
    ("cp311-x86_64", "3.11", "x86_64", 36),    # Debian 12 bookworm: glibc 2.36
    ("cp311-aarch64", "3.11", "aarch64", 36),
    ("cp313-x86_64", "3.13", "x86_64", 41),    # Debian 13 trixie: glibc 2.41
    ("cp313-aarch64", "3.13", "aarch64", 41),
)


def pins(path):
    """The `name==version` lines of a constraints file (comments and markers dropped)."""
    out = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        if line:
            if not re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+", line):
                sys.exit(f"check_wheels: {path}: not a pin: {line}")
            out.append(line)
    return out


def platforms(machine, glibc_minor):
    """Every platform tag a pip on that machine and glibc accepts, newest first."""
    tags = [f"manylinux_2_{v}_{machine}" for v in range(glibc_minor, 16, -1)]
    return tags + [f"manylinux2014_{machine}", f"manylinux2010_{machine}",
                   f"manylinux1_{machine}", f"linux_{machine}"]


def probe(pin, python, machine, glibc_minor, dest):
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
           "--disable-pip-version-check", "--only-binary", ":all:",
           "--implementation", "cp", "--python-version", python, "--dest", str(dest), pin]
    for tag in platforms(machine, glibc_minor):
        cmd += ["--platform", tag]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return "MISSING"
    name = re.sub(r"[-_.]+", "_", pin.split("==")[0]).lower()
    for f in Path(dest).glob("*.whl"):
        if re.sub(r"[-_.]+", "_", f.name.split("-")[0]).lower() == name:
            return "pure" if f.name.endswith("-none-any.whl") else "wheel"
    return "MISSING"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("constraints", nargs="?", default="constraints.txt")
    args = ap.parse_args()
    rows, missing = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for pin in pins(args.constraints):
            cells = []
            for label, python, machine, glibc in TARGETS:
                dest = Path(tmp) / label / pin
                dest.mkdir(parents=True)
                cell = probe(pin, python, machine, glibc, dest)
                missing += cell == "MISSING"
                cells.append(cell)
            rows.append((pin, cells))
    width = max(len(p) for p, _ in rows)
    print(f"{'pin':{width}s}" + "".join(f"{t[0]:>15s}" for t in TARGETS))
    for pin, cells in rows:
        print(f"{pin:{width}s}" + "".join(f"{c:>15s}" for c in cells))
    print(f"{len(rows)} pins, {missing} missing binaries")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

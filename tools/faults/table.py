"""The campaign's tally, one `Part` per thing done to the device, and the table it prints."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Finding:
    text: str
    failing: bool          # False: worth knowing, not a failure (a skip, leftovers)


@dataclass
class Part:
    """What one part of the campaign did and saw."""

    name: str
    runs: int = 0                  # pftrainer processes started
    sigkill: int = 0
    sigterm: int = 0
    reps_reported: int = 0
    reps_lost: int = 0             # reported by the device, not in its database
    recordings_lost: int = 0       # named by the database and unreadable, or due and not kept
    orphans: int = 0               # recordings no session names
    partial: int = 0               # `.part` files left behind
    tracebacks: int = 0
    hangs: int = 0
    fuzz_cases: int = 0
    skipped: str | None = None     # why it did not run
    findings: list[Finding] = field(default_factory=list)

    def find(self, text: str, *, failing: bool = True) -> None:
        self.findings.append(Finding(text, failing))

    @property
    def failed(self) -> bool:
        return bool(self.reps_lost or self.recordings_lost or self.tracebacks or self.hangs
                    or any(f.failing for f in self.findings))


COLUMNS = ("part", "runs", "SIGKILL/SIGTERM", "reps lost", "rec. lost", "orphan/partial", "tracebacks",
           "hangs", "fuzz cases", "findings")


def _cells(p: Part) -> tuple[str, ...]:
    if p.skipped is not None:
        return (p.name, f"skipped: {p.skipped}") + ("",) * (len(COLUMNS) - 2)
    ran = p.runs > 0                         # fuzzing runs no device: its run columns do not apply
    return (p.name, str(p.runs) if ran else "-", f"{p.sigkill}/{p.sigterm}" if ran else "-",
            f"{p.reps_lost} of {p.reps_reported}" if ran else "-", str(p.recordings_lost) if ran else "-",
            f"{p.orphans}/{p.partial}" if ran else "-", str(p.tracebacks), str(p.hangs),
            str(p.fuzz_cases) if p.fuzz_cases or not ran else "-", str(len(p.findings)))


def total(parts: list[Part]) -> Part:
    t = Part("total")
    for p in parts:
        for name in ("runs", "sigkill", "sigterm", "reps_reported", "reps_lost", "recordings_lost", "orphans",
                     "partial", "tracebacks", "hangs", "fuzz_cases"):
            setattr(t, name, getattr(t, name) + getattr(p, name))
        t.findings += p.findings
    return t


def format_table(parts: list[Part]) -> str:
    """The table, a total row, then every finding under its part's name."""
    rows = [COLUMNS] + [_cells(p) for p in parts] + [_cells(total(parts))]
    widths = [max(len(r[i]) for r in rows if not r[1].startswith("skipped") or i == 0) for i in range(len(COLUMNS))]
    lines = []
    for n, row in enumerate(rows):
        if row[1].startswith("skipped"):
            lines.append(f"{row[0]:<{widths[0]}}  {row[1]}")
        else:
            lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0 or n == len(rows) - 2:
            lines.append("-" * len(lines[0]))
    for p in parts:
        for f in p.findings:
            lines.append(f"{'FAIL' if f.failing else 'note'}  {p.name}: {f.text}")
    return "\n".join(lines)

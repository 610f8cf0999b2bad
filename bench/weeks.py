"""Eight simulated weeks of training (`python -m bench.weeks`, part of `make bench`).

For a persona that grows stronger with training (`improving`) and one that does not
(`weak_postpartum`), `pftrainer run --sim` serves one session a simulated day for
`--days` days, as a user would use the appliance: the menu starts on their programme
(kracht) and on the assessment (`meting`) when one is due. Printed per persona and week:
the sessions, the kracht level reached, the assessments (P in kPa and % of the first,
E, R, F) and whether the device advised seeing a pelvic physiotherapist. Checked:

- improving: the level goes up, an assessment every 14 days, P and E rise from the
  first to the last assessment, no advice;
- weak_postpartum: assessments every 14 days, the advice once 6 weeks of regular
  training show no improvement (brochure 004's rule, `session/advice.py`).

Exit 1 when a check fails. The simulator's CPU is not charged ([sim] cpu_factor 0): this
is about weeks, not microseconds.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import re
import sys
import tempfile
import time
from pathlib import Path

from device.cli import main as pftrainer
from device.storage import Store
from session.progression import Standing

PERSONAS = ("improving", "weak_postpartum")


def simulate(persona: str, days: int, work: Path) -> tuple[list[dict], list[dict], list[str], Standing]:
    """`days` days of one session each; the sessions, the assessments, the log and the
    kracht standing at the end."""
    state = work / persona
    with Store(state) as store:
        store.save_setting("p1.programme", "kracht")
    config = work / "pftrainer.toml"
    config.write_text("[sim]\ncpu_factor = 0\n")
    log = io.StringIO()
    with contextlib.redirect_stderr(log), contextlib.redirect_stdout(io.StringIO()):
        code = pftrainer(["--config", str(config), "run", "--sim", "--persona", persona, "--sessions", str(days),
                          "--days-between", "1", "--state-dir", str(state)])
    if code != 0:
        raise SystemExit(f"{persona}: pftrainer run exited {code}:\n{log.getvalue()[-2000:]}")
    with Store(state, read_only=True) as store:
        return (store.sessions(), store.assessments(), log.getvalue().splitlines(),
                Standing.from_text(store.setting("p1.level.kracht", "")))


def report(persona: str, sessions: list[dict], assessments: list[dict], log: list[str]) -> list[str]:
    first_day = datetime.date.fromisoformat(sessions[0]["started_at"][:10])
    levels = [int(m.group(1)) for line in log if (m := re.search(r"kracht at level (\d+)", line))]
    lines = [f"{persona}:", "  week  sessions  kracht level  assessments (P kPa, % of first, E s, R, F)"]
    first_p = assessments[0]["max_kpa"] if assessments else None
    kracht = iter(levels)
    for week in range(0, (len(sessions) + 6) // 7):
        in_week = [s for s in sessions
                   if (datetime.date.fromisoformat(s["started_at"][:10]) - first_day).days // 7 == week]
        week_levels = [next(kracht, None) for s in in_week if s["program"] == "kracht"]
        made = [a for a in assessments if any(a["id"] == s["id"] for s in in_week)]
        shown = "; ".join(f"{a['max_kpa']:.2f}, {100 * a['max_kpa'] / first_p:.0f} %, {a['endurance_s']:.0f}, "
                          f"{a['holds_good']}/{a['holds']}, {a['flicks_half']}/{a['flicks']}" for a in made)
        lv = max((lv for lv in week_levels if lv is not None), default=None)
        lines.append(f"  {week + 1:>4}  {len(in_week):>8}  {'-' if lv is None else lv:>12}  {shown}")
    advice = [line.strip() for line in log if "advice:" in line]
    lines.append(f"  advice: {advice[0] if advice else 'none'}")
    return lines


def checks(persona: str, assessments: list[dict], log: list[str], standing: Standing) -> list[str]:
    """What failed, for `persona`."""
    failed = []
    advised = any("advice:" in line for line in log)
    gaps = [(datetime.date.fromisoformat(b["started_at"][:10]) - datetime.date.fromisoformat(a["started_at"][:10])).days
            for a, b in zip(assessments, assessments[1:])]
    if len(assessments) < 4 or any(gap != 14 for gap in gaps):
        failed.append(f"{persona}: assessments every 14 days expected, got gaps {gaps}")
    if persona == "improving":
        if standing.level < 3:
            failed.append(f"improving: kracht level {standing.level} at the end, expected 3 or more")
        if assessments and assessments[-1]["max_kpa"] <= 1.1 * assessments[0]["max_kpa"]:
            failed.append("improving: P did not rise by more than 10 %")
        if assessments and assessments[-1]["endurance_s"] <= assessments[0]["endurance_s"]:
            failed.append("improving: E did not rise")
        if advised:
            failed.append("improving: advised to see a physiotherapist")
    elif not advised:
        failed.append(f"{persona}: no advice after weeks without improvement")
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.weeks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=56, help="simulated days, one session each (default 56)")
    args = parser.parse_args(argv)
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pftrainer-weeks-") as tmp:
        for persona in PERSONAS:
            started = time.monotonic()
            print(f"simulating {args.days} days of {persona} ...", file=sys.stderr, flush=True)
            sessions, assessments, log, standing = simulate(persona, args.days, Path(tmp))
            print("\n".join(report(persona, sessions, assessments, log)))
            print(f"  ({time.monotonic() - started:.0f} s here)")
            failed += checks(persona, assessments, log, standing)
    print("\n".join(f"FAIL {line}" for line in failed) or "weeks: every check holds")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

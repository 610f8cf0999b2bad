"""`python -m tools.faults` (`make faults`): the fault campaign, then its table; exit 1 if
anything reported was lost, or anything raised a traceback, hung or failed unclearly."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from tools.faults.fuzz import fuzz, fuzz_parts
from tools.faults.kills import kill_campaign
from tools.faults.storage import Storage
from tools.faults.table import Part, format_table

PARTS = ("kills", "storage", "fuzz")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.faults", description=__doc__)
    p.add_argument("--kills", type=int, default=50, help="runs killed by SIGKILL or SIGTERM (default 50)")
    p.add_argument("--max-delay-s", type=float, default=8.0,
                   help="a kill comes 0.2 s to this long after the run starts (default 8)")
    p.add_argument("--fuzz-seconds", type=float, default=60.0, help="how long the loaders are fuzzed (default 60)")
    p.add_argument("--memory-mib", type=int, default=512,
                   help="the fuzzing process's address-space limit (default 512)")
    p.add_argument("--seed", type=int, default=1, help="seeds the kills, the scenarios and the fuzzing")
    p.add_argument("--only", choices=PARTS, action="append", help="run only this part (may be repeated)")
    p.add_argument("--no-tmpfs", action="store_true",
                   help="do not mount a tmpfs: fill the database with max_page_count instead")
    p.add_argument("--work", type=Path, help="where the state directories, logs and findings go "
                                             "(default: a new folder in /tmp, kept)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="pftrainer-faults-"))
    work.mkdir(parents=True, exist_ok=True)
    config = work / "pftrainer.toml"                  # never the system's /etc/pftrainer/pftrainer.toml
    config.write_text(f"[sim]\nseed = {args.seed}\n")
    rng = random.Random(args.seed)
    chosen = args.only or PARTS
    parts: list[Part] = []
    started_s = time.monotonic()
    print(f"fault campaign in {work} (seed {args.seed})", file=sys.stderr)
    if "kills" in chosen:
        parts.append(Part("kill campaign"))
        kill_campaign(work / "kills", config, rng, parts[-1], kills=args.kills, max_delay_s=args.max_delay_s)
    if "storage" in chosen:
        parts += _storage(Storage(work / "storage", config, rng), tmpfs=not args.no_tmpfs)
    if "fuzz" in chosen:
        loaders = fuzz_parts()
        fuzz(work / "fuzz", config, loaders, seconds=args.fuzz_seconds, seed=args.seed, memory_mib=args.memory_mib)
        parts += loaders.values()
    print(format_table(parts))
    failed = [p.name for p in parts if p.failed]
    print(f"{'FAILED: ' + ', '.join(failed) if failed else 'nothing lost'} "
          f"({(time.monotonic() - started_s) / 60:.1f} min; logs and kept inputs in {work})")
    return 1 if failed else 0


def _storage(storage: Storage, *, tmpfs: bool) -> list[Part]:
    full = Part("full filesystem")
    storage.full_filesystem(full, tmpfs=tmpfs)
    parts = [full]
    if full.skipped is not None:                       # the fallback: a database that cannot grow
        parts.append(Part("full database"))
        storage.full_database(parts[-1])
    parts += [Part("damaged database"), Part("locked database")]
    storage.damaged_database(parts[-2])
    storage.locked_database(parts[-1])
    return parts


if __name__ == "__main__":
    sys.exit(main())

"""python -m bench.oracle --seed N --scenario NAME [--seconds S] [--rate HZ] [--gain G] --out CSV"""

import argparse
import sys

from . import SCENARIOS, make_recording


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.oracle",
        description="Write an oracle recording (v1 CSV, truth as metadata).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", choices=SCENARIOS, default="mixed")
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--rate", type=float, default=None, help="sample rate, Hz (default: drawn)")
    parser.add_argument("--gain", type=float, default=1.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    rec = make_recording(args.seed, scenario=args.scenario, duration_s=args.seconds,
                         rate_hz=args.rate, gain=args.gain)
    rec.write_csv(args.out)
    print(f"{args.out}: {len(rec.rows)} rows, {len(rec.truth)} events, {rec.info['rate_hz']:g} Hz",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

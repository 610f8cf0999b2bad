"""The readable table `pftrainer analyze` prints without --json."""

from __future__ import annotations

from device.texts import plural
from session.events import CONTRACTION
from session.levels import reached_pct
from session.replay import Analysis


def _f(value, fmt: str, empty: str = "-") -> str:
    return empty if value is None else format(value, fmt)


def _unit(value, fmt: str, unit: str) -> str:
    """`value` with its unit, or "-" (an event left open has no figures yet)."""
    return "-" if value is None else format(value, fmt) + unit


def format_table(analysis: Analysis, source: str) -> str:
    s = analysis.summary
    interrupted = s.get("pauses") or s.get("gap_restarts")       # the mean rate would count their time
    lines = [f"{source}: {s['duration_s']:.1f} s, {s['samples']} samples"
             + (f", {s['mean_rate_hz']:.0f} Hz" if s["mean_rate_hz"] and not interrupted else "")]
    if not s["warmup_complete"]:
        lines.append("  too short: a recording must start with at least 8 s of quiet sitting")
    # a word a column, and the unit its cells do not carry: *%max to peak* read as one column, and the
    # residual's kPa went unsaid (a trial); *rise* beside a push's rise in kPa read as a pressure (a review)
    header = (f"{'#':>3}  {'kind':<11} {'start':>8} {'end':>8} {'detected':>8}  {'peak kPa':>8} "
              f"{'%max':>5} {'rise time':>9} {'hold':>6} {'release':>7} {'residual kPa':>12} {'relaxed':>7}")
    lines.append(header)
    for i, e in enumerate(analysis.events, start=1):
        m = e.metrics
        row = f"{i:>3}  {e.kind:<11} {e.start:8.2f} {_f(e.end, '8.2f', '   (open)')} {e.detected_at:8.2f}"
        if e.kind == CONTRACTION:
            pct = m.get("peak_pct_max")         # a level reached: rounded down, as every screen and page shows it
            shown_pct = None if pct is None else reached_pct(pct, 0)
            row += (f"  {_f(m.get('peak_drop_kpa'), '8.3f'):>8} {_f(shown_pct, '5.0f'):>5}"
                    f" {_unit(m.get('time_to_peak_s'), '6.2f', 's'):>9} {_unit(m.get('hold_s'), '5.1f', 's'):>6}"
                    f" {_unit(m.get('release_s'), '6.2f', 's'):>7} {_f(m.get('residual_kpa'), '8.3f'):>12}"
                    f" {_unit(m.get('relaxed_pct'), '6.0f', '%'):>7}")
        elif "peak_rise_kpa" in m:
            row += f"  {'+' + format(m['peak_rise_kpa'], '.3f'):>8}"
        elif "peak_kpa" in m:                                     # a cough
            row += f"  {'+' + format(m['peak_kpa'], '.3f'):>8}" + ("  below rest" if m["below_rest"] else "")
        elif "unloaded_kg" in m:                                  # glute or posture
            row += f"  seat -{m['unloaded_kg']:.1f} kg, {m['lateral_kg']:+.1f} kg to the left"
        if e.retracted is not None:
            row += f"  retracted at {e.retracted_at:.2f}: {e.retracted}"
        lines.append(row)
    lines.append(f"summary: {plural(s['contractions'], 'contraction')} (mean peak drop "
                 f"{_f(s['mean_peak_drop_kpa'], '.3f')} kPa, total hold {s['total_hold_s']:.1f} s, "
                 f"relaxed {_f(s['mean_relaxed_pct'], '.0f')} %), {plural(s['bear_downs'], 'bear-down')}; "
                 f"{plural(s['glutes'], 'buttock squeeze')}, {plural(s['postures'], 'posture shift')}, "
                 f"{plural(s['coughs'], 'cough')}, {plural(s['breath_holds'], 'breath hold')}, "
                 f"breathing {_f(s['breathing_rate_bpm'], '.0f')}/min")
    return "\n".join(lines)

"""`pftrainer report`: the history as one self-contained HTML page (inline SVG, no scripts,
no network), for the user or their physiotherapist; and `--csv` for a spreadsheet.

Plots: maximal lift (power) and endurance per session over time, sessions per day
against the daily goal, and the mistakes per session by kind.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path

from session.coach import MISTAKE_KINDS

CSV_COLUMNS = ("id", "started_at", "program", "completed", "duration_s", "reps",
               "contraction_score", "relaxation_score", "power_kpa", "power_pct_max", "endurance_s",
               *(f"errors_{kind}" for kind in MISTAKE_KINDS))
# the mistakes as the report names them
MISTAKE_NAMES = {"bear_down": "persen", "not_let_go": "niet losgelaten", "glute": "billen",
                 "breath_hold": "adem vast", "no_lift": "geen lift"}


def write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()})


def _svg_series(title: str, unit: str, points: list[tuple[str, float | None]], *,
                goal: float | None = None, bars: bool = False) -> str:
    """A small line (or bar) chart: x = the labels in order, y = values (None = gap)."""
    width, height, pad = 560, 180, 36
    values = [v for _, v in points if v is not None] + ([goal] if goal else [])
    top = max(values) * 1.15 if values and max(values) > 0 else 1.0
    n = max(1, len(points))
    step = (width - 2 * pad) / n

    def y(v: float) -> float:
        return height - pad - (height - 2 * pad) * v / top

    parts = [f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{html.escape(title)}">',
             f'<text x="{pad}" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#888"/>',
             f'<text x="4" y="{y(top / 1.15) + 4:.0f}" font-size="10">{top / 1.15:.3g} {unit}</text>']
    if goal:
        parts.append(f'<line x1="{pad}" y1="{y(goal):.1f}" x2="{width - pad}" y2="{y(goal):.1f}" '
                     f'stroke="#c60" stroke-dasharray="4 3"/><text x="{width - pad + 2}" '
                     f'y="{y(goal) + 4:.1f}" font-size="10" fill="#c60">goal</text>')
    line = []
    for i, (label, v) in enumerate(points):
        x = pad + step * (i + 0.5)
        if v is not None:
            if bars:
                parts.append(f'<rect x="{x - step * 0.35:.1f}" y="{y(v):.1f}" width="{step * 0.7:.1f}" '
                             f'height="{height - pad - y(v):.1f}" fill="#37a"/>')
            else:
                line.append(f"{x:.1f},{y(v):.1f}")
                parts.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="3" fill="#37a"/>')
        if n <= 14 or i % max(1, n // 14) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - pad + 14}" font-size="9" '
                         f'text-anchor="middle">{html.escape(label)}</text>')
    if line:
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#37a"/>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(rows: list[dict], daily_goal: int) -> str:
    done = [r for r in rows if r["completed"]]
    labels = [f"{r['started_at'][5:10]} #{r['id']}" for r in done]
    per_day = Counter(r["started_at"][:10] for r in done)
    charts = [
        _svg_series("Maximale lift per sessie / maximal lift per session", "kPa",
                    list(zip(labels, [r["power_kpa"] for r in done]))),
        _svg_series("Uithouding / endurance (longest hold)", "s",
                    list(zip(labels, [r["endurance_s"] for r in done]))),
        _svg_series("Sessies per dag / sessions per day", "", sorted(per_day.items()),
                    goal=daily_goal, bars=True),
        _svg_series("Fouten per sessie / mistakes per session (alle soorten)", "",
                    list(zip(labels, [sum(r[f"errors_{kind}"] or 0 for kind in MISTAKE_KINDS) for r in done])),
                    bars=True),
    ]
    table = "".join(
        f"<tr><td>{r['id']}</td><td>{html.escape(r['started_at'])}</td><td>{html.escape(r['program'])}</td>"
        f"<td>{r['reps']}</td><td>{_fmt(r['contraction_score'])}</td><td>{_fmt(r['relaxation_score'])}</td>"
        f"<td>{_fmt(r['power_kpa'], 2)}</td><td>{_fmt(r['endurance_s'])}</td>"
        + "".join(f"<td>{_fmt(r[f'errors_{kind}'], 0)}</td>" for kind in MISTAKE_KINDS)
        + f"<td>{'' if r['completed'] else 'onderbroken'}</td></tr>"
        for r in rows)
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>pftrainer: voortgang / progress</title>
<style>body{{font-family:sans-serif;max-width:620px;margin:1em auto}}table{{border-collapse:collapse;font-size:12px}}
td,th{{border:1px solid #ccc;padding:2px 5px;text-align:right}}svg{{display:block;margin:1em 0}}</style></head>
<body><h1>Bekkenbodemtraining: voortgang</h1>
<p>{len(done)} afgeronde sessies ({len(rows) - len(done)} onderbroken), {len(per_day)} dagen;
dagdoel {daily_goal} sessies.</p>
{"".join(charts)}
<table><tr><th>#</th><th>start</th><th>programma</th><th>herh.</th><th>aanspannen</th><th>ontspannen</th>
<th>kracht kPa</th><th>uithouding s</th>{"".join(f"<th>{MISTAKE_NAMES[kind]}</th>" for kind in MISTAKE_KINDS)}<th></th></tr>
{table}</table>
</body></html>
"""


def _fmt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def write_report(store, out: Path, *, cfg, profile: int | None = None, since=None, until=None,
                 sessions=None, lang: str = "nl") -> None:
    """The report page of `store`'s history (`profile`'s, or everybody's) as `out`.

    A stand-in for issue 15 part 1's report, with its signature: this one ignores `since`,
    `until`, `sessions` and `lang`."""
    out.write_text(render_html(store.sessions(profile), cfg.session.daily_goal), encoding="utf-8")

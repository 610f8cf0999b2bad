"""The report's plots, drawn with matplotlib and put inline in the page as SVG.

matplotlib is imported here when a plot is drawn, never by the device's loop or
`pftrainer run`. No GUI and no pyplot: each plot is a `matplotlib.figure.Figure` saved
by the SVG backend. The output is the same bytes for the same history: text stays text
(`svg.fonttype = none`, the browser's sans-serif; small), no date is written, and each
plot's ids are salted with its name (`svg.hashsalt`), so no two plots on one page share
an id; ids nothing refers to are left out.

Every axis says its unit; counts, scores, kPa and seconds start at zero.
"""

from __future__ import annotations

import datetime
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from device.report_data import Curve, WeekRow, shown_kind
from device.report_texts import MISTAKE_NAMES, day_text, words
from device.stored_values import number
from device.texts import TEXTS, text
from session import cues
from session.coach import GETTING_UP_SHARE, MISTAKE_KINDS
from session.seat import SIT_KG
from session.levels import ENDURANCE_PCT, HALF_PCT

WIDTH_IN = 7.0                     # the A4 page's text width (180 mm)
CURVE_BINS = 1400                  # a curve keeps the lowest and highest sample per bin: no detail lost to the eye
STYLE = {"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 7.5, "axes.titlesize": 8.5,
         "axes.titleweight": "bold", "axes.spines.top": False, "axes.spines.right": False,
         "axes.grid": True, "grid.alpha": 0.35, "grid.linewidth": 0.5, "lines.linewidth": 1.2,
         "lines.markersize": 4.0, "legend.fontsize": 7, "legend.frameon": False}
METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}     # nothing that changes
BLUE, GREEN, RED, ORANGE, PURPLE, GREY = "#2b6cb0", "#2f855a", "#c53030", "#dd6b20", "#6b46c1", "#718096"
MISTAKE_COLOURS = dict(zip(MISTAKE_KINDS, (RED, PURPLE, BLUE, ORANGE, GREY)))
EVENT_COLOURS = {"contraction": GREEN, "bear_down": RED, "glute": ORANGE, "breath_hold": PURPLE}
FEW_DAYS = 6                       # a history shorter than this is shown day by day
ROTATE_WEEKS = 12                  # more week labels than this stand upright
CURVE_LEGEND_COLUMNS = 4
LABEL_GAP_PT = 2.0                 # the least room between two labels along a curve (repetitions, warnings)
LIFT_CUES = cues.ASK_TO_LIFT | {cues.FLICK}
LET_GO_CUES = cues.ASK_TO_LET_GO - cues.WARNINGS - {cues.SUMMARY}


@dataclass(frozen=True)
class Margins:
    """A figure's margins in inches, fixed: room for the tick labels, axis labels, titles
    and legends its plots have. (A layout engine that measures every text to find them
    took a quarter of a report's time.)"""

    top_in: float = 0.12               # no title
    bottom_in: float = 0.42            # tick labels and an axis label below
    left_in: float = 0.56              # tick labels and an axis label beside
    right_in: float = 0.2              # half a date label at the axis end
    wspace_in: float = 0.66            # between columns: the right one's tick labels and axis label
    hspace_in: float = 0.72            # between rows: an axis label, tick labels and a title

    def apply(self, figure) -> None:
        axes = figure.axes
        if not axes:
            return
        rows, cols = axes[0].get_subplotspec().get_gridspec().get_geometry()
        width_in, height_in = figure.get_size_inches()
        plot_w_in = width_in - self.left_in - self.right_in
        plot_h_in = height_in - self.top_in - self.bottom_in
        axes_w_in = (plot_w_in - (cols - 1) * self.wspace_in) / cols
        axes_h_in = (plot_h_in - (rows - 1) * self.hspace_in) / rows
        figure.subplots_adjust(left=self.left_in / width_in, right=1.0 - self.right_in / width_in,
                               bottom=self.bottom_in / height_in, top=1.0 - self.top_in / height_in,
                               wspace=self.wspace_in / axes_w_in, hspace=self.hspace_in / axes_h_in)


TITLED = Margins(top_in=0.3)
LEGEND_ROW_IN = 0.16                   # a row of a legend below the plot


def _plot(name: str, height_in: float, draw: Callable, label: str, margins: Margins = Margins()) -> str:
    """The inline SVG of a figure `WIDTH_IN` wide and `height_in` high that `draw(figure)`
    fills, with `margins` (or those `draw` returns); `name` is unique on the page (its ids are salted with it),
    `label` says what it shows (for a screen reader)."""
    import matplotlib
    from matplotlib.figure import Figure
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": f"pftrainer-{name}"}):
        figure = Figure(figsize=(WIDTH_IN, height_in))
        (draw(figure) or margins).apply(figure)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata=METADATA)
    return _inline(out.getvalue(), label)


def _inline(svg: str, label: str) -> str:
    """matplotlib's SVG file as an element of the page: no XML prologue, sized by the page,
    and no id that nothing refers to (matplotlib numbers its groups alike in every plot)."""
    svg = svg[svg.index("<svg"):]
    referenced = set(re.findall(r"#([\w.-]+)", svg))
    svg = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in referenced else "", svg)
    head_end = svg.index(">")
    view_box = re.search(r'viewBox="[^"]+"', svg[:head_end]).group(0)
    safe_label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<svg class="plot" {view_box} role="img" aria-label="{safe_label}">' + svg[head_end + 1:]


def _week_labels_in(labels: list[str]) -> float:
    """The bottom margin week labels need: upright when more than `ROTATE_WEEKS` are shown."""
    if len(labels) <= ROTATE_WEEKS:
        return 0.26
    return 0.16 + 0.06 * max(map(len, labels))


def _decimal(axis, lang: str) -> None:
    """Dutch numbers on `axis`: a decimal comma."""
    if lang == "nl":
        from matplotlib.ticker import FuncFormatter
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}".replace(".", ",").replace("-", "−")))


def _dates(ax, lang: str) -> None:
    """A date axis (day and month, named as the page names them) with a tick at most once a
    day: a history of a few days shows whole days, a day either side (finer ticks would
    repeat a day's label)."""
    from matplotlib.dates import AutoDateLocator, DayLocator, num2date
    from matplotlib.ticker import FuncFormatter
    spans = [other.dataLim.intervalx for other in ax.get_shared_x_axes().get_siblings(ax)]
    low, high = min(span[0] for span in spans), max(span[1] for span in spans)
    if math.isfinite(low) and math.isfinite(high) and high - low < FEW_DAYS:
        ax.set_xlim(math.floor(low) - 1, math.floor(high) + 1)
        ax.xaxis.set_major_locator(DayLocator())
    else:
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: day_text(num2date(v).date(), lang, year=False)))
    ax.set_xlabel(words("axis_date", lang))


def _from_zero(ax, lang: str, top: float | None = None, *, counts: bool = False) -> None:
    """The y axis from 0 (to `top`, or a little above the highest value: no marker cut in
    half at the edge); `counts`: ticks at whole numbers only."""
    if top is None:
        top = ax.dataLim.y1 * 1.08 if ax.dataLim.y1 > 0.0 else 1.0
    ax.set_ylim(0.0, top)
    if counts:
        from matplotlib.ticker import MaxNLocator
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _decimal(ax.yaxis, lang)


def _empty(ax, lang: str) -> None:
    """A panel with nothing to draw says so, in words (a lone "-" read as a fault)."""
    ax.text(0.5, 0.5, words("no_training", lang), transform=ax.transAxes, ha="center", va="center", color=GREY)


def maximum_plot(maxima: list[tuple[datetime.date, float]], assessments: list[dict], lang: str, person: int) -> str:
    """The calibrated maximum (kPa) per day, and each assessment's P."""
    def draw(figure):
        ax = figure.add_subplot()
        ax.plot([d for d, _ in maxima], [kpa for _, kpa in maxima], "o-", color=BLUE,
                label=words("plot_maximum", lang))
        if assessments:
            ax.plot([a["day"] for a in assessments], [a["max_kpa"] for a in assessments], "D", color=ORANGE,
                    markersize=6, markerfacecolor="none", label=words("plot_p", lang))
        ax.set_ylabel(words("axis_kpa", lang))
        _dates(ax, lang)
        _from_zero(ax, lang)
        ax.legend(loc="lower right")
    return _plot(f"p{person}-maximum", 2.0, draw, words("maximum_title", lang))


def assessment_plots(assessments: list[dict], lang: str, person: int) -> str:
    """The assessments' trends: P (kPa), E (s), R and F (counts), the rest (kPa)."""
    days = [a["day"] for a in assessments]

    def series(ax, values, fmt, colour, label):
        shown = [(d, v) for d, v in zip(days, values) if v is not None]
        ax.plot([d for d, _ in shown], [v for _, v in shown], fmt, color=colour, label=label)

    def draw(figure):
        (p, e), (rf, rest) = figure.subplots(2, 2)
        series(p, [a["max_kpa"] for a in assessments], "o-", BLUE, "P")
        p.set_title(words("plot_p", lang))
        p.set_ylabel(words("axis_kpa", lang))
        series(e, [number(a.get("endurance_s")) for a in assessments], "o-", BLUE,
               words("plot_e65", lang, pct=ENDURANCE_PCT))
        series(e, [number(a.get("endurance_half_s")) for a in assessments], "s--", GREY,
               words("plot_e65", lang, pct=HALF_PCT))
        e.set_title(words("plot_e", lang))
        e.set_ylabel(words("axis_s", lang))
        series(rf, [a["holds_good"] for a in assessments], "o-", GREEN, words("plot_r", lang))
        series(rf, [a["flicks_half"] for a in assessments], "s--", PURPLE, words("plot_f", lang, pct=HALF_PCT))
        rf.set_title(words("plot_rf", lang))
        rf.set_ylabel(words("axis_count", lang))
        for key, when, tone_style, breath_style in (("rest_before", "before", (BLUE, "o-"), (ORANGE, "o:")),
                                                    ("rest_after", "after", (GREEN, "s--"), (PURPLE, "s:"))):
            shown_when = words(when, lang)
            series(rest, [number(_rest(a, key).get("tone_kpa")) for a in assessments], tone_style[1], tone_style[0],
                   words("plot_tone", lang, when=shown_when))
            series(rest, [number(_rest(a, key).get("excursion_kpa")) for a in assessments], breath_style[1],
                   breath_style[0], words("plot_breath", lang, when=shown_when))
        rest.set_title(words("plot_rest", lang))
        rest.set_ylabel(words("axis_kpa", lang))
        top = max([a["holds"] for a in assessments] + [a["flicks"] for a in assessments] + [1])
        for ax in (p, e, rf, rest):
            _dates(ax, lang)
            _from_zero(ax, lang, top + 0.5 if ax is rf else None, counts=ax is rf)
            ax.legend(loc="best")
    return _plot(f"p{person}-assessments", 4.0, draw, words("assessments_title", lang), TITLED)


def _rest(assessment: dict, key: str) -> dict:
    value = assessment.get(key)
    return value if isinstance(value, dict) else {}


def training_plots(weeks: list[WeekRow], lang: str, person: int, lifts_asked: bool = True) -> str:
    """Sessions and contractions per week against the goal (sessions alone where no session
    asked for a lift: letting go only; no goal of contractions in a week that asked none)."""
    labels = [words("week_label", lang, week=w.week.week) for w in weeks]

    def draw(figure):
        panels = [(figure.add_subplot(1, 2, 1), [w.week.sessions for w in weeks],
                   [w.week.sessions_goal for w in weeks], [True] * len(weeks), "plot_sessions")]
        if lifts_asked:
            panels.append((figure.add_subplot(1, 2, 2), [w.week.contractions for w in weeks],
                           [w.week.contractions_goal for w in weeks], [w.week.lifts_asked for w in weeks],
                           "plot_contractions"))
        at = np.arange(len(labels))
        for ax, done, goals, asked, title in panels:
            ax.bar(labels, done, color=BLUE, width=0.6)
            ax.hlines([goal for goal, a in zip(goals, asked) if a], at[asked] - 0.45, at[asked] + 0.45,
                      color=ORANGE, linestyle="--", linewidth=1.0,
                      label=words("plot_goal", lang))   # each week's (a week the period cuts: its days')
            ax.set_title(words(title, lang))
            ax.set_ylabel(words("axis_count", lang))
            ax.tick_params(axis="x", labelrotation=90 if len(labels) > ROTATE_WEEKS else 0)
            _from_zero(ax, lang, max(done + goals) * 1.1, counts=True)
            ax.legend(loc="upper left")
    return _plot(f"p{person}-training", 2.2, draw, words("training_title", lang),
                 Margins(top_in=0.3, bottom_in=_week_labels_in(labels)))


def errors_plot(weeks: list[WeekRow], lang: str, person: int) -> str:
    """The mistakes per week, stacked by kind."""
    labels = [words("week_label", lang, week=w.week.week) for w in weeks]

    def draw(figure):
        ax = figure.add_subplot()
        bottom = np.zeros(len(weeks))
        for kind in MISTAKE_KINDS:
            values = np.array([w.errors[kind] for w in weeks], dtype=float)
            ax.bar(labels, values, bottom=bottom, color=MISTAKE_COLOURS[kind], width=0.6,
                   label=MISTAKE_NAMES[kind][lang])
            bottom += values
        ax.set_ylabel(words("axis_count", lang))
        ax.tick_params(axis="x", labelrotation=90 if len(labels) > ROTATE_WEEKS else 0)
        _from_zero(ax, lang, max(float(bottom.max()) * 1.15, 1.0), counts=True)
        ax.legend(loc="upper right", ncols=len(MISTAKE_KINDS))
    return _plot(f"p{person}-errors", 1.9, draw, words("errors_title", lang),
                 Margins(bottom_in=_week_labels_in(labels)))


def scores_plot(strength: dict[str, list], relaxation: dict[str, list], titles: dict[str, str], lang: str, person: int) -> str:
    """Per programme, each session's score over the days: the contraction score of the
    programmes that contract, apart from the relaxation score of those that let go."""
    def draw(figure):
        left, right = figure.subplots(1, 2, sharex=True)
        for ax, groups, field, title in ((left, strength, "contraction_score", "plot_strength_scores"),
                                         (right, relaxation, "relaxation_score", "plot_relaxation_scores")):
            for name, sessions in groups.items():
                shown = [(s.started, s.contraction_score if field == "contraction_score" else s.relaxation_score)
                         for s in sessions]
                shown = [(t, v) for t, v in shown if v is not None]
                ax.plot([t for t, _ in shown], [v for _, v in shown], "o-", label=titles.get(name, name))
            if not groups:
                _empty(ax, lang)
            else:
                ax.legend(loc="lower right")
            ax.set_title(words(title, lang))
            ax.set_ylabel(words("axis_score", lang))
            _dates(ax, lang)
            _from_zero(ax, lang, 100.0)
    return _plot(f"p{person}-scores", 2.3, draw, words("scores_title", lang), TITLED)


def curve_plot(curve: Curve, lang: str, label: str) -> str:
    """One session's pressure curve (kPa over its seconds), with its pauses, the analysis'
    events, the cues (or, without them, the warnings when they were given) and the
    repetitions' ends; `label`: what it is, as the page heads it (for a screen reader)."""
    recording, session = curve.recording, curve.session
    t_s, kpa = _decimated(recording.t_s, seated_kpa(recording), recording.stretch)

    def draw(figure):
        ax = figure.add_subplot()
        ax.plot(t_s, kpa, color="#1a202c", linewidth=0.7)
        end_s = float(recording.t_s[-1])
        for pause in recording.pauses:
            ax.axvspan(pause.start_s, pause.end_s if pause.end_s is not None else end_s, color=GREY, alpha=0.25,
                       linewidth=0, label=words("plot_pause", lang))
        _events(ax, curve.events, lang)
        kept = session.cues()
        if kept is not None:
            _cues(ax, kept, lang)
        ax.set_xlim(0.0, max(end_s, 1.0))
        ax.set_xlabel(words("axis_time", lang))
        ax.set_ylabel(words("axis_pressure", lang))
        _decimal(ax.yaxis, lang)
        _decimal(ax.xaxis, lang)
        handles, labels = ax.get_legend_handles_labels()
        unique = dict(zip(labels, handles))
        figure.legend(unique.values(), unique.keys(), loc="lower center", ncols=CURVE_LEGEND_COLUMNS)
        rows = math.ceil(len(unique) / CURVE_LEGEND_COLUMNS)
        margins = Margins(top_in=0.24, bottom_in=0.42 + rows * LEGEND_ROW_IN + 0.06)    # the cues above the plot
        margins.apply(figure)           # laid out first: the repetitions' numbers are spaced as they will stand
        if kept is not None:
            _rep_ends(ax, kept, curve.reps)
            _warning_words(ax, kept, lang)
        return margins
    return _plot(f"session-{session.id}", 2.9, draw, label)


def seated_kpa(recording) -> np.ndarray:
    """The perineal pressure while the user sat: where a quarter of the seat's usual load or more
    was gone (GETTING_UP_SHARE: getting up, standing), none (NaN) -- the unloaded cushion's fall
    to 0 kPa was drawn as a lift ten times the session's, and squashed them (a trial)."""
    kpa = recording.perineal_kpa
    if recording.seat_left_kg is None or recording.seat_right_kg is None or not len(kpa):
        return kpa
    load_kg = recording.seat_left_kg + recording.seat_right_kg
    usual_kg = float(np.nanmedian(load_kg))
    if not usual_kg >= SIT_KG:           # nobody sat (a bench test): the seat's noise says nothing
        return kpa
    return np.where(load_kg < (1.0 - GETTING_UP_SHARE) * usual_kg, np.nan, kpa)


def _decimated(t_s: np.ndarray, kpa: np.ndarray, stretch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The curve as drawn: per bin (CURVE_BINS over its length) its lowest and highest
    sample, in order; a gap (NaN) between the stretches a pause separates."""
    span_s = max(float(t_s[-1] - t_s[0]), 1e-9)
    bins = np.minimum((t_s - t_s[0]) / span_s * CURVE_BINS, CURVE_BINS - 1).astype(np.int64)
    key = stretch * CURVE_BINS + bins
    starts = np.flatnonzero(np.r_[True, np.diff(key) != 0])
    if len(starts) * 2 >= len(t_s):
        starts = np.arange(len(t_s))
        low = high = kpa
    else:
        low, high = np.minimum.reduceat(kpa, starts), np.maximum.reduceat(kpa, starts)
    t_out = np.repeat(t_s[starts], 2)
    y_out = np.column_stack((low, high)).ravel()
    breaks = np.flatnonzero(np.diff(stretch[starts]) != 0) + 1         # the first bin of a new stretch
    t_out = np.insert(t_out, breaks * 2, np.nan)
    y_out = np.insert(y_out, breaks * 2, np.nan)
    return t_out, y_out


def _events(ax, events: list[dict], lang: str) -> None:
    """The analysis' events as bands in their colour (a retracted one as what it was)."""
    for event in events:
        kind = shown_kind(event)
        start_s, end_s = number(event.get("start")), number(event.get("end"))
        if kind not in EVENT_COLOURS or start_s is None:
            continue
        label = (words("plot_contraction", lang) if kind == "contraction"
                 else words("plot_event", lang, what=MISTAKE_NAMES[kind][lang]))
        ax.axvspan(start_s, end_s if end_s is not None and end_s > start_s else start_s + 0.3,
                   color=EVENT_COLOURS[kind], alpha=0.18 if kind == "contraction" else 0.35, linewidth=0,
                   label=label)


def _cues(ax, kept: list[tuple[float, str]], lang: str) -> None:
    """The cues along the top: lift, hold and let go as triangles and squares, and each warning
    as a dotted line (its words: `_warning_words`, once the plot is laid out)."""
    from matplotlib.transforms import blended_transform_factory
    top = blended_transform_factory(ax.transData, ax.transAxes)
    marks = ((LIFT_CUES, "^", GREEN, "plot_lift_cue"), ({cues.HOLD}, "s", BLUE, "plot_hold_cue"),
             (LET_GO_CUES, "v", GREY, "plot_let_go_cue"))
    for group, marker, colour, key in marks:
        times = [t for t, cue in kept if cue in group]
        if not times:                   # (a relaxation's page names no lift)
            continue
        ax.plot(times, [1.02] * len(times), marker, color=colour, transform=top, clip_on=False,
                markersize=3.5, label=words(key, lang))
    for t, cue in kept:
        if cue in cues.WARNINGS:
            ax.axvline(t, color=RED, linewidth=0.8, linestyle=":")


def _warning_words(ax, kept: list[tuple[float, str]], lang: str) -> None:
    """Each warning's words (the screen's) down its line, where there is room for them: words
    that would touch the ones shown before are left out, their line stays (21 held breaths in a
    session were 21 columns of text over each other and the curve). Measured on the laid-out axes."""
    from matplotlib.transforms import blended_transform_factory
    top = blended_transform_factory(ax.transData, ax.transAxes)
    gap_px = LABEL_GAP_PT * ax.figure.dpi / 72.0
    shown_right_px = -math.inf
    for t, cue in kept:
        if cue not in cues.WARNINGS:
            continue
        words_text = ax.text(t, 0.97, text(cue, lang) if cue in TEXTS else cue, transform=top, color=RED,
                             fontsize=6, rotation=90, ha="right", va="top")
        box = words_text.get_window_extent()
        if box.x0 < shown_right_px + gap_px:
            words_text.remove()
        else:
            shown_right_px = box.x1


def _rep_ends(ax, kept: list[tuple[float, str]], reps: list[dict]) -> None:
    """The end of every repetition as a thin line, with its number above the plot where there
    is room for it: a number that would touch the one shown before it is left out (quick
    squeezes end a few seconds apart, their numbers then overlapped), so the numbers shown
    thin out evenly where repetitions are close. Measured on the laid-out axes."""
    from matplotlib.transforms import blended_transform_factory
    top = blended_transform_factory(ax.transData, ax.transAxes)
    gap_px = LABEL_GAP_PT * ax.figure.dpi / 72.0
    shown_right_px = -math.inf
    ends = iter(reps)
    for t, cue in kept:
        if cue != cues.REP_DONE:
            continue
        rep = next(ends, None)
        ax.axvline(t, color=GREY, linewidth=0.4)
        if not isinstance(rep, dict):
            continue
        number_text = ax.text(t, 1.06, f"{rep.get('series')}.{rep.get('rep')}", transform=top, fontsize=5.5,
                              ha="right", va="bottom", color=GREY)
        box = number_text.get_window_extent()                # (as the figure's own renderer sizes it)
        if box.x0 < shown_right_px + gap_px:
            number_text.remove()
        else:
            shown_right_px = box.x1

"""`pftrainer report`: the physiotherapist's report -- one self-contained, printable page
(A4, no scripts, nothing fetched, Dutch or English) per person and date range -- and
`--csv`, one row per session for a spreadsheet.

The page, for each person (`device.report_data` reads the history, `device.report_plots`
draws):

- who and what: person, device, software, period, sessions, goal; the calibrated
  maximum over the days;
- what could not be read (damaged sessions, missing recordings), when anything;
- brochure 004's advice (`session.advice`), whether it applies at the period's end;
- the assessments (`meting`) in PERFECT terms, their rest and letting go, and trends;
- training per ISO week against the goal, the levels reached, the mistakes by kind, the
  lifts begun on the exhale, and the scores by programme, relaxation programmes apart from
  those that contract;
- the last few sessions (and those chosen): the pressure curve with its cues and events,
  and every repetition's scores (in a session of letting go only, how far it moved with the
  breath, the lifts and held breaths seen and the *Laat los* cues);
- what every number means, and the red flags.

The state directory is only read; the page is written whole or not at all.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import html
import io
import statistics
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from device.durable import write_durably, write_text
from device.programmes import configured_programmes, lets_go_only, measures_strength
from device.report_data import (Curve, LevelRan, Period, Person, Problem, StoredSession, WeekRow, ladder_number,
                                 profiles, read_person, read_sessions, week_rows)
from device.report_plots import (assessment_plots, curve_plot, errors_plot, maximum_plot, scores_plot,
                                 training_plots)
from device.report_texts import (MISTAKE_NAMES, PART_NAMES, SLOW_LET_GO_NAME, STEP_NAMES, day_text, pauses_said,
                                 time_text, week_text, words, words_counted)
from device.stored_values import exhale_cell, listed, number, pause_reasons, rows, table, whole
from device.summary_text import no_mistake_text, short_lines
from device.texts import LANGS, asks_text, figure, inline, level_text, text
from session import advice, cues
from session.adherence import ALL_WEEKS, CONTRACTIONS_PER_DAY, NO_WEEK, SOME_WEEKS, contractions_asked
from session.assessment import PARTIAL_PCT, r_needs_s
from session.coach import (FOLLOW_LOW, KNACK_LEAD_S, LET_GO_REPEAT_S, MISTAKE_KINDS, RESIDUAL_TAIL_S, TENSE_CUE_S,
                           TIRING_DROP_PCT, UNSTEADY_PCT, breath_judged_part, breath_not_judged, paced_not_let_go)
from session.detectability import HOLD_WHOLE_PERIODS
from session.levels import (BAND_PCT, ENDURANCE_PCT, GOOD_SCORE, HALF_PCT, HELD_SHARE, LET_GO_PCT, MAXIMAL_PCT,
                            PACED_HELD_SHARE, reached_pct, rounded_down)
from session.programme import Programme, ProgrammeError, programme_stem
from session.progression import (DOWN_AFTER, GOOD_SCORE_MIN, NEARLY_ALL_WELL, POOR_SCORE_MAX, PUSHES_POOR,
                                 RELAX_POOR_MAX, UP_AFTER)
from session.recording import SampleLimits

CSV_COLUMNS = ("id", "profile", "started_at", "program", "completed", "duration_s", "reps",
               "contraction_score", "relaxation_score", "power_kpa", "power_pct_max", "endurance_s",
               *(f"errors_{kind}" for kind in MISTAKE_KINDS), "level", "lifts_target_missed", "holds_breath_judged",
               "in_progress", "lifts_on_exhale", "lifts_timed", "reps_good",
               "quick_squeezes", "quick_squeezes_fast", "knack_led", "knack_coughs",
               "pauses", "pauses_stood_up", "trained_as")     # (new columns go last)
MACHINE_ID = Path("/etc/machine-id")
STYLE = """
@page { size: A4; margin: 14mm 13mm 15mm; }
body { font: 9.5pt/1.35 system-ui, "DejaVu Sans", Arial, sans-serif; color: #1a202c; max-width: 184mm;
       margin: 0 auto; padding: 6mm 4mm; }
h1 { font-size: 15pt; margin: 0 0 3mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #a0aec0; break-after: avoid; }
h3 { font-size: 10pt; margin: 4mm 0 1mm; break-after: avoid; }
p { margin: 1mm 0 2mm; }
table { border-collapse: collapse; font-size: 7.8pt; margin: 1mm 0 3mm; }
th, td { border: 1px solid #cbd5e0; padding: 1px 4px; text-align: right; white-space: nowrap; }
th { background: #edf2f7; font-weight: 600; white-space: normal; vertical-align: bottom; }
td.words { white-space: normal; }
th:first-child, td:first-child, table.facts td { text-align: left; }
tr, figure, .advice { break-inside: avoid; }
thead { display: table-header-group; }
figure { margin: 1mm 0 3mm; }
svg.plot { display: block; width: 100%; height: auto; }
.person + .person { break-before: page; }
.session { break-inside: avoid-page; }
.advice { border: 2px solid #c53030; padding: 2mm 3mm; margin: 2mm 0; }
.missing { border: 1px solid #dd6b20; padding: 1mm 3mm; }
.note { color: #4a5568; font-size: 8.5pt; }
dt { font-weight: 600; margin-top: 1.5mm; }
dd { margin: 0 0 0 4mm; }
@media print { body { max-width: none; padding: 0; } }
"""


@dataclass(frozen=True)
class Context:
    """What every part of the page needs besides the person's data."""

    lang: str
    daily_goal: int
    programmes: dict[str, Programme]
    period: Period


def device_id(machine_id: Path = MACHINE_ID) -> str:
    """This device as the report names it: `pftrainer-` and 8 hex digits of a hash of the
    machine id (the id itself is not shown, as systemd asks); "-" without one."""
    try:
        raw = machine_id.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "-"
    if not raw:
        return "-"
    return "pftrainer-" + hmac.new(raw.encode(), b"pftrainer report", hashlib.sha256).hexdigest()[:8]


def software_version() -> str:
    try:
        return f"pftrainer {metadata.version('pftrainer')}"
    except metadata.PackageNotFoundError:
        return "pftrainer"


def write_report(store, out: Path, *, cfg, profile: int | None = None, since: datetime.date | None = None,
                 until: datetime.date | None = None, sessions: list[int] | None = None,
                 lang: str = "nl") -> list[Problem]:
    """Write the report of `store` (a read-only `device.storage.Store`) to `out`, whole or
    not at all: `profile`'s (default: a part for each person in the history) from `since`
    to `until` (both included; default: all), drawing the curves of the last few sessions
    and of `sessions`; in `lang` ("nl" or "en"). What cannot be read of a session is said
    on the page, and returned (the page's *Wat ontbreekt*, everybody's); a database that
    cannot be read (damaged, say) is a StorageError and no page is written; an `out` that
    cannot be written is an OSError."""
    page, missing = render_report(store, cfg=cfg, profile=profile, period=Period(since, until),
                                  chosen=sessions or [], lang=lang)
    write_durably(out, page)
    return missing


def render_report(store, *, cfg, profile: int | None, period: Period, chosen: list[int],
                  lang: str) -> tuple[str, list[Problem]]:
    """The page `write_report` writes (in Dutch when `lang` is neither: a stored setting may be
    damaged), and what it lists as not read."""
    lang = lang if lang in LANGS else LANGS[0]
    refused_files: list[ProgrammeError] = []
    programmes = configured_programmes(cfg, on_bad_file=refused_files.append)
    bad_files = [Problem("bad_programmes", {"why": e.in_full()}) for e in refused_files]
    limits = SampleLimits.from_calibration(cfg.calibration, cfg.adc.full_scale_v)
    context = Context(lang, cfg.session.daily_goal, programmes, period)
    refused = frozenset(programme_stem(e.path) for e in refused_files)
    people = [read_person(store, who, period, chosen, programmes, limits, refused) for who in profiles(store, profile)]
    found = {c.session.id for person in people for c in person.curves}
    people[0].problems[:0] = bad_files + [Problem("no_session", {"id": sid}) for sid in sorted(set(chosen) - found)]
    parts = [_person(person, context) for person in people]
    title = _esc(words("title", lang))
    page = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width"><title>{title}</title><style>{STYLE}</style>'
            f"</head>\n<body>\n<h1>{title}</h1>\n{''.join(parts)}{_explanations(lang, cfg.session.daily_goal)}"
            f"{_para(words('red_flags', lang), 'note')}</body></html>\n")
    return page, [problem for person in people for problem in person.problems]


# --- formatting ---------------------------------------------------------------------------------
def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _num(value, digits: int, lang: str) -> str:
    """`value` with `digits` decimals (a decimal comma in Dutch); "-" when it is no number."""
    value = number(value)
    if value is None:
        return "-"
    shown = f"{round(value, digits) + 0.0:.{digits}f}"          # + 0.0: no "-0"
    return shown.replace(".", ",").replace("-", "−") if lang == "nl" else shown


def _held(seconds, lang: str, decimals: int = 1) -> str:
    """Seconds held to `decimals`, rounded down (as the end screen's whole seconds: never more than held);
    "-" when it is no number."""
    seconds = number(seconds)
    return _num(None if seconds is None else rounded_down(seconds, decimals), decimals, lang)


def _reached(pct, lang: str) -> str:
    """A level reached, in whole % as `reached_pct` shows it (rounded down); "-" when it is no number."""
    pct = number(pct)
    return _num(None if pct is None else reached_pct(pct, 0), 0, lang)


def _table(head: list[str], body: list[list[str]], cls: str = "") -> str:
    """A table of plain-text cells (escaped here). A cell of words (a space in it: a week, the
    levels reached, a remark) and a heading may break into lines where the table would be wider
    than the page; a figure never does."""
    attr = f' class="{cls}"' if cls else ""
    return (f"<table{attr}><thead><tr>{''.join(_heading(h) for h in head)}</tr></thead><tbody>"
            + "".join(f"<tr>{''.join(_td(c) for c in row)}</tr>" for row in body)
            + "</tbody></table>\n")


def _heading(text: str) -> str:
    """A column's heading, which may break after a slash as well (*aanspanningen/doel*)."""
    return f"<th>{_esc(text).replace('/', '/<wbr>')}</th>"


def _td(text: str) -> str:
    return f'<td class="words">{_esc(text)}</td>' if " " in text else f"<td>{_esc(text)}</td>"


def _figure(svg: str) -> str:
    return f"<figure>{svg}</figure>\n"


def _para(value: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{_esc(value)}</p>\n"


def _title(programme: str, context: Context) -> str:
    known = context.programmes.get(programme)
    return known.title.get(context.lang, programme) if known is not None else programme


# --- the parts of a person's report ---------------------------------------------------------------
def _person(person: Person, context: Context) -> str:
    """One person's part. Damaged data leaves gaps, never a crash: every stored value is
    read through `device.stored_values` (a fuzz of the database found none left)."""
    sections = [make(person, context) for make in (_who, _advice, _assessments, _training, _scores, _sessions)]
    return (f'<div class="person" id="person-{person.profile}">{sections[0]}'
            f"{_missing(person.problems, context.lang, person.profile)}{''.join(sections[1:])}</div>\n")


def _missing(problems: list[Problem], lang: str, profile: int) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{_esc(words(p.key, lang, **p.fields))}</li>" for p in problems)
    return (f'<section class="missing" id="p{profile}-missing"><h2>{_esc(words("missing_title", lang))}</h2>'
            f"{_para(words('missing_about', lang))}<ul>{items}</ul></section>\n")


# the goal in the header, as the weeks ask it (`session.adherence.contractions_asked`)
GOAL_TEXTS = {ALL_WEEKS: "daily_goal_value", SOME_WEEKS: "daily_goal_value_some", NO_WEEK: "daily_goal_value_let_go"}


def _who(person: Person, context: Context) -> str:
    lang, covered = context.lang, person.covered(context.period)
    first, last = covered.first, covered.last
    done = sum(s.completed for s in person.sessions)
    running = sum(s.in_progress for s in person.sessions)
    stopped = sum(not s.completed and not s.in_progress for s in person.sessions)
    trained = [w.week for w in week_rows(person, context.daily_goal, context.programmes, covered)]
    facts = [
        (words("person_label", lang), str(person.profile)),
        (words("device", lang), device_id()),
        (words("software", lang), software_version()),
        (words("period", lang), words("period_value", lang, first=day_text(first, lang) if first else "-",
                                      last=day_text(last, lang) if last else "-")),
        (words("made", lang), day_text(datetime.date.today(), lang)),
        (words("sessions_kept", lang), words("sessions_value_running" if running else "sessions_value", lang,
                                             done=done, stopped=stopped, running=running,
                                             assessments=words_counted("assessments", len(person.assessments), lang))),
        (words("daily_goal", lang), words(GOAL_TEXTS[contractions_asked(trained)], lang,
                                          sessions=words_counted("goal_sessions", context.daily_goal, lang),
                                          contractions=CONTRACTIONS_PER_DAY)),
    ]
    out = (f'<section id="p{person.profile}-who"><h2>{_esc(words("who", lang))}</h2><table class="facts"><tbody>'
           + "".join(f"<tr><th>{_esc(label)}</th><td>{_esc(value)}</td></tr>" for label, value in facts)
           + "</tbody></table>\n")
    if not person.sessions:
        out += _para(words("no_sessions", lang))
    out += f'<h3>{_esc(words("maximum_title", lang))}</h3>{_para(words("maximum_about", lang), "note")}'
    if person.maxima or person.assessments:
        out += _figure(maximum_plot(person.maxima, person.assessments, lang, person.profile))
    else:
        out += _para(words("no_maximum", lang))
    return out + "</section>\n"


def _advice(person: Person, context: Context) -> str:
    """Brochure 004's advice to see a pelvic physiotherapist: by each rule of `session.advice`
    that applied (the one on the assessments, the one for a floor that never let go, the one for a
    floor that kept bearing down), else a line saying the first does not."""
    lang, day = context.lang, person.advice_day
    if day is None:
        return ""
    said = []
    if person.advised:
        said.append(words("advice_applies", lang, day=day_text(day, lang), regular=advice.REGULAR_WEEKS,
                          weeks=advice.WEEKS, days=advice.REGULAR_DAYS, apart=advice.MIN_DAYS_APART))
    if person.let_go_advised is not None:
        since, until = person.let_go_since, person.let_go_advised
        when = words("advice_on", lang, day=day_text(until, lang)) if since is None or since == until \
            else words("advice_since", lang, since=day_text(since, lang), day=day_text(until, lang))
        said.append(words("advice_let_go_applies", lang, when=when,
                          span=advice.LET_GO_DAYS, days=advice.LET_GO_MIN_DAYS, relax=RELAX_POOR_MAX,
                          stands=advice.LET_GO_STANDS_DAYS))
    if person.bear_down_advised is not None:
        said.append(words("advice_bear_down_applies", lang, day=day_text(person.bear_down_advised, lang),
                          span=advice.BEAR_DOWN_DAYS, sessions=advice.BEAR_DOWN_SESSIONS,
                          days=advice.BEAR_DOWN_MIN_DAYS, apart=advice.BEAR_DOWN_SPAN_DAYS))
    if not said:
        return _para(words("advice_not", lang, days=advice.REGULAR_DAYS, regular=advice.REGULAR_WEEKS,
                           weeks=advice.WEEKS, apart=advice.MIN_DAYS_APART, day=day_text(day, lang)), "note")
    return (f'<section class="advice" id="p{person.profile}-advice"><h2>{_esc(words("advice_title", lang))}</h2>'
            + "".join(_para(paragraph) for paragraph in said) + "</section>\n")


def _assessments(person: Person, context: Context) -> str:
    lang, shown = context.lang, person.assessments
    out = f'<section id="p{person.profile}-assessments"><h2>{_esc(words("assessments_title", lang))}</h2>'
    if not shown:
        return out + _para(words("no_assessments", lang)) + _next_assessment(person, context) + "</section>\n"
    first_kpa = shown[0]["max_kpa"]
    head = [words(k, lang) for k in ("col_date", "col_session", "col_p", "col_p_first", "col_e", "col_e_half",
                                     "col_r", "col_f", "col_ect", "col_hold_mean", "col_hold_peak",
                                     "col_steadiness", "col_slope")]
    body = [[day_text(a["day"], lang), str(a["id"]), _num(a["max_kpa"], 2, lang),
             _num(100.0 * a["max_kpa"] / first_kpa if first_kpa else None, 0, lang),
             _held(a.get("endurance_s"), lang, 0),
             _num(a.get("endurance_half_s"), 0, lang), f"{a['holds_good']}/{a['holds']}",
             f"{a['flicks_half']}/{a['flicks']}", str(len(rows(a.get("releases")))),
             _num(a.get("hold_mean_pct"), 0, lang), _reached(a.get("hold_peak_pct"), lang),    # (a level reached)
             _num(a.get("hold_steadiness"), 2, lang), _num(a.get("endurance_slope_pct_per_min"), 1, lang)]
            for a in shown]
    out += _table(head, body) + _next_assessment(person, context)
    out += f'<h3>{_esc(words("relaxation_title", lang))}</h3>'
    rest_head = [words(k, lang, when=words(when, lang))
                 for when in ("before", "after") for k in ("col_rest_sd", "col_rest_tone", "col_rest_breath")]
    head = [words("col_date", lang), words("col_flick_peak", lang), words("col_flick_release", lang),
            words("col_released", lang), *rest_head]
    body = []
    for a in shown:
        qualities = [r.get("quality") for r in rows(a.get("releases"))]
        released = "/".join(str(qualities.count(q)) for q in ("complete", "partial", "absent"))
        rest = [cell for key in ("rest_before", "rest_after") for cell in _rest_cells(table(a.get(key)), lang)]
        body.append([day_text(a["day"], lang), _num(a.get("flick_peak_s"), 2, lang),
                     _num(a.get("flick_release_s"), 2, lang), released, *rest])
    out += _table(head, body)
    return out + _figure(assessment_plots(shown, lang, person.profile)) + "</section>\n"


def _rest_cells(rest: dict, lang: str) -> list[str]:
    return [_num(rest.get("level_sd_pct"), 1, lang), _num(rest.get("tone_kpa"), 3, lang),
            _num(rest.get("excursion_kpa"), 3, lang)]


def _next_assessment(person: Person, context: Context) -> str:
    """From when the menu proposes the next assessment (`device.appliance`: the last + ASSESS_EVERY_DAYS;
    none while letting go alone is practised) -- a trial's physiotherapist could not tell when to see him
    again; "" for a period before the last session, or before any assessment."""
    if not person.levels_now or person.last_assessed is None:
        return ""
    if person.letting_go_only:
        return _para(words("next_assessment_waits", context.lang), "note")
    due = person.last_assessed + datetime.timedelta(days=advice.ASSESS_EVERY_DAYS)
    return _para(words("next_assessment", context.lang, day=day_text(due, context.lang),
                       every=advice.ASSESS_EVERY_DAYS), "note")


def _training(person: Person, context: Context) -> str:
    lang = context.lang
    out = f'<section id="p{person.profile}-training"><h2>{_esc(words("training_title", lang))}</h2>'
    covered = person.covered(context.period)
    weeks = week_rows(person, context.daily_goal, context.programmes, covered)
    if not weeks:
        return out + _para(words("no_sessions", lang)) + "</section>\n"
    # a floor that only learns to let go (an over-tense one, say) is asked for no lift: no goal of lifts
    lifts_asked = any(w.week.lifts_asked for w in weeks)
    head = [words(k, lang) for k in ("col_week", "col_days", "col_sessions_goal", "col_contractions_goal")] \
        + [MISTAKE_NAMES[kind][lang] for kind in MISTAKE_KINDS] + [words("col_short", lang), words("col_levels", lang)]
    body = [[week_text(w.week.year, w.week.week, lang, covered.first, covered.last), str(w.week.days),
             f"{w.week.sessions}/{w.week.sessions_goal}",
             f"{w.week.contractions}/{w.week.contractions_goal}" if w.week.lifts_asked else "-",
             *(_mistakes_cell(kind, w.errors[kind], w.holds, lang) for kind in MISTAKE_KINDS),
             str(w.short) if w.week.lifts_asked and w.short is not None else "-",
             ", ".join(f"{_title(name, context)} {_levels_in_turn(name, ran, context)}"
                       for name, ran in sorted(w.levels.items())) or "-"]
            for w in weeks]
    out += _table(head, body) + ("" if lifts_asked else _para(words("no_lifts_asked", lang))) \
        + _stood_up(person, lang) + _moved_here(person, lang) \
        + _figure(training_plots(weeks, lang, person.profile, lifts_asked)) + _exhale_weeks(weeks, lang, covered)
    out += f'<h3>{_esc(words("errors_title", lang))}</h3>' + _figure(errors_plot(weeks, lang, person.profile))
    levels = [words("level_now", lang, programme=_title(name, context), level=p.level_number(s.level),
                    of=p.level_count, words=inline(level_text(p.at_level(s.level), lang)))
              for name, s in person.standings.items() if (p := context.programmes.get(name)) is not None]
    if levels:
        out += f'<h3>{_esc(words("levels_title", lang))}</h3><ul>' \
               + "".join(f"<li>{_esc(line)}</li>" for line in levels) + "</ul>"
    return out + "</section>\n"


def _stood_up(person: Person, lang: str) -> str:
    """The sessions of the period its person stood up in (the summary's pauses): a man who leaks as he
    stands up got up mid-session, and only that session's own part said so -- a trial's physiotherapist
    read the page without it (`history` and the CSV say it too)."""
    stood = [s for s in person.sessions if "stood_up" in (pause_reasons(s.summary) or ())]
    if not stood:
        return ""
    return _para(words("stood_up_in", lang, sessions=", ".join(
        words("session_on", lang, id=s.id, day=day_text(s.day, lang, year=False)) for s in stood)))


def _moved_here(person: Person, lang: str) -> str:
    """The sessions of the period moved to its person from the one they were trained as (trial89: a
    physiotherapist could not tell a session trained on the wrong profile and moved from the others)."""
    paras = []
    for who in sorted({s.trained_as for s in person.sessions if s.trained_as is not None}):
        paras.append(_para(words("trained_as_in", lang, n=who, sessions=", ".join(
            words("session_on", lang, id=s.id, day=day_text(s.day, lang, year=False))
            for s in person.sessions if s.trained_as == who))))
    return "".join(paras)


def _exhale_weeks(weeks: list[WeekRow], lang: str, covered: Period) -> str:
    """The lifts begun on the exhale, of those timed, week by week (the device cues every lift on
    the exhale; a floor learning it shows it); none where no lift was timed. A table of its own:
    as a column it made the week's table wider than the printed page."""
    if not any(w.exhale_lifts and w.exhale_lifts[1] for w in weeks):
        return ""
    body = []
    for w in weeks:
        judged = w.exhale_lifts if w.exhale_lifts and w.exhale_lifts[1] else None
        body.append([week_text(w.week.year, w.week.week, lang, covered.first, covered.last),
                     exhale_cell(judged), _pct(judged and judged[0] / judged[1], lang)])
    return (f'<h3>{_esc(words("exhale_title", lang))}</h3>'
            + _table([words(k, lang) for k in ("col_week", "col_on_exhale", "col_on_exhale_pct")], body))


def _scores(person: Person, context: Context) -> str:
    lang = context.lang
    trained = [s for s in person.sessions
               if s.completed and not (s.program in context.programmes and context.programmes[s.program].assesses)]
    strength: dict[str, list[StoredSession]] = {}
    relaxation: dict[str, list[StoredSession]] = {}
    for s in trained:
        (relaxation if lets_go_only(s.program, s.contraction_score, context.programmes)
         else strength).setdefault(s.program, []).append(s)
    out = f'<section id="p{person.profile}-scores"><h2>{_esc(words("scores_title", lang))}</h2>'
    out += f'<h3>{_esc(words("strength_programmes", lang))}</h3>' + _para(words("scores_how", lang))
    head = [words(k, lang) for k in ("col_programme", "col_sessions", "col_contraction", "col_relaxation",
                                     "col_power", "col_power_pct", "col_endurance",
                                     "col_level" if person.levels_now else "col_level_last")]
    body = []
    for name, group in sorted(strength.items()):
        perfect = [table(s.summary.get("perfect")) for s in group]
        strong = [table(s.summary.get("perfect")) for s in group      # (as their end screens)
                  if measures_strength(name, context.programmes, s.asked_maximal())]
        standing = person.standings.get(name)      # kept for the programmes with levels, which it knows
        last = group[-1]                           # (of a period before the last session: its last session's)
        level = _level_shown(name, standing.level, context) if standing is not None \
            else "-" if last.level is None else _level_shown(name, last.level, context, last.asks, last.relax_s)
        body.append([_title(name, context), str(len(group)), _num(_mean([s.contraction_score for s in group]), 1, lang),
                     _num(_mean([s.relaxation_score for s in group]), 1, lang),
                     _num(_median([p.get("power") for p in strong]), 2, lang),
                     _reached(_mean([p.get("power_pct_max") for p in strong]), lang),
                     _held(_median([p.get("endurance_s") for p in perfect]), lang),
                     level])
    out += _table(head, body) if body else _para(words("no_training", lang))
    out += f'<h3>{_esc(words("relaxation_programmes", lang))}</h3>'
    # moving with the breath beside the score: what tells a floor that holds on (tone and the resting level's
    # share, against its own most relaxed level, read alike for a tense and a relaxed floor: a trial; shown
    # beside it, *rustniveau 94 %* and *tonus 0,008 kPa* read as relaxed for a floor that never let go in 16
    # sessions: a physiotherapist's trial -- each session's summary.json keeps them)
    head = [words(k, lang) for k in ("col_programme", "col_sessions", "col_relaxation", "col_with_breath")]
    body = []
    for name, group in sorted(relaxation.items()):
        body.append([_title(name, context), str(len(group)), _num(_mean([s.relaxation_score for s in group]), 1, lang),
                     _pct(_mean([s.with_breath_share() for s in group]), lang)])
    out += _table(head, body) if body else _para(words("no_training", lang))
    if trained:
        titles = {name: _title(name, context) for name in {s.program for s in trained}}
        out += _figure(scores_plot(strength, relaxation, titles, lang, person.profile))
    return out + "</section>\n"


def _pct(share: float | None, lang: str) -> str:
    """A share (0-1) in whole per cent; "-" when there is none."""
    return _num(None if share is None else 100.0 * share, 0, lang)


def _pct_said(share: float | None, lang: str) -> str:
    """A share (0-1) in whole per cent in a sentence (*15 %*); "-" when there is none."""
    return "-" if share is None else f"{_pct(share, lang)} %"


def _mean(values) -> float | None:
    shown = [v for v in map(number, values) if v is not None]
    return sum(shown) / len(shown) if shown else None


def _median(values) -> float | None:
    """The middle of the values there are: a session's, typical of the programme (the best, one
    unusual day's, read as the floor's now: a trial)."""
    shown = [v for v in map(number, values) if v is not None]
    return statistics.median(shown) if shown else None


def _sessions(person: Person, context: Context) -> str:
    if not person.curves:
        return ""
    return (f'<section id="p{person.profile}-sessions"><h2>{_esc(words("sessions_title", context.lang))}</h2>'
            + "".join(_session(curve, context) for curve in person.curves) + "</section>\n")


def _level_shown(name: str, stored_level: int, context: Context, asks: tuple[float | None, int] | None = None,
                 relax_s: tuple[float, ...] | None = None) -> str:
    """A kept level as the programme's ladder numbers it (`ladder_number`); as kept where the
    programme, or its ladder, is not known here; what it asked where the ladder numbers it
    otherwise."""
    p = context.programmes.get(name)
    if p is None or not p.levels:
        return str(stored_level)
    number = ladder_number(p, stored_level, asks, relax_s)
    if number is None:
        return words("off_ladder", context.lang, asks=_asked_text(asks, relax_s, context.lang, p.series))
    return str(number)


def _asked_text(asks: tuple[float | None, int], relax_s: tuple[float, ...] | None, lang: str, series: int) -> str:
    """What a level asked, inside a sentence: the screen's words -- in the programme's `series` here (the
    recording keeps none: *6x* of three read as the session's whole, a review) -- and its relax steps'
    lengths where they were kept (*6 s vasthouden, 3x5, 5 s ontspannen*)."""
    said = inline(asks_text(asks, lang, series=series))
    if not relax_s:
        return said
    return f"{said}, {words('asked_relax', lang, s='/'.join(figure(length_s, lang) for length_s in relax_s))}"


def _levels_in_turn(name: str, ran: list[LevelRan], context: Context) -> str:
    """The levels a week's sessions ran at, in turn, as they are shown ("2 → 3 → 2"): one that
    reads as the one before it (kept alike, or numbered alike) once."""
    shown: list[str] = []
    for level, asks, relax_s in ran:
        level_shown = _level_shown(name, level, context, asks, relax_s)
        if not shown or shown[-1] != level_shown:
            shown.append(level_shown)
    return " → ".join(shown)


def _session(curve: Curve, context: Context) -> str:
    lang, s = context.lang, curve.session
    head = words("session_head", lang, id=s.id, programme=_title(s.program, context),
                 start=time_text(s.started, lang))
    facts = [words("session_facts", lang, minutes=_num(None if s.duration_s is None else s.duration_s / 60, 1, lang),
                   reps=words_counted("reps", s.reps, lang))]
    if s.level is not None:
        facts.append(words("at_level", lang, level=_level_shown(s.program, s.level, context, s.asks, s.relax_s)))
    if not s.completed:
        facts.append(words("in_progress" if s.in_progress else "interrupted", lang))
    if curve.recording is not None and curve.recording.pauses:     # (a stand-up's said nowhere: a trial)
        facts.append(pauses_said(tuple(pause.reason for pause in curve.recording.pauses), lang))
    lets_go = lets_go_only(s.program, s.contraction_score, context.programmes)
    if not s.in_progress:             # (its mistakes are in the summary it writes at its end)
        if lets_go:                   # (only a programme mean before: a physiotherapist's trial)
            facts.append(words("with_breath_fact", lang, pct=_pct_said(s.with_breath_share(), lang)))
        else:
            facts.append(words("exhale_lifts", lang, lifts=_exhale_said(s.exhale_lifts(), lang)))
        squeezes, knack = s.quick_squeezes(), s.knack()
        if squeezes is not None and squeezes[1]:     # (those after a hold were in no table: a trial)
            facts.append(words("squeezes_fact", lang, made=squeezes[1], fast=squeezes[0]))
        if knack is not None and knack[1]:           # (the end screen's alone: a trial)
            facts.append(words("knack_fact", lang, led=knack[0], coughs=knack[1]))
        facts += _mistakes_said(s, lang)
    out = f'<div class="session" id="session-{s.id}"><h3>{_esc(head)}</h3>{_para("; ".join(facts))}'
    if curve.recording is None:
        why = curve.why_not or Problem("no_recording", {"id": s.id})
        out += _para(words("no_curve", lang, why=words(why.key, lang, **why.fields)))
    else:
        if s.cues() is None:
            out += _para(words("no_cues", lang), "note")
        out += _figure(curve_plot(curve, lang, head))
    reps = _let_go_table(curve, lang) if lets_go \
        else _rep_table(curve.reps, lang, table(s.summary.get("assessment")))
    return out + reps + "</div>\n"


def _exhale_said(lifts: tuple[int, int] | None, lang: str) -> str:
    """A session's lifts begun on the exhale in its facts: *20 van 24*; *niet beoordeeld* where
    none could be timed; "-" where not kept (stored before they were)."""
    if lifts is None:
        return "-"
    return words("exhale_not_judged", lang) if not lifts[1] else words("n_of", lang, n=lifts[0], of=lifts[1])


def _mistakes_cell(kind: str, n: int, holds: tuple[int, int, int] | None, lang: str) -> str:
    """A count of mistakes of `kind` in a table: held breaths with `holds` (`StoredSession.holds`)
    where fewer were judged than made (`_breath_judged`)."""
    judged = _breath_judged(holds, lang) if kind == "breath_hold" else None
    return str(n) if judged is None else judged


def _breath_judged(holds: tuple[int, int, int] | None, lang: str) -> str | None:
    """The held breaths of `holds` (made, judged, held breaths) with the holds judged, where fewer
    were judged than made (`session.coach.breath_judged_part`): *0 van 1 beoordeeld*; none:
    *niet beoordeeld*; None where every hold was judged, or none kept (the count says it all)."""
    judged = None if holds is None else breath_judged_part(holds[0], holds[1])
    if judged is None:
        return None
    return words("breath_not_judged" if breath_not_judged(*holds) else "breath_judged_of", lang,
                 n=holds[2], judged=judged)


def _mistake_said(kind: str, n: int, let_go_judged: int | None, lang: str) -> str:
    """One kind of mistake in a session's list, as the screen says it (*2x geperst*); repetitions
    not let go in the list's lower case, with those judged where known (*niet helemaal los: 3/3*; a
    session kept before they were counted, with no relaxation scored either: *niet helemaal los: 3*)."""
    if kind != "not_let_go":
        return text("err_" + kind, lang, n=n)
    return f"{MISTAKE_NAMES[kind][lang]}: {n}" + ("" if let_go_judged is None else f"/{let_go_judged}")


def _mistakes_said(s: StoredSession, lang: str) -> list[str]:
    """A session's mistakes as its facts say them (the screen's words), then, in the end screen's
    order, the lifts let go late and the lifts that missed their target (beside a mistake too: left
    out there, a trial) or an assessment's holds not counted in R, or `no_mistake_text` with none of
    them; then its held breaths with the holds judged where fewer were judged than made
    (`_breath_judged`: *adem ingehouden: 0 van 1 beoordeeld*, which no *Geen fouten* hides). A
    session that scored nothing, with no mistake, says so; one whose summary is not kept, that its
    mistakes are not."""
    if not s.summary_kept:             # (*geen fouten* beside `history`'s "-": a trial; the page lists it missing)
        return [words("mistakes_not_kept", lang)]
    errors, judged, slow = s.errors(), _breath_judged(s.holds(), lang), s.slow_let_go()
    if s.contraction_score is None and s.relaxation_score is None and not any(errors.values()):   # (a stub: a trial)
        return [words("scored_nothing" if s.completed else "stopped_unscored", lang)]
    mistakes = [_mistake_said(kind, n, s.let_go_judged, lang) for kind, n in errors.items()
                if n and (kind != "breath_hold" or judged is None)]   # (held breaths with the holds judged, below)
    late = [f"{SLOW_LET_GO_NAME[lang]}: {slow}" + ("" if s.let_go_judged is None else f"/{s.let_go_judged}")] \
        if slow else []
    short = [inline(line) for line in short_lines(s.short() or 0, s.short_mostly(), lang)]
    missed = _holds_missed(s.summary)
    short += [inline(text("err_holds_missed", lang, n=missed))] if missed else []
    said = ", ".join(mistakes + late + short) if any(errors.values()) or slow or missed \
        else inline(no_mistake_text(s.short() or 0, lang, s.short_mostly()))
    return [part for part in (said, judged and f"{MISTAKE_NAMES['breath_hold'][lang]}: {judged}") if part]


def _holds_missed(summary: dict) -> int:
    """An assessment's holds not counted in R, as its end screen lists them (*3x niet goed vastgehouden*,
    `device.summary_text.holds_missed`; the report's *geen fouten* beside them disagreed): 0 for a
    session that is none, or whose counts cannot be read."""
    figures = table(summary.get("assessment"))
    holds, good = whole(figures.get("holds")), whole(figures.get("holds_good"))
    return holds - good if holds is not None and good is not None and good <= holds else 0


def _rep_table(reps: list[dict], lang: str, assessment: dict | None = None) -> str:
    """Every repetition's scores; an assessment's (`assessment`, the session's kept figures; None: none
    or not kept) endurance minute holds its E (`endurance_s`) as time held, and its 10 s holds their
    seconds above ENDURANCE_PCT (`hold_endured_s`), what R counts -- the seconds the assessment's
    table shows and counts, not the band's (a trial's holds read *0,0 s* beside an E of 35 s)."""
    if not reps:
        return _para(words("no_reps", lang))
    figures = table(assessment)
    minutes = iter([number(figures.get("endurance_s"))])   # E: the first endurance minute's (`assess`)
    endured = [number(value) for value in listed(figures.get("hold_endured_s"))]
    held_parts = [rep for rep in reps if table(rep.get("contraction")).get("assess") == "hold"]
    holds = iter(endured if len(endured) == len(held_parts) else [])   # (else not kept, or not these: the band's)
    repetition_s = number(figures.get("repetition_hold_s"))
    need_s = None if repetition_s is None else r_needs_s(repetition_s)
    head = [words(k, lang) for k in ("col_rep", "col_kind", "col_target", "col_reached", "col_to_target",
                                     "col_held", "col_steadiness", "col_contraction", "col_remarks", "col_let_go",
                                     "col_residual", "col_relaxation")]
    body = []
    for rep in reps:
        c, r = table(rep.get("contraction")), table(rep.get("relaxation"))
        remarks, held_s = _remarks(c, lang), c.get("hold_s")
        if c.get("assess") == "endurance":
            held_s = next(minutes, None)
            remarks = ", ".join(part for part in (_endurance_remark(c, held_s, lang), remarks) if part)
        elif c.get("assess") == "hold" and (endured_s := next(holds, None)) is not None:
            remarks = ", ".join(part for part in (_hold_remark(c, need_s, lang), remarks) if part)
            held_s = endured_s
        body.append([f"{rep.get('series')}.{rep.get('rep')}", _kind_text(c, lang),
                     _num(c.get("target_pct"), 0, lang), _reached(c.get("reached_pct"), lang),
                     _num(c.get("time_to_target_s"), 1, lang), _held(held_s, lang),
                     _num(c.get("steadiness"), 2, lang), _num(c.get("score"), 0, lang), remarks,
                     _num(r.get("time_to_let_go_s"), 1, lang), _num(r.get("residual_pct"), 0, lang),
                     _num(r.get("score"), 0, lang)])
    return _table(head, body)


def _let_go_table(curve: Curve, lang: str) -> str:
    """Every repetition of a session of letting go only (`lets_go_only`): how much of the floor's
    movement in its paced breaths was the breath's, the lifts and held breaths the analysis saw
    begin in it (its curve's bands, `Curve.seen`: no step asks a lift, so each is tension come back,
    and no held breath is warned), the *Laat los* cues it was given, its score, and whether it was
    let go (`paced_not_let_go`, what *niet helemaal los n/m* counts). Not the time to let go after
    *Laat los*, the share at the resting level nor the tone: against the floor's own most relaxed
    level they read *los na 0,1 s*, *rustniveau 94 %* and *tonus 0,008 kPa* for a floor that never
    let go (physiotherapists' trials)."""
    if not curve.reps:
        return _para(words("no_reps", lang))
    head = [words("col_rep", lang), words("col_with_breath", lang), _seen_heading("contraction", lang),
            _seen_heading("breath_hold", lang), words("col_let_go_cues", lang, cue=text(cues.WARN_LET_GO, lang)),
            words("col_relaxation", lang), words("col_remarks", lang)]
    body = []
    for rep, seen in zip(curve.reps, curve.seen()):
        r = table(rep.get("relaxation"))
        counts = ["-"] * 3 if seen is None else [str(seen.contractions), str(seen.breath_holds),
                                                  str(seen.let_go_cues)]
        body.append([f"{rep.get('series')}.{rep.get('rep')}", _pct(number(r.get("with_breath_share")), lang),
                     *counts, _num(r.get("score"), 0, lang), _let_go_remarks(r, lang)])
    return _table(head, body)


def _seen_heading(kind: str, lang: str) -> str:
    """A column of the analysis' events of `kind` seen, named as the curve's legend names them
    (*gezien: adem ingehouden*)."""
    what = words("plot_contraction", lang) if kind == "contraction" else MISTAKE_NAMES[kind][lang]
    return words("plot_event", lang, what=what)


def _let_go_remarks(relaxation: dict, lang: str) -> str:
    """What went wrong in a repetition of letting go only: not let go (`paced_not_let_go`, where it
    was scored), pushed."""
    score = number(relaxation.get("score"))
    missed = score is not None and paced_not_let_go(number(relaxation.get("relaxed_share")),
                                                    number(relaxation.get("with_breath_share")), score)
    return ", ".join(said for said, flag in ((MISTAKE_NAMES["not_let_go"][lang], missed),
                                             (words("remark_pushed", lang), relaxation.get("pushed") is True)) if flag)


def _kind_text(contraction: dict, lang: str) -> str:
    """A repetition's kind as the table names it: its assessment part's name where that has one
    of its own (the endurance minute), else its step's kind's; a kind not known, as kept."""
    kind, part = str(contraction.get("kind", "-")), contraction.get("assess")
    named = PART_NAMES.get(part) if isinstance(part, str) else None
    return (named or STEP_NAMES.get(kind, {})).get(lang, kind)


def _endurance_remark(contraction: dict, endurance_s: float | None, lang: str) -> str:
    """What an assessment's endurance minute's time held is: E, the seconds above ENDURANCE_PCT
    the assessment counts (`endurance_s`; None: not kept), and its seconds in the band, which its
    score counts as every assessment lift's -- a floor holding on all out at 80 % is never in the
    band of a maximal target: a trial's row read *0,0 s* beside an E of 52 s."""
    return words("remark_endurance" if endurance_s is not None else "remark_no_endurance", lang,
                 pct=ENDURANCE_PCT, s=_held(contraction.get("hold_s"), lang))


def _hold_remark(contraction: dict, need_s: float | None, lang: str) -> str:
    """What an assessment's 10 s hold's time held is: its seconds above ENDURANCE_PCT, which R counts
    (`session.assessment.counts_in_r`) when they are `need_s` or more (None: not kept), and its
    seconds in the band, which its score counts. (*telt voor R* on every hold read as each one
    counted: a review.)"""
    band_s = _held(contraction.get("hold_s"), lang)
    if need_s is None:
        return words("remark_hold_r", lang, pct=ENDURANCE_PCT, s=band_s)
    return words("remark_hold_r_needs", lang, pct=ENDURANCE_PCT, need=_num(need_s, 1, lang), s=band_s)


def _remarks(contraction: dict, lang: str) -> str:
    """What went wrong in a contraction, and where it began in the breath (the device cues every
    lift on the exhale: *op inademing* where it did not; neither where it could not be timed);
    for a cough, the knack."""
    said = [words(key, lang) for key, flag in (("remark_wrong_direction", contraction.get("right_direction") is False),
                                               ("remark_pushed", contraction.get("pushed") is True),
                                               ("remark_glute", contraction.get("glute") is True),
                                               ("remark_held_breath", contraction.get("held_breath") is True),
                                               ("remark_on_exhale", contraction.get("on_exhale") is True),
                                               ("remark_on_inhale", contraction.get("on_exhale") is False)) if flag]
    if contraction.get("kind") == "cough" and contraction.get("right_direction") is not False:
        said.append(_knack_remark(number(contraction.get("cough_lead_s")), contraction.get("cough_held"), lang))
    return ", ".join(said)


def _knack_remark(lead_s: float | None, held: bool | None, lang: str) -> str:
    """How the lift went with the cough (the knack, `Coach`'s rule): how long it led the cough and
    whether it was kept through it -- or that it came too late, or not at all."""
    if lead_s is None:
        return words("remark_no_knack", lang)
    if lead_s < 0.0:
        return words("remark_knack_after", lang, lag=figure(-lead_s, lang))
    if lead_s < KNACK_LEAD_S:
        return words("remark_knack_late", lang, lead=figure(lead_s, lang))
    return words("remark_knack" if held is not False else "remark_knack_let_go", lang, lead=figure(lead_s, lang))


def _explanations(lang: str, daily_goal: int) -> str:
    items = [
        words("explain_kpa", lang),
        words("explain_contraction", lang, band=BAND_PCT, endurance=ENDURANCE_PCT, aim=MAXIMAL_PCT - BAND_PCT,
              drop=TIRING_DROP_PCT, good=GOOD_SCORE, held=100 * HELD_SHARE, paced=100 * PACED_HELD_SHARE),
        words("explain_relaxation", lang, let_go=LET_GO_PCT),
        words("explain_reps", lang, unsteady=figure(UNSTEADY_PCT, lang), let_go=figure(LET_GO_PCT, lang),
              tail=figure(RESIDUAL_TAIL_S, lang), endurance=ENDURANCE_PCT),
        words("explain_let_go_reps", lang, cue=text(cues.WARN_LET_GO, lang), tense=TENSE_CUE_S,
              low=100 * FOLLOW_LOW, repeat=LET_GO_REPEAT_S),
        words("explain_p", lang), words("explain_e", lang, pct=ENDURANCE_PCT, half=HALF_PCT),
        words("explain_r", lang, good=GOOD_SCORE, held=100 * HELD_SHARE, pct=ENDURANCE_PCT,
              band=MAXIMAL_PCT - BAND_PCT),
        words("explain_f", lang, half=HALF_PCT),
        words("explain_ect", lang, let_go=LET_GO_PCT, partial=PARTIAL_PCT),
        words("explain_rest", lang),
        words("explain_levels", lang, up=UP_AFTER, good=GOOD_SCORE_MIN, nearly=100 * NEARLY_ALL_WELL, down=DOWN_AFTER,
              poor=POOR_SCORE_MAX, pushes=PUSHES_POOR, relax_poor=RELAX_POOR_MAX),
        words("explain_goal", lang, sessions=words_counted("goal_sessions", daily_goal, lang),
              contractions=CONTRACTIONS_PER_DAY),
        words("explain_exhale", lang),
        words("explain_errors", lang, names=", ".join(MISTAKE_NAMES[kind][lang] for kind in MISTAKE_KINDS),
              periods=_num(HOLD_WHOLE_PERIODS, 0 if HOLD_WHOLE_PERIODS % 1 == 0 else 1, lang)),
    ]
    return (f'<section id="explain"><h2>{_esc(words("explain_title", lang))}</h2><ul>'
            + "".join(f"<li>{_esc(item)}</li>" for item in items) + "</ul></section>\n")


# --- CSV -----------------------------------------------------------------------------------------
def _cell(value):
    """A CSV cell as a spreadsheet reads it in any language: yes/no as 1/0, 2 decimals."""
    if isinstance(value, bool):
        return int(value)
    return round(value, 2) if isinstance(value, float) else value


def csv_rows(store, sessions: list[dict], *, cfg, profile: int | None) -> list[dict]:
    """`sessions` (`profile`'s `Store.sessions` rows), each with two figures the page shows of it:
    `level`, the one it ran at as the ladder numbers it (`ladder_number`), and
    `lifts_target_missed`, its lifts that missed their target with no mistake (`StoredSession.short`,
    what the week table adds up). None (an empty cell): no level where its programme has none here,
    its recording kept none or this ladder numbers it otherwise; no count where it asked for no
    lift (`lets_go_only`) or kept none; neither for a session whose start is no date (left out of
    the page); and its pauses (`_paused`)."""
    programmes = configured_programmes(cfg, on_bad_file=lambda error: None)     # (the page, or `programs`, says)
    read = {s.id: s for s in read_sessions(store, profile, programmes, [])}
    return [{**row, **_paused(row["pauses"]),
             **(_as_the_page(read[row["id"]], programmes) if row["id"] in read else {})} for row in sessions]


def _paused(reasons: tuple[str, ...] | None) -> dict:
    """A session's pauses and those for standing up, as cells (empty: not kept)."""
    return {"pauses": None if reasons is None else len(reasons),
            "pauses_stood_up": None if reasons is None else reasons.count("stood_up")}


def _as_the_page(s: StoredSession, programmes: dict[str, Programme]) -> dict:
    """The session's cells as the page has them (`csv_rows`): `level`, `lifts_target_missed`, the quick
    squeezes made and those reaching half the maximum, the knack's coughs, and no power where its programme measures no
    strength (`measures_strength`)."""
    squeezes, knack = s.quick_squeezes(), s.knack()
    return {"level": None if s.level is None else ladder_number(programmes[s.program], s.level, s.asks, s.relax_s),
            "knack_led": None if knack is None else knack[0], "knack_coughs": None if knack is None else knack[1],
            "quick_squeezes": None if squeezes is None else squeezes[1],
            "quick_squeezes_fast": None if squeezes is None else squeezes[0],
            "lifts_target_missed": None if lets_go_only(s.program, s.contraction_score, programmes) else s.short(),
            **({} if measures_strength(s.program, programmes, s.asked_maximal())
               else {"power_kpa": None, "power_pct_max": None})}


def write_csv(sessions: list[dict], path: Path) -> None:
    """One row per session (`csv_rows`), CSV_COLUMNS (an empty cell: a figure the session has
    not); the file whole or as it was (a full disk or a stop half-way leaves no half table)."""
    table = io.StringIO(newline="")
    writer = csv.DictWriter(table, CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in sessions:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    write_text(path, table.getvalue())

"""What the end-of-session screen says, in words a patient understands.

Pages of two rows in a large font, shown in turn (`SessionUi`, `sheets`): the results -- strength
in % of the user's own maximum (after a programme that asks for a maximal lift), good repetitions,
letting go, quick squeezes, the longest hold, each compared with the last session of the same
programme (better / same / less) -- and the mistakes by kind (the two most frequent), then the lifts
that missed their target and what they mostly missed by (an assessment's holds not held well), and
one line of advice from the brochures for the dominant problem (`advice_key`), on a page of its own. No kPa: a
patient cannot read them (the report for the physiotherapist has them).
"""

from __future__ import annotations

import math

from device import stored_values
from device.screens import SUMMARY_LINE_SIZES, WIDTH, summary_line_px
from device.texts import text
from session.assessment import Assessment
from session.coach import MISTAKE_KINDS, CoachSummary
from session.progression import let_go_first

SAME_SHARE = 0.05       # within 5 points of last time's letting go: "the same"
FEW_LET_GO_SHARE = 0.5  # letting go scored after fewer than this share of the lifts asked: said of how many
PRAISED_SHARE = 0.5     # "Goed zo!" only when at least this share of the lifts asked was done well ...
SHORT_ADVISED_SHARE = 0.25  # ... and fewer than this share missed their target (else: what they missed by)
YIELDING_MISTAKES = ("not_let_go", "glute")   # how a lift was made or ended: may give way to a larger shortfall
URGENT_MISTAKES = ("bear_down", "breath_hold")  # the wrong way, the breath held: told whatever else fell short
PAGE_ROWS = 2           # an end screen's page holds this many rows under its title, in a large font (four
                        # in the small one, 1 mm high on the panel, could not be read at arm's length: a trial)
ROW_SIZE = 12           # ... each line on one row where it fits at this size, else broken onto two
MISTAKE_LINES = 3       # the mistakes and targets missed told, at most, before the advice
SENTENCE_MARKS = ",:!."  # an advice too wide for a row is broken after one of these where it can
STRENGTH_SAME_PCT = 10  # strength within this many points of last time's, as shown, is the same
COMPARABLE = (1 / 3, 3.0)   # strength within this ratio of last time's is one floor's: compared (beyond, a
                            # trial's partner on her device read *Kracht 496% van vorige*, and she *21%*
                            # the next day: not compared)


def compare(now: float | None, before: float | None, lang: str, *, same_within: float) -> str:
    """" (beter)" / " (gelijk)" / " (minder)" against last time (`same_within` of it is the
    same), or "" without one."""
    if now is None or before is None:
        return ""
    key = "same" if abs(now - before) < same_within else "better" if now > before else "less"
    return " " + text(key, lang)


def result_lines(s: CoachSummary, previous: dict | None, lang: str, *, strength: bool = True) -> tuple[str, ...]:
    """The first page: what went well; strength -- the best lift against last time's, in kPa
    (*Kracht 112% van vorige*, as an assessment's: in % of today's maximum it is about 100 %
    every day, and *Kracht 97%* read as the user's strength), the first time *Kracht: nog niets om mee
    te vergelijken* (*Kracht 91% van max* one day and *100% van vorige* the next left a trial's user unsure which
    she was told) -- and letting go against last time (scored after fewer than half the lifts
    asked, the others pushes, of how many instead: *Loslaten 97% (4 gemeten)*, where *(4/24)* went
    unexplained; nor compared with last time's of a few); after a cough, next, the knacks made of the
    coughs asked (*Op tijd aangespannen 4/5*: a trial's user was never told).
    `strength` False: no strength line (the lifts asked were gentler: their peak is no strength;
    `voelen`'s showed *Kracht 34%*)."""
    before = previous or {}
    lines = []
    perfect = s.perfect
    if s.contraction_score is not None:
        if strength:
            kept = before.get("perfect")
            was = stored_values.number(kept.get("power")) if isinstance(kept, dict) else None    # (damaged: none)
            if was and perfect.power is not None:     # today's best lift against last time's, in kPa
                lines.append(strength_line(perfect.power / was, lang))
            elif previous is None:                    # the first time: nothing to compare with
                lines.append(text("strength_first", lang))
            # (else no lift of one of the two to compare: no line -- not *nog niets ...* on the 20th: a review)
        if s.knack:                  # the knack's own figure, after strength (a trial: never told how it went)
            lines.append(text("knack_led", lang, n=sum(k.led for k in s.knack), of=len(s.knack)))
        if s.lifts_asked:
            lines.append(text("good_reps", lang, good=perfect.repetitions, of=s.lifts_asked))
    if s.relaxation_score is not None:
        pct = round(s.relaxation_score)
        if few_let_go(s.relaxations, s.lifts_asked):      # of a few lifts, the others pushes: no comparing
            lines.append(text("letting_go_few", lang, pct=pct, n=s.relaxations))
        else:                                             # (nor with last time's of a few)
            was = None if few_let_go(before.get("relaxations"), before.get("lifts_asked")) \
                else stored_values.number(before.get("relaxation_score"))     # (damaged: "x" crashed the screen)
            lines.append(text("letting_go_pct", lang, pct=pct)      # (the score, not its rounding: 25.5 after
                         + compare(s.relaxation_score, was, lang,    # 20.6 read *26% (beter)*, a trial)
                                   same_within=100.0 * SAME_SHARE))
    if s.flicks:        # before the longest hold: in holds and quick squeezes, as `kegel_kort`, the squeezes
        lines.append(text("quick_squeezes", lang, n=perfect.fast, of=s.flicks))   # were left off once (a trial)
    if perfect.endurance_s is not None and perfect.endurance_s >= 1.0:
        lines.append(text("held_s", lang, s=math.floor(perfect.endurance_s)))   # whole seconds, as the hold counted
    if not lines:                    # a programme that scores nothing (a physiotherapist's rest steps)
        lines.append(text("nothing_scored", lang))
    return tuple(lines)


def assessment_lines(a: Assessment, previous: dict | None, lang: str, *,
                     not_let_go_listed: bool = False) -> tuple[str, ...]:
    """The first page after an assessment: strength against the last assessment (kPa, so
    a % a patient can read), how long the floor held on, the holds done well, the quick
    squeezes and how many contractions were let go completely -- unless `not_let_go_listed`: the
    mistakes' pages list the others (*Niet helemaal los 1/11*), which is the same count told
    the other way (*Helemaal losgelaten 10/11* before it: trial93)."""
    last = ((previous or {}).get("assessment") or {}).get("max_kpa")
    strength = strength_line(a.max_kpa / last, lang) if last else text("first_assessment", lang)
    lines = (strength, text("endured_s", lang, s=math.floor(a.endurance_s or 0.0)),     # (held, never more)
             text("holds_good", lang, good=a.holds_good, of=a.holds),
             text("quick_squeezes", lang, n=a.flicks_half, of=a.flicks))     # (*Snel 4/5, los 9/11* read as
    if not_let_go_listed:                                                     # jargon: a trial)
        return lines
    return lines + (text("let_go_fully", lang, done=a.released_completely, n=len(a.releases)),)


def strength_line(ratio: float, lang: str) -> str:
    """Strength against last time's (`ratio`), *Kracht 118% van vorige*; within STRENGTH_SAME_PCT of it,
    as shown, one floor's spread from session to session (an unchanged floor's best lift: 95-111 %, the
    harness's personas): *Kracht: gelijk aan vorige keer* (*Kracht 92% van vorige* on the day a trial's user went
    up a level, 18 of 18 done well, read as getting weaker); beyond COMPARABLE, no floor's change from one
    time to the next -- somebody else on the device, a cushion pumped up -- *Kracht: niet vergelijkbaar*."""
    if not COMPARABLE[0] <= ratio <= COMPARABLE[1]:
        return text("strength_not_comparable", lang)
    pct = round(100.0 * ratio)
    if abs(pct - 100) < STRENGTH_SAME_PCT:
        return text("strength_same", lang)
    return text("strength_vs_last", lang, pct=pct)


def few_let_go(relaxations, lifts_asked) -> bool:
    """Letting go was scored after fewer than FEW_LET_GO_SHARE of the lifts asked (the others
    pushes); False where either count is not known (a summary stored before they were kept)."""
    return (isinstance(relaxations, int) and isinstance(lifts_asked, int)
            and relaxations < FEW_LET_GO_SHARE * lifts_asked)


def mistakes_title(s: CoachSummary, *, see_physio: bool = False, holds_missed: int = 0) -> str:
    """The mistakes' pages' heading (a text id): above the advice to see a physiotherapist, why:
    *Niet duidelijk beter* (*Geen fouten / Ga langs bij een bekkenfysio* said nothing of why: a
    trial; *Nog geen verbetering* read as untrue beside figures that rose within one floor's spread:
    another); with lifts that missed their target, or an assessment's `holds_missed` (its holds not
    held well), or lifts let go slowly (`slow_let_go`: an over-tense floor's *Geen fouten* beside
    *Loslaten 45%*, a trial), listed, *Aandachtspunten* -- a lift that missed its target is no mistake (the report's
    *doel gemist (geen fout)*): under *Fouten* it read as one, *Geen fouten* over *7x doel gemist*,
    and *Geen fouten, maar* over them, as contradictions (trials); else *Fouten* where a mistake was
    counted, *Geen fouten* where none."""
    mistaken = any(getattr(s.errors, kind) for kind in MISTAKE_KINDS)
    if see_physio and not mistaken:
        return "advice_physio_title"
    if s.short or holds_missed or s.slow_let_go:
        return "to_work_on"
    return "mistakes" if mistaken else "no_errors"


def mistake_lines(s: CoachSummary, lang: str, *, see_physio: bool = False, holds_missed: int = 0) -> tuple[str, ...]:
    """The mistakes' pages, under `mistakes_title`: the two most frequent mistakes by
    kind, then the lifts let go slowly, the lifts that missed their target and what they mostly missed by (listed with a
    mistake too: *1x billen gebruikt* alone hid *7x doel gemist, meestal te laag*: a trial), or an
    assessment's `holds_missed`, MISTAKE_LINES at most (left off from the end: a mistake is how it was
    done, the brochures' first concern, a target missed how far it got), then the advice, last --
    `see_physio`: brochure 004's, to see a pelvic physiotherapist (`session.advice`: an assessment that
    shows no progress after weeks of regular training), instead of the one for the session's dominant
    problem (`advice_key`). Each a line of its own, laid out on the pages by `sheets`."""
    lines = [text("err_" + kind, lang, n=getattr(s.errors, kind), of=s.let_go_judged)
             for kind in listed_mistakes(s)]
    if s.slow_let_go:
        lines.append(text("slow_let_go", lang, n=s.slow_let_go, of=s.let_go_judged))
    if s.short:                       # (one line: *8x doel gemist, / meestal te kort* on one page)
        lines.append(", ".join(short_lines(s.short, s.short_mostly, lang)))
    if holds_missed:
        lines.append(text("err_holds_missed", lang, n=holds_missed))
    advice = physio_advice(lang) if see_physio else text(advice_key(s, holds_missed), lang)
    return tuple(lines[:MISTAKE_LINES]) + (advice,)


def listed_mistakes(s: CoachSummary) -> list[str]:
    """The kinds of mistake the mistakes' pages list (`mistake_lines`): the two most frequent, in
    MISTAKE_KINDS' order where as frequent."""
    counts = {kind: getattr(s.errors, kind) for kind in MISTAKE_KINDS}
    return sorted((kind for kind in MISTAKE_KINDS if counts[kind]), key=lambda kind: -counts[kind])[:2]


def physio_advice(lang: str) -> str:
    """The advice to see a pelvic physiotherapist as one line (its two rows' texts, the menu's too)."""
    first = text("advice_physio_1", lang)
    return first + ("" if first.endswith("-") else " ") + text("advice_physio_2", lang)


def sheets(lines: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """`lines` laid out on the end screen's pages, as rows: each line on one row, or on two where it is
    wider than a row at ROW_SIZE (`two_lines`), in turn on pages of PAGE_ROWS rows, a line never split
    over two pages; a line alone on its page in the largest font it fits in on two rows."""
    pages: list[list[str]] = []
    rows_on = 0
    for line in lines:
        rows = len(two_lines(line))
        if pages and rows_on + rows <= PAGE_ROWS:
            pages[-1].append(line)
            rows_on += rows
        else:
            pages.append([line])
            rows_on = rows
    return tuple(_alone(page[0]) if len(page) == 1 else tuple(row for line in page for row in two_lines(line))
                 for page in pages)


def _alone(line: str) -> tuple[str, ...]:
    """A line alone on its page, on the rows that let it be drawn largest (*Volgehouden / 47 s*); one
    broken after a sentence's mark stays so (*Niet persen: / til op als je uitademt*)."""
    rows = two_lines(line)
    if len(rows) > 1 and rows[0][-1] in SENTENCE_MARKS:
        return rows
    for size in (size for size in SUMMARY_LINE_SIZES if size >= ROW_SIZE):
        rows = two_lines(line, size)
        if all(summary_line_px(row, size) <= WIDTH - 1 for row in rows):
            return rows
    return two_lines(line)


def holds_missed(a: Assessment | None) -> int:
    """The holds of an assessment not held well (none without one): its page of mistakes says so."""
    return 0 if a is None else a.holds - a.holds_good


def short_lines(short: int, mostly: str | None, lang: str) -> list[str]:
    """The lifts that missed their target with no mistake (*12x doel gemist*) and what most of
    them missed by (`session.coach.shortfall`: *meestal te kort*; one lift's: *te kort*), where
    known; none: []."""
    if not short:
        return []
    by = [text(("short_" if short > 1 else "missed_") + mostly, lang)] if mostly is not None else []
    return [text("err_short", lang, n=short)] + by


def no_mistake_text(short: int, lang: str, mostly: str | None = None) -> str:
    """What a session without a mistake counted says of it on one line: the lifts that missed their
    target, if any (*1 van 18 goed* and *Geen fouten* together read as a contradiction), and what
    they mostly missed by (`short_lines`), else *Geen fouten*."""
    return ", ".join(short_lines(short, mostly, lang)) or text("no_errors", lang)


def lifts_short(s: CoachSummary, holds_missed: int = 0) -> tuple[int, int, str | None]:
    """The lifts that fell short of done well with no mistake in them, of how many, and what most of
    them missed by: a training's `short` of its `lifts_asked` (`short_mostly`); an assessment's holds not
    counted in R (`holds_missed`) of its holds (those and R, `perfect.repetitions`), too brief -- above
    the endurance mark for less of the time than R asks (`session.assessment.counts_in_r`)."""
    if holds_missed:
        return holds_missed, holds_missed + s.perfect.repetitions, "brief"
    return s.short, s.lifts_asked, s.short_mostly


def mistake_share(s: CoachSummary, kind: str) -> float:
    """How often a mistake of `kind` came, in its chances: not let go of the repetitions judged for
    letting go (*Niet helemaal los 1/11*), the others of the contractions asked (lifts and quick
    squeezes); none asked (`ontspannen`), every one it came in."""
    n = getattr(s.errors, kind)
    chances = s.let_go_judged if kind == "not_let_go" and s.let_go_judged else s.lifts_asked + s.flicks
    return n / chances if chances else float(n > 0)


def advice_key(s: CoachSummary, holds_missed: int = 0) -> str:
    """The one line of advice, for the session's dominant problem: for a floor that did not let go after
    its lifts, the programme that teaches it (`ontspannen`), and in a programme that lifts nothing
    (`ontspannen` itself, or a physiotherapist's breathing-only file), `ontspannen` again; else for the
    most frequent mistake (a push, in a programme that lifts nothing, is told to let go) -- unless the
    most frequent is not letting go or the buttocks (`YIELDING_MISTAKES`) and the lifts that fell short with
    no mistake (`lifts_short`: an assessment's holds not counted in R, `holds_missed`) were a quarter or
    more of the lifts and more of theirs than the mistake was of its chances (`mistake_share`; as many: the
    mistake, how a lift is made before how far it got) -- one contraction in 11 not let go was the only
    advice beside 5 of 5 holds not held well, a physiotherapist's trial; then a push or a held breath that
    came is told all the same (`URGENT_MISTAKES`: letting them give way told pushers *Houd vol*, a
    review) --, a lift that came
    before the floor had let go, a tense floor, the knack (a cough not led: to squeeze just before
    it; each one led: to do so when sneezing, lifting, standing up too, 004's "net vóór een
    beweging"), holds mostly too short for a held breath to show (the brochures' "adem rustig door"
    then, rather than praise the analysis could not back), lifts of which fewer than half were
    done well (no praise for "2 van 24 goed": keep going), lifts of which a quarter or more missed
    their target with no mistake (*8x doel gemist / meestal te kort* beside *Goed zo!* read as
    mixed words: a trial) by what most of them missed by, or well done."""
    if let_go_first(s.relaxation_score):     # 004: "Bij (te) veel spanning focus je eerst op loslaten"
        return "advice_let_go_first" if s.contraction_score is not None else "advice_let_go_again"
    short_n, asked, short_mostly = lifts_short(s, holds_missed)
    keep_going = asked and s.perfect.repetitions < PRAISED_SHARE * asked
    short = short_mostly is not None and short_n >= SHORT_ADVISED_SHARE * asked
    counts = {kind: getattr(s.errors, kind) for kind in MISTAKE_KINDS}
    worst = max(MISTAKE_KINDS, key=lambda kind: counts[kind])     # (as `listed_mistakes` lists them first)
    if worst in YIELDING_MISTAKES and short and short_n > mistake_share(s, worst) * asked:
        worst = max(URGENT_MISTAKES, key=lambda kind: counts[kind])   # a push or a held breath is told still
    if counts[worst]:
        # (a programme that asks no lift is told to let go, not to lift: `ontspannen`)
        return "advice_bear_down_let_go" if worst == "bear_down" and s.contraction_score is None else "advice_" + worst
    if s.relaxation.wait_timeouts:
        return "advice_relax_first"
    if s.relaxation_score is not None and s.relaxation_score < 60.0:     # (let go, but mostly late: at once)
        return "advice_let_go_sooner" if s.slow_let_go >= 0.5 * s.let_go_judged else "advice_not_let_go"
    # holds too short for a held breath to show: instead of praise (before the knack's: lifts too short
    # to tell beside a cough were praised, a physiotherapist's trial; the knack holds none) -- not in
    # place of what the lifts missed by (*meestal te laag* with *Adem door* read as a held breath: a trial)
    if s.breath_mostly_not_judged and (s.knack or not (keep_going or short)):
        return "advice_breathe_short_holds"
    if s.knack:                              # 004: "activeer licht net vóór een beweging zoals
        missed = not all(k.led for k in s.knack)    # opstaan, tillen of hoesten"
        return "advice_knack_lead" if missed else "advice_knack_more"
    if keep_going:
        return "advice_keep_going"
    if short:
        return "advice_short_" + short_mostly
    return "advice_well_done"


def two_lines(line: str, size: int = ROW_SIZE) -> tuple[str, ...]:
    """`line` on one row of the end screen, or broken onto two where it is wider than a row at `size`
    (the large font: *Goed zo! Oefen elke dag*, 24 characters on one row, put its page in the small
    one: a trial) -- at a space, or after a hyphen (*Ga naar je bekken- / fysiotherapeut*): where both
    rows fit, after a sentence's mark if one such break has it (*Goed zo! / Oefen elke dag*), else the
    most even break."""
    row_px = WIDTH - 1
    breaks = [(line[:i], line[i + 1:]) for i, ch in enumerate(line) if ch == " "] \
        + [(line[:i + 1], line[i + 1:]) for i, ch in enumerate(line[:-1]) if ch == "-" and i]
    if summary_line_px(line, size) <= row_px or not breaks:
        return (line,)
    fitting = [b for b in breaks if all(summary_line_px(half, size) <= row_px for half in b)]
    marked = [b for b in fitting if b[0][-1] in SENTENCE_MARKS]
    return min(marked or fitting or breaks, key=lambda b: max(summary_line_px(half, size) for half in b))

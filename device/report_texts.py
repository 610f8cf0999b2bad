"""The report's words, Dutch first, English second (`device.texts` has the screen's; the
report uses those too where it says what the screen says: a warning, a mistake counted,
a level). Placeholders use str.format fields, as there.

The numbers in the explanations come from their owners (`session.levels`,
`session.assessment`, `session.progression`, `session.advice`, `session.adherence`), so
the page explains the rules the device really applies.
"""

from __future__ import annotations

import datetime

from device.texts import counted, text

MONTHS = {"nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}


def day_text(day: datetime.date, lang: str, *, year: bool = True) -> str:
    """A day as the page shows it: *5 dec 2026* (a Dutch reader's order, the month named, so
    that no reader takes 05-12 for May)."""
    shown = f"{day.day} {MONTHS[lang][day.month - 1]}"
    return f"{shown} {day.year}" if year else shown


def time_text(moment: datetime.datetime, lang: str) -> str:
    """A moment to the minute: *5 dec 2026 08:48*."""
    return f"{day_text(moment.date(), lang)} {moment:%H:%M}"


def week_text(year: int, week: int, lang: str, first: datetime.date | None = None,
              last: datetime.date | None = None) -> str:
    """An ISO week by its days: *wk 49: 30 nov – 6 dec* (the week's number, which a Dutch
    calendar shows, and the days it holds; the years only across a new year, *wk 1: 29 dec 2025
    – 4 jan 2026*: the page's period says the year, and the week's table stays narrow). A week
    the period (`first` to `last`, None: open) cuts shows its days in the period, marked: *wk 1:
    5 jan – 10 jan (deel)*, one day alone *wk 49: 6 dec (deel)* -- its goal is its days' in the period."""
    monday = datetime.date.fromisocalendar(year, week, 1)
    sunday = monday + datetime.timedelta(days=6)
    shown = (max(monday, first or monday), min(sunday, last or sunday))
    years = shown[0].year != shown[1].year
    part = f" {words('week_part', lang)}" if shown != (monday, sunday) else ""
    days = day_text(shown[0], lang, year=years) if shown[0] == shown[1] \
        else f"{day_text(shown[0], lang, year=years)} – {day_text(shown[1], lang, year=years)}"
    return f"{words('week_label', lang, week=week)}: {days}{part}"


# the mistakes by kind (session.coach.MISTAKE_KINDS), as a column or a legend names them: the
# screen's words for them (device.texts' err_*), without the count
MISTAKE_NAMES = {
    "bear_down": {"nl": "geperst", "en": "pushed"},
    "breath_hold": {"nl": "adem ingehouden", "en": "breath held"},
    "not_let_go": {"nl": "niet helemaal los", "en": "not fully let go"},
    "glute": {"nl": "billen gebruikt", "en": "used buttocks"},
    "no_lift": {"nl": "niet opgetild", "en": "did not lift"},
}
# ... and the lifts let go in the end but late, no mistake (the screen's *Traag losgelaten 24/24*)
SLOW_LET_GO_NAME = {"nl": "traag losgelaten", "en": "slow to let go"}

# a repetition's kind (its step's, session.programme; "lift+floor" for floors scored together)
STEP_NAMES = {
    "lift": {"nl": "vasthouden", "en": "hold"},
    "flick": {"nl": "snel", "en": "quick"},
    "floor": {"nl": "verdieping", "en": "floor"},
    "lift+floor": {"nl": "verdiepingen", "en": "floors"},
    "cough": {"nl": "hoesten", "en": "cough"},
    "breathe": {"nl": "ademen", "en": "breathing"},
}
# an assessment's part (session.programme.ASSESS_PARTS) that names its repetition otherwise than its
# step's kind does: the endurance minute is a lift, held as long as it lasts, not one more hold
PART_NAMES = {
    "endurance": {"nl": "volhoudminuut", "en": "endurance minute"},
}

REPORT_TEXTS: dict[str, dict[str, str]] = {
    "title": {"nl": "Bekkenbodemtraining: verslag voor de bekkenfysiotherapeut",
              "en": "Pelvic floor training: report for the pelvic physiotherapist"},
    # who and what
    "who": {"nl": "Wie en wat", "en": "Who and what"},
    "person_label": {"nl": "Persoon", "en": "Person"},
    "device": {"nl": "Apparaat", "en": "Device"},
    "software": {"nl": "Software", "en": "Software"},
    "period": {"nl": "Periode", "en": "Period"},
    "period_value": {"nl": "{first} t/m {last}", "en": "{first} to {last}"},
    "made": {"nl": "Gemaakt", "en": "Made"},
    "sessions_kept": {"nl": "Sessies", "en": "Sessions"},
    # the assessments are among the completed sessions (a meting is a session): said inside them
    "sessions_value": {"nl": "{done} afgerond ({assessments}), {stopped} onderbroken",
                       "en": "{done} completed ({assessments}), {stopped} interrupted"},
    "sessions_value_running": {"nl": "{done} afgerond ({assessments}), {stopped} onderbroken, {running} bezig",
                               "en": "{done} completed ({assessments}), {stopped} interrupted, {running} in progress"},
    "assessments_0": {"nl": "geen metingen", "en": "no assessments"},
    "assessments_1": {"nl": "waarvan 1 meting", "en": "1 of them an assessment"},
    "assessments_n": {"nl": "waarvan {n} metingen", "en": "{n} of them assessments"},
    "daily_goal": {"nl": "Doel", "en": "Goal"},
    "daily_goal_value": {"nl": "{sessions} en {contractions} aanspanningen per dag",
                         "en": "{sessions} and {contractions} contractions a day"},
    # ... where some weeks trained letting go only, and where all did (an over-tense floor's `ontspannen`)
    "daily_goal_value_some": {"nl": "{sessions} en {contractions} aanspanningen per dag; geen aanspanningen in een "
                                    "week van alleen ontspannen",
                              "en": "{sessions} and {contractions} contractions a day; none in a week of letting "
                                    "go only"},
    "daily_goal_value_let_go": {"nl": "{sessions} per dag; alleen ontspannen getraind: geen aanspanningen gevraagd",
                                "en": "{sessions} a day; letting go only: no contractions asked"},
    "goal_sessions_1": {"nl": "1 sessie", "en": "1 session"},
    "goal_sessions_n": {"nl": "{n} sessies", "en": "{n} sessions"},
    "no_sessions": {"nl": "Geen sessies in deze periode.", "en": "No sessions in this period."},
    "maximum_title": {"nl": "Gekalibreerd maximum", "en": "Calibrated maximum"},
    "maximum_about": {"nl": "Het maximum van de dag (de beste van drie maximale aanspanningen); alle doelen "
                            "zijn een percentage daarvan; bij een meting opnieuw gemeten (P).",
                      "en": "The day's maximum (the best of three maximal lifts), which every target is a % "
                            "of; measured anew in each assessment (P)."},
    "no_maximum": {"nl": "Geen maximum gemeten in deze periode.", "en": "No maximum measured in this period."},
    # what is missing
    "missing_title": {"nl": "Wat ontbreekt", "en": "What is missing"},
    "missing_about": {"nl": "Dit verslag is gemaakt van wat leesbaar was; dit niet:",
                      "en": "This report was made from what could be read; not from this:"},
    "no_session": {"nl": "sessie {id} bestaat niet (of is van een ander)",
                   "en": "there is no session {id} (or it is someone else's)"},
    "damaged_summary": {"nl": "sessie {id}: de samenvatting is beschadigd of ontbreekt; alleen de herhalingen tellen",
                        "en": "session {id}: its summary is damaged or missing; only its repetitions count"},
    "damaged_start": {"nl": "sessie {id}: het begin ({start}) is geen datum waarop een sessie kan zijn begonnen "
                            "(een klok die niet gelijk stond?); de sessie is weggelaten",
                      "en": "session {id}: its start ({start}) is no date a session can have begun on (a clock "
                            "that was not set?); the session is left out"},
    "damaged_assessment": {"nl": "meting in sessie {id}: de uitkomst is beschadigd en weggelaten",
                           "en": "assessment in session {id}: its figures are damaged and left out"},
    "no_recording": {"nl": "sessie {id}: geen opname bewaard", "en": "session {id}: no recording kept"},
    "recording_missing": {"nl": "sessie {id}: de opname {name} ontbreekt op de schijf",
                          "en": "session {id}: its recording {name} is missing from the disk"},
    "recording_damaged": {"nl": "sessie {id}: de opname is beschadigd (de melding, in het Engels: {why})",
                          "en": "session {id}: its recording is damaged ({why})"},
    "recording_empty": {"nl": "sessie {id}: de opname bevat geen meetwaarden",
                        "en": "session {id}: its recording holds no samples"},
    "stopped_at_start": {"nl": "sessie {id} stopte vóór de eerste meetwaarde",
                         "en": "session {id} stopped before its first sample"},
    "still_recording": {"nl": "sessie {id} is bezig (de opname wordt nog geschreven)",
                        "en": "session {id} is in progress (its recording is still being written)"},
    "bad_programmes": {"nl": "een programmabestand is niet gebruikt (de melding, in het Engels: {why})",
                       "en": "a programme file is not used ({why})"},
    "refused_programme": {"nl": "programma '{name}': zijn bestand is hierboven genoemd en niet gebruikt; de titel "
                                "en de niveaus ontbreken",
                          "en": "programme '{name}': its file, named above, is not used; its title and levels are "
                                "missing"},
    "unknown_programme": {"nl": "programma '{name}': hier niet bekend (zijn bestand staat niet in [session] "
                                "programs_dir); de titel en de niveaus ontbreken",
                          "en": "programme '{name}': not known here (its file is not in [session] programs_dir); "
                                "its title and levels are missing"},
    # the advice
    "advice_title": {"nl": "Advies volgens folder 004: naar een bekkenfysiotherapeut",
                     "en": "Advice by brochure 004: see a pelvic physiotherapist"},
    "advice_applies": {"nl": "Op {day} geldt de regel van folder 004 (\"Blijft er binnen 4 tot 6 weken geen "
                             "verbetering ..., dan zoek je hulp\"): in minstens {regular} van de laatste {weeks} "
                             "weken op minstens {days} dagen getraind, twee metingen minstens {apart} dagen uit "
                             "elkaar, en geen verbetering groter dan de spreiding van de meting zelf.",
                       "en": "On {day} brochure 004's rule applies (\"If there is no improvement within 4 to 6 "
                             "weeks ..., seek help\"): trained on at least {days} days in at least {regular} of the "
                             "last {weeks} weeks, two assessments at least {apart} days apart, and no improvement "
                             "beyond the measurement's own spread."},
    # when a rule applies: on a day, and since when it has on every day up to it
    "advice_on": {"nl": "Op {day}", "en": "On {day}"},
    "advice_since": {"nl": "Op {day} (al sinds {since})", "en": "On {day} (since {since})"},
    "advice_let_go_applies": {"nl": "{when} geldt het advies van folder 004 voor een te gespannen bekkenbodem (\"De "
                                    "oplossing draait om loslaten ..., liefst met begeleiding van een "
                                    "bekkenfysiotherapeut\"): Ontspannen sinds minstens {span} dagen geoefend, op "
                                    "minstens {days} van de laatste {span} dagen, en in die sessies lukte het loslaten niet "
                                    "(loslaten onder {relax:g} %; hooguit een op de acht wel, de laatste niet) -- of dat gold in de "
                                    "{stands} dagen ervoor en sindsdien lukte het in geen sessie.",
                              "en": "{when} brochure 004's advice for an over-tense floor applies (\"The solution "
                                    "is letting go ..., preferably guided by a pelvic physiotherapist\"): Letting go "
                                    "practised for at least {span} days, on at least {days} of the last {span} days, "
                                    "and in those sessions letting go did not work (letting go under {relax:g} %; "
                                    "at most one in eight did, not the last) -- or that held in the {stands} days before and no session "
                                    "has let go since."},
    "advice_bear_down_applies": {"nl": "Op {day} geldt het advies van folder 004 voor een bekkenbodem die "
                                       "perst (\"Vermijd persen; vraag zonodig bekkenfysiotherapeutische "
                                       "begeleiding\"): in de laatste {span} dagen {sessions} sessies of meer met "
                                       "aanspanningen, op minstens {days} dagen over minstens {apart} dagen, en in elk "
                                       "daarvan minstens eens per twee herhalingen gewaarschuwd voor persen.",
                                 "en": "On {day} brochure 004's advice for a floor that bears down applies "
                                       "(\"Avoid pushing; seek a pelvic physiotherapist's guidance where needed\"): "
                                       "in the last {span} days {sessions} or more sessions of lifts, on at least "
                                       "{days} days over at least {apart} days, and in each of them a push warned at "
                                       "least once per two repetitions."},
    # the rule as the device applies it, in the words of `advice_applies` (*na 6 weken* beside 004's *binnen 4
    # tot 6 weken* and the README's two assessments four weeks apart read as three rules: a trial)
    "advice_not": {"nl": "Het advies van folder 004 (op minstens {days} dagen getraind in minstens {regular} van de "
                         "laatste {weeks} weken, twee metingen in die weken minstens {apart} dagen uit elkaar en geen "
                         "verbetering: naar een bekkenfysiotherapeut) geldt op {day} niet.",
                   "en": "Brochure 004's advice (trained on at least {days} days in at least {regular} of the last "
                         "{weeks} weeks, two assessments in those weeks at least {apart} days apart and no "
                         "improvement: see a pelvic physiotherapist) does not apply on {day}."},
    "red_flags": {"nl": "Het apparaat stelt geen diagnose. Direct naar de huisarts of bekkenfysiotherapeut bij "
                        "pijn, bloedverlies, koorts, plots urineverlies of niet kunnen plassen.",
                  "en": "The device makes no diagnosis. See a doctor or pelvic physiotherapist at once in case of pain, "
                        "blood loss, fever, sudden incontinence or not being able to pass urine."},
    # the assessments
    "assessments_title": {"nl": "Metingen (PERFECT)", "en": "Assessments (PERFECT)"},
    "no_assessments": {"nl": "Geen metingen in deze periode.", "en": "No assessments in this period."},
    "next_assessment": {"nl": "De volgende meting stelt het apparaat voor vanaf {day} (elke {every} dagen).",
                        "en": "The device proposes the next assessment from {day} (every {every} days)."},
    "next_assessment_waits": {"nl": "De volgende meting stelt het apparaat niet voor zolang alleen loslaten geoefend "
                                    "wordt.",
                              "en": "The device proposes no assessment while letting go alone is practised."},
    "relaxation_title": {"nl": "Metingen: rust en loslaten", "en": "Assessments: rest and letting go"},
    "col_date": {"nl": "datum", "en": "date"},
    "col_session": {"nl": "sessie", "en": "session"},
    "col_p": {"nl": "P kPa", "en": "P kPa"},
    "col_p_first": {"nl": "P % 1e", "en": "P % 1st"},
    "col_e": {"nl": "E s", "en": "E s"},
    "col_e_half": {"nl": "E½ s", "en": "E½ s"},
    "col_r": {"nl": "R", "en": "R"},
    "col_f": {"nl": "F", "en": "F"},
    "col_ect": {"nl": "ECT", "en": "ECT"},
    "col_hold_mean": {"nl": "vasth. gem. %", "en": "hold mean %"},
    "col_hold_peak": {"nl": "vasth. piek %", "en": "hold peak %"},
    "col_steadiness": {"nl": "stabiel", "en": "steady"},
    "col_slope": {"nl": "helling %/min", "en": "slope %/min"},
    "col_flick_peak": {"nl": "snel: piek s", "en": "flick: peak s"},
    "col_flick_release": {"nl": "snel: los s", "en": "flick: release s"},
    "col_released": {"nl": "los: vol/deels/niet", "en": "let go: full/part/none"},
    "col_rest_sd": {"nl": "rust {when}: sd %", "en": "rest {when}: sd %"},
    "col_rest_tone": {"nl": "rust {when}: tonus kPa", "en": "rest {when}: tone kPa"},
    "col_rest_breath": {"nl": "rust {when}: adem kPa", "en": "rest {when}: breath kPa"},
    "before": {"nl": "voor", "en": "before"},
    "after": {"nl": "na", "en": "after"},
    # training
    "training_title": {"nl": "Training per week", "en": "Training per week"},
    "col_week": {"nl": "week", "en": "week"},
    "col_days": {"nl": "dagen", "en": "days"},
    "col_sessions_goal": {"nl": "sessies/doel", "en": "sessions/goal"},
    "col_contractions_goal": {"nl": "aanspanningen/doel", "en": "contractions/goal"},
    "col_short": {"nl": "doel gemist", "en": "target missed"},     # lifts short of done well, no mistake
    # lifts begun on the exhale, of those whose start could be placed in the breath (`lifts_timed`)
    "exhale_title": {"nl": "Optillen op de uitademing", "en": "Lifting on the exhale"},
    "col_on_exhale": {"nl": "op uitademing/beoordeeld", "en": "on the exhale/judged"},
    "col_on_exhale_pct": {"nl": "op uitademing %", "en": "on the exhale %"},
    "no_lifts_asked": {"nl": "Alleen ontspannen getraind: geen sessie vroeg om aan te spannen, dus geen doel van "
                             "aanspanningen.",
                       "en": "Letting go only: no session asked for a contraction, so no goal of contractions."},
    # held breaths where fewer holds were judged than made (session.coach.breath_judged_part)
    "breath_judged_of": {"nl": "{n} van {judged} beoordeeld", "en": "{n} of {judged} judged"},
    "breath_not_judged": {"nl": "niet beoordeeld", "en": "not judged"},
    "col_levels": {"nl": "getraind op niveau", "en": "trained at level"},   # (a rise after the week's last: the next's)
    "week_label": {"nl": "wk {week}", "en": "wk {week}"},
    "week_part": {"nl": "(deel)", "en": "(part)"},          # a week the period cuts: its days in it alone
    "levels_title": {"nl": "Niveaus", "en": "Levels"},
    "level_now": {"nl": "{programme}: nu niveau {level} van {of} ({words})",
                  "en": "{programme}: now level {level} of {of} ({words})"},
    "errors_title": {"nl": "Fouten per week", "en": "Mistakes per week"},
    "scores_title": {"nl": "Scores per programma", "en": "Scores by programme"},
    "strength_programmes": {"nl": "Aanspannen (kracht, uithouding, snelheid, coördinatie)",
                            "en": "Contracting (strength, endurance, speed, coordination)"},
    "scores_how": {"nl": "Per programma: aanspannen, ontspannen en kracht % gemiddeld over de sessies; kracht kPa "
                         "en vastgehouden s de mediaan van de sessies, niet de beste (die van één ongewone dag). "
                         "Kracht: de hoogste aanspanning van een sessie zonder de billen, ook een snel knijpje na "
                         "het vasthouden.",
                   "en": "Per programme: contraction, relaxation and power % the mean over its sessions; power kPa "
                         "and held s the median of its sessions, not the best (one unusual day's). Power: a "
                         "session's highest contraction without the buttocks, a quick squeeze after a hold too."},
    "relaxation_programmes": {"nl": "Ontspannen (loslaten)", "en": "Relaxation (letting go)"},
    "col_programme": {"nl": "programma", "en": "programme"},
    "col_sessions": {"nl": "sessies", "en": "sessions"},
    "col_contraction": {"nl": "aanspannen", "en": "contraction"},
    "col_relaxation": {"nl": "ontspannen", "en": "relaxation"},
    "col_power": {"nl": "kracht kPa", "en": "power kPa"},
    "col_power_pct": {"nl": "kracht %", "en": "power %"},
    "col_endurance": {"nl": "vastgehouden s", "en": "held s"},
    "col_with_breath": {"nl": "met de adem %", "en": "with the breath %"},
    "col_level": {"nl": "niveau", "en": "level"},
    # ... in a report of a period before the last session: its last session's there, not today's
    "col_level_last": {"nl": "niveau laatste sessie", "en": "level last session"},
    "no_training": {"nl": "Geen afgeronde sessies van dit soort.", "en": "No completed sessions of this kind."},
    # one session
    "sessions_title": {"nl": "Sessies", "en": "Sessions"},
    "session_head": {"nl": "Sessie {id}: {programme}, {start}", "en": "Session {id}: {programme}, {start}"},
    "session_facts": {"nl": "{minutes} min, {reps}", "en": "{minutes} min, {reps}"},
    "reps_1": {"nl": "1 herhaling", "en": "1 repetition"},
    "reps_n": {"nl": "{n} herhalingen", "en": "{n} repetitions"},
    "interrupted": {"nl": "onderbroken", "en": "interrupted"},
    "in_progress": {"nl": "bezig", "en": "in progress"},
    "at_level": {"nl": "niveau {level}", "en": "level {level}"},
    "exhale_lifts": {"nl": "op uitademing: {lifts}", "en": "on the exhale: {lifts}"},   # of the lifts timed
    # a session of letting go only: how much of its floor's movement in each paced breath was the breath's
    "with_breath_fact": {"nl": "met de adem: {pct}", "en": "with the breath: {pct}"},
    # a session that scored nothing: stopped before its first repetition, or one of rest steps only
    "stopped_unscored": {"nl": "gestopt voor de eerste herhaling: niets gescoord",
                         "en": "stopped before the first repetition: nothing scored"},
    "scored_nothing": {"nl": "niets gescoord", "en": "nothing scored"},
    "mistakes_not_kept": {"nl": "fouten niet bewaard", "en": "mistakes not kept"},     # (its summary cannot be read)
    # the session's pauses by why they began (`pauses_said`): in the report's facts and `history`
    "paused": {"nl": "gepauzeerd: {reasons}", "en": "paused: {reasons}"},
    "pause_stood_up": {"nl": "{n}x opgestaan", "en": "stood up {n}x"},
    "pause_button": {"nl": "{n}x met OK", "en": "with OK {n}x"},
    "pause_sensor": {"nl": "{n}x sensorfout", "en": "sensor fault {n}x"},
    "pause_other": {"nl": "{n}x anders", "en": "other {n}x"},
    # under the week table: the sessions its person stood up in
    "stood_up_in": {"nl": "Opgestaan tijdens de sessie (gepauzeerd): {sessions}.",
                    "en": "Stood up during the session (paused): {sessions}."},
    "trained_as_in": {"nl": "Getraind als persoon {n} en hierheen verplaatst (pftrainer move): {sessions}.",
                      "en": "Trained as person {n} and moved here (pftrainer move): {sessions}."},
    "session_on": {"nl": "sessie {id} ({day})", "en": "session {id} ({day})"},
    # the quick squeezes made, after a repetition's hold too, and those reaching half the maximum (F)
    # the coughs squeezed for in time (the knack), of those asked
    "knack_fact": {"nl": "op tijd aangespannen: {led} van {coughs}", "en": "squeezed in time: {led} of {coughs}"},
    "squeezes_fact": {"nl": "snelle knijpjes: {made}, {fast} tot ≥ 50 %",
                      "en": "quick squeezes: {made}, {fast} to ≥ 50 %"},
    "n_of": {"nl": "{n} van {of}", "en": "{n} of {of}"},
    "exhale_not_judged": {"nl": "niet beoordeeld", "en": "not judged"},     # no lift's start placed in the breath
    "off_ladder": {"nl": "({asks}, niet in de niveaus van nu)", "en": "({asks}, not among today's levels)"},
    "asked_relax": {"nl": "{s} s ontspannen", "en": "relax {s} s"},    # a level's relax steps, after its asks
    "no_curve": {"nl": "Geen drukcurve: {why}.", "en": "No pressure curve: {why}."},
    "no_cues": {"nl": "De tijden van de aanwijzingen zijn voor deze sessie niet bewaard; waarschuwingen staan "
                      "er wel in (wanneer het apparaat ze gaf).",
                "en": "The cues' times were not kept for this session; warnings are marked (when the device "
                      "gave them)."},
    "no_reps": {"nl": "Geen herhalingen gescoord.", "en": "No repetitions scored."},
    "col_rep": {"nl": "herh.", "en": "rep"},
    "col_kind": {"nl": "soort", "en": "kind"},
    "col_target": {"nl": "doel %", "en": "target %"},
    "col_reached": {"nl": "bereikt %", "en": "reached %"},
    "col_to_target": {"nl": "tot doel s", "en": "to target s"},
    "col_held": {"nl": "vastgeh. s", "en": "time held s"},
    "col_remarks": {"nl": "opmerkingen", "en": "remarks"},
    "col_let_go": {"nl": "los na s", "en": "let go s"},
    "col_residual": {"nl": "rest %", "en": "residual %"},
    # a session of letting go only: the cue *Laat los* (the screen's words), how often it was given
    "col_let_go_cues": {"nl": "'{cue}' gezegd", "en": "'{cue}' said"},
    "remark_pushed": {"nl": "geperst", "en": "pushed"},
    "remark_wrong_direction": {"nl": "verkeerde richting", "en": "wrong direction"},
    "remark_glute": {"nl": "billen", "en": "buttocks"},
    "remark_held_breath": {"nl": "adem ingehouden", "en": "breath held"},
    "remark_on_exhale": {"nl": "op uitademing", "en": "on the exhale"},
    "remark_on_inhale": {"nl": "op inademing", "en": "on the inhale"},
    # an assessment's endurance minute: its time held is E, its score counts the band
    "remark_endurance": {"nl": "vastgeh. = E (boven {pct:g} %), in de band {s} s",
                         "en": "time held = E (above {pct:g} %), in the band {s} s"},
    "remark_no_endurance": {"nl": "E niet bewaard, in de band {s} s", "en": "E not kept, in the band {s} s"},
    "remark_hold_r": {"nl": "vastgeh. = boven {pct:g} % (telt voor R), in de band {s} s",
                      "en": "time held = above {pct:g} % (counts for R), in the band {s} s"},
    # ... with the seconds R asks of each hold kept (from 8 Dec 2026: `repetition_hold_s`)
    "remark_hold_r_needs": {"nl": "vastgeh. = boven {pct:g} % (R vraagt {need} s), in de band {s} s",
                            "en": "time held = above {pct:g} % (R asks {need} s), in the band {s} s"},
    "remark_knack": {"nl": "{lead} s voor de hoest aangespannen, vastgehouden",
                     "en": "lifted {lead} s before the cough, kept"},
    "remark_knack_let_go": {"nl": "{lead} s voor de hoest aangespannen, losgelaten met de hoest",
                            "en": "lifted {lead} s before the cough, let go with it"},
    "remark_knack_late": {"nl": "te laat aangespannen ({lead} s voor de hoest)",
                          "en": "lifted too late ({lead} s before the cough)"},
    "remark_knack_after": {"nl": "pas {lag} s na de hoest aangespannen", "en": "lifted only {lag} s after the cough"},
    "remark_no_knack": {"nl": "niet aangespannen voor de hoest", "en": "no lift before the cough"},
    # the plots
    "axis_kpa": {"nl": "kPa", "en": "kPa"},
    "axis_s": {"nl": "s", "en": "s"},
    "axis_count": {"nl": "aantal", "en": "count"},
    "axis_score": {"nl": "score (0-100)", "en": "score (0-100)"},
    "axis_date": {"nl": "datum", "en": "date"},
    "axis_time": {"nl": "tijd in de sessie (s)", "en": "time in the session (s)"},
    "axis_pressure": {"nl": "druk (kPa); omlaag = optillen", "en": "pressure (kPa); down = lift"},
    "plot_maximum": {"nl": "maximum van de dag", "en": "the day's maximum"},
    "plot_p": {"nl": "P: maximum (kPa)", "en": "P: maximum (kPa)"},
    "plot_e": {"nl": "E: volgehouden (s)", "en": "E: held on (s)"},
    "plot_e65": {"nl": "boven {pct:g} %", "en": "above {pct:g} %"},
    "plot_rf": {"nl": "R en F (aantal)", "en": "R and F (count)"},
    "plot_r": {"nl": "R: 10 s goed", "en": "R: 10 s holds good"},
    "plot_f": {"nl": "F: snel ≥ {pct:g} %", "en": "F: quick ≥ {pct:g} %"},
    "plot_rest": {"nl": "rust (kPa)", "en": "rest (kPa)"},
    "plot_tone": {"nl": "tonus {when}", "en": "tone {when}"},
    "plot_breath": {"nl": "adem {when}", "en": "breath {when}"},
    "plot_sessions": {"nl": "sessies per week", "en": "sessions per week"},
    "plot_contractions": {"nl": "aanspanningen per week", "en": "contractions per week"},
    "plot_goal": {"nl": "doel", "en": "goal"},
    "plot_strength_scores": {"nl": "aanspannen: score per sessie", "en": "contracting: score per session"},
    "plot_relaxation_scores": {"nl": "ontspannen: score per sessie", "en": "relaxation: score per session"},
    "plot_pause": {"nl": "pauze", "en": "pause"},
    "plot_lift_cue": {"nl": "aanwijzing: optillen", "en": "cue: lift"},
    "plot_hold_cue": {"nl": "aanwijzing: vasthouden", "en": "cue: hold"},
    "plot_let_go_cue": {"nl": "aanwijzing: loslaten", "en": "cue: let go"},
    "plot_contraction": {"nl": "aanspanning", "en": "contraction"},
    "plot_event": {"nl": "gezien: {what}", "en": "seen: {what}"},
    # the explanations
    "explain_title": {"nl": "Wat de getallen betekenen", "en": "What the numbers mean"},
    "explain_kpa": {"nl": "kPa en %: de druk op het perineale kussen. Optillen verlaagt de druk, persen verhoogt "
                          "hem. Doelen en niveaus zijn in % van het maximum van de dag.",
                    "en": "kPa and %: the pressure on the perineal cushion. A lift lowers it, pushing raises it. "
                          "Targets and levels are % of the day's maximum."},
    "explain_contraction": {"nl": "Aanspannen (0-100): per herhaling hoe dicht het vastgehouden niveau bij het doel "
                                  "bleef (band ±{band:g} %), hoe lang het vastgehouden werd, hoe stabiel en hoe snel "
                                  "het doel bereikt werd; persen geeft 0, billen gebruiken halveert de score. "
                                  "Vastgehouden: in de band; in de training, bij 'zo krachtig mogelijk' met een "
                                  "gevraagde tijd, boven {endurance:g} % van het maximum als de aanspanning de band "
                                  "van het doel haalde (vanaf {aim:g} %) of hoogstens {drop:g} punten lager kwam dan de "
                                  "laatste zo getelde of de laatste maximale aanspanning van de sessie (een "
                                  "bekkenbodem die "
                                  "moe wordt; het uithoudingsvermogen van Laycock, zie E); niet met de billen. De "
                                  "score van de meting telt de band; haar E en R tellen boven {endurance:g} %. "
                                  "Goed uitgevoerd: een score van minstens {good:g}, de adem niet ingehouden en "
                                  "minstens {held:g} % van de gevraagde tijd vastgehouden ({paced:g} % bij het zachte "
                                  "optillen op een begeleide uitademing; die eis vervalt waar geen "
                                  "tijd gevraagd wordt: een snelle aanspanning, 'zo lang mogelijk').",
                            "en": "Contraction (0-100): per repetition how close the held level stayed to the "
                                  "target (band ±{band:g} %), how long it was held, how steady and how "
                                  "quickly the target was reached; pushing scores 0, using the buttocks halves it. "
                                  "Held: in the band; in training, 'as hard as you can' for a time asked, above "
                                  "{endurance:g} % of the maximum when the lift reached the target's band (from "
                                  "{aim:g} %) or peaked at most {drop:g} points below the last lift so counted or the "
                                  "session's last maximal lift (a floor tiring; Laycock's endurance, see E); not with "
                                  "the buttocks. The assessment's score counts the band; its E and R count above "
                                  "{endurance:g} %. "
                                  "Done well: a score of at least {good:g}, the breath not held, and held at least "
                                  "{held:g} % of the time asked ({paced:g} % for the gentle lifts on a paced "
                                  "exhale; no such condition where no time is "
                                  "asked: a quick squeeze, 'as long as possible')."},
    "explain_relaxation": {"nl": "Ontspannen (0-100): na een aanspanning hoe snel en hoe volledig de bekkenbodem "
                                 "losliet "
                                 "(terug tot minder dan {let_go:g} % van het maximum boven rust); in Ontspannen het "
                                 "deel van de tijd losgelaten, elk moment geteld naar hoe vrij de bekkenbodem toen "
                                 "met de "
                                 "adem meebewoog. Daar ook: met de adem % (hoeveel van de "
                                 "beweging van de bekkenbodem bij elke begeleide ademhaling die van de adem was: een "
                                 "vrije bekkenbodem beweegt mee, een gespannen bekkenbodem nauwelijks).",
                           "en": "Relaxation (0-100): after a contraction how quickly and how fully the floor let "
                                 "go (back to less than {let_go:g} % of the maximum above rest); in Letting go the "
                                 "share of the time let go, each moment counted by how freely the floor then moved "
                                 "with the breath. There also: with the breath % (how much of the floor's "
                                 "movement in each paced breath was the breath's: a free floor moves with it, a "
                                 "tense one hardly)."},
    "explain_reps": {"nl": "Per herhaling: doel % (de gevraagde hoogte; bij de verdiepingen die van de eerste) en "
                           "bereikt % (de hoogste), in % van het maximum; tot doel s: van de aanwijzing tot het "
                           "niveau in de band was (bij ademen: vanaf het begin van de uitademing); vastgeh. s: de "
                           "tijd vastgehouden (zie Aanspannen), opgeteld (bij de verdiepingen over alle); "
                           "stabiel: 1 = zonder schommelen vastgehouden, 0 = een spreiding (sd) van {unsteady} % van "
                           "het maximum of meer; los na s: van 'laat los' tot het niveau weer minder dan {let_go} % "
                           "van het maximum boven rust lag (bij ademen: van het begin van de stap tot de eerste keer "
                           "los in een inademing); rest %: het niveau "
                           "boven rust in de laatste {tail} s van het loslaten, of de laatste ademhaling als die langer is en de stap er twee duurt (bij ademen: in de tweede helft van "
                           "elke inademing), in % van het maximum; opmerkingen: wat misging (verkeerde kant op, "
                           "geperst, billen, adem ingehouden), 'op uitademing' als de aanspanning op een uitademing "
                           "begon (zoals 'Adem uit, til op' vraagt) en 'op inademing' als ze op een inademing begon "
                           "(geen van beide waar het begin niet in de adem te plaatsen was: kort na persen, hoesten "
                           "of verschuiven), bij hoesten hoe de knijp bij de hoest ging; bij de volhoudminuut van een "
                           "meting is vastgeh. s E (de seconden boven {endurance:g} %, als in de tabel van de "
                           "metingen), bij haar 10 s vasthouden de seconden boven {endurance:g} % die R telt, en "
                           "zegt de opmerking de tijd in de band, die de score telt; leeg: niets op te merken.",
                     "en": "Per repetition: target % (the level asked; in the floors, the first one's) and reached % "
                           "(the highest), in % of the maximum; to target s: from the cue until the level was in the "
                           "band (breathing: from the start of the exhale); time held s: the time held (see "
                           "Contraction), added up (in the floors, over all of them); steady: 1 = held without "
                           "wavering, 0 = a spread (sd) of {unsteady} % of the maximum or more; let go s: from "
                           "'let go' until the level was less than {let_go} % of the maximum above rest again "
                           "(breathing: from the start of the step to the first time let go in an inhale); "
                           "residual %: the level above rest in the last {tail} s of letting go, or its last breath "
                           "where that is longer and the step lasts two "
                           "(breathing: in the second half of each inhale), in % of the maximum; remarks: what went "
                           "wrong (the wrong way, pushed, buttocks, breath held), 'on the exhale' where the lift "
                           "began on an exhale (as 'Breathe out, lift' asks) and 'on the inhale' where it began on "
                           "an inhale (neither where its start could not be placed in the breath: just after a push, "
                           "a cough or a shift on the seat), for a cough how the lift went with it; in an "
                           "assessment's endurance minute, time held s is E (the seconds above {endurance:g} %, as in "
                           "the assessments' table), in its 10 s holds the seconds above {endurance:g} % that R "
                           "counts, and the remark says the time in the band, which the score counts; empty: "
                           "nothing to remark."},
    "explain_let_go_reps": {"nl": "Per herhaling in Ontspannen, dat om geen aanspanning vraagt: met de adem %: zie "
                                  "Ontspannen ('-': geen begeleide ademhaling te beoordelen; in elk ervan kwam een "
                                  "aanspanning, persen, hoest of verschuiving); gezien: aanspanning: hoe vaak de "
                                  "analyse een aanspanning zag beginnen (de groene banden in de drukcurve): "
                                  "spanning die terugkwam; gezien: adem ingehouden: hoe vaak de adem in zo'n "
                                  "aanspanning de druk nauwelijks meer bewoog (de paarse banden): een ingehouden "
                                  "adem, of een bekkenbodem die zo vastzet dat hij niet meer met de adem meebeweegt "
                                  "-- op het kussen niet te onderscheiden; het apparaat waarschuwt er hier niet voor "
                                  "(er wordt niets vastgehouden), dus het staat niet bij de fouten; '{cue}' gezegd: "
                                  "hoe vaak het apparaat '{cue}' zei (spanning die {tense:g} s terug was, of een "
                                  "begeleide ademhaling waarin de bekkenbodem minder dan {low:g} % met de adem "
                                  "meebewoog; hooguit elke {repeat:g} s, op de uitademing); ontspannen: de score (zie "
                                  "Ontspannen); opmerkingen: niet helemaal los (zie Fouten), geperst. Niet in deze "
                                  "tabel: de tijd tot los na '{cue}', het deel van de tijd op het rustniveau en de "
                                  "tonus: gemeten tegen het eigen meest ontspannen niveau lezen ze bij een "
                                  "bekkenbodem die nooit loslaat als los (summary.json bewaart ze).",
                            "en": "Per repetition in Letting go, which asks for no contraction: with the breath %: "
                                  "see Relaxation ('-': no paced breath to judge; a contraction, a push, a cough or a "
                                  "shift on the seat came in each); seen: contraction: how many times the analysis saw "
                                  "a contraction begin (the green bands on the pressure curve): tension coming back; "
                                  "seen: breath held: how many times, in such a contraction, the breath hardly moved "
                                  "the pressure any more (the purple bands): a breath held, or a floor clamping so "
                                  "that it no longer moves with the breath -- the cushion cannot tell them apart; the "
                                  "device does not warn of it here (nothing is held), so it is not among the "
                                  "mistakes; '{cue}' said: how many times the device said '{cue}' (tension back for "
                                  "{tense:g} s, or a paced breath in which the floor moved with the breath less than "
                                  "{low:g} %; at most every {repeat:g} s, on the exhale); relaxation: the score (see "
                                  "Relaxation); remarks: not fully let go (see Mistakes), pushed. Not in this table: "
                                  "the time to let go after '{cue}', the share of the time at the resting level and "
                                  "the tone: measured against the person's own most relaxed level, they read as let "
                                  "go for a floor that never lets go (summary.json keeps them)."},
    "explain_p": {"nl": "P (power): het maximum van de meting in kPa, en in % van de eerste meting.",
                  "en": "P (power): the assessment's maximum in kPa, and in % of the first assessment."},
    "explain_e": {"nl": "E (endurance): de seconden boven {pct:g} % van het maximum tijdens de volhoudminuut "
                        "(Laycock: tot de kracht onder {pct:g} % van het maximum is gezakt); E½ boven {half:g} %; "
                        "helling: hoe het niveau verliep (%/min; negatief: vermoeid, positief: gestegen).",
                  "en": "E (endurance): in the endurance minute the seconds above {pct:g} % of the maximum "
                        "(Laycock: until the power has fallen below {pct:g} % of the maximum); E½ above {half:g} %; "
                        "slope: how the level went (%/min; negative: tiring, positive: it rose)."},
    "explain_r": {"nl": "R (repetitions): hoe vaak de bekkenbodem E seconden volhoudt, naar Laycock: van de "
                        "keren vasthouden op het maximum, hoeveel minstens {held:g} % van E (in hele seconden, "
                        "hoogstens de gevraagde tijd) boven {pct:g} % van het maximum bleven, de seconden opgeteld, in "
                        "de goede richting en de adem niet ingehouden. Is de volhoudminuut met persen gedaan (E 0 s), "
                        "dan telt de gevraagde tijd. Vóór 8 dec 2026 telde R de tijd in de band (vanaf {band:g} %) en "
                        "vroeg het een score ≥ {good:g}.",
                  "en": "R (repetitions): how many times the floor holds for E seconds, after Laycock: of the "
                        "holds at the maximum, how many stayed above {pct:g} % of the maximum for at least "
                        "{held:g} % of E (in whole seconds, at most the time asked), the seconds added up, the right "
                        "way and without holding the breath. Where the endurance minute was pushed (E 0 s), the time "
                        "asked counts. Before 8 Dec 2026 R counted the time in the band (from {band:g} %) and asked a "
                        "score ≥ {good:g}."},
    "explain_f": {"nl": "F (fast): van de snelle aanspanningen, hoeveel ≥ {half:g} % van het maximum haalden; "
                        "piek en los: de tijd van de aanwijzing tot de piek en van de piek terug naar rust.",
                  "en": "F (fast): of the quick squeezes, how many reached ≥ {half:g} % of the maximum; peak and "
                        "release: the time from the cue to the peak and from the peak back to rest."},
    "explain_ect": {"nl": "ECT (every contraction timed): de getimede aanspanningen, met na elk: volledig los "
                          "(minder dan {let_go:g} % van het maximum boven rust), deels (minder dan {partial:g} %) "
                          "of niet.",
                    "en": "ECT (every contraction timed): the contractions timed, and after each: let go fully "
                          "(less than {let_go:g} % of the maximum above rest), partly (less than {partial:g} %) "
                          "or not."},
    "explain_rest": {"nl": "Rust: de spreiding van het rustniveau (sd, % van het maximum), de tonus (de spanning "
                           "boven het meest ontspannen niveau, kPa) en de adem (de uitslag van de ademhaling op het "
                           "kussen, kPa: een gespannen bekkenbodem beweegt nauwelijks mee).",
                     "en": "Rest: the resting level's spread (sd, % of the maximum), the tone (tension held above "
                           "the most relaxed level, kPa) and the breath (its swing on the cushion, kPa: a guarded "
                           "floor barely moves with it)."},
    "explain_levels": {"nl": "Niveaus: na {up} goede sessies op rij een niveau omhoog (niet geperst, losgelaten: "
                             "ontspannen ≥ {good:g}, en aanspannen ≥ {good:g} met meer dan de helft van de "
                             "herhalingen goed uitgevoerd, of {nearly:g} % of meer goed uitgevoerd), na {down} slechte "
                             "een omlaag (aanspannen onder {poor:g}, {pushes}x of vaker geperst, ontspannen onder "
                             "{relax_poor:g}, of meer dan de helft van de herhalingen zonder fout toch te laag, te "
                             "hoog, te kort of te traag).",
                       "en": "Levels: after {up} good sessions in a row one level up (no push, let go: relaxation "
                             "≥ {good:g}, and contraction ≥ {good:g} with more than half the repetitions done well, "
                             "or {nearly:g} % or more done well), after {down} poor ones one down (contraction under "
                             "{poor:g}, {pushes} or more pushes, relaxation under {relax_poor:g}, or more than half "
                             "the repetitions made with no mistake still too low, too high, too brief or too slow)."},
    "explain_goal": {"nl": "Doel per week: {sessions} per dag en {contractions} aanspanningen per dag "
                           "(NICE: minstens 8, 3 keer per dag), maal 7. Sessies en dagen: de afgeronde; "
                           "aanspanningen: de herhalingen die opgetild werden (niet geperst) en de snelle knijpjes "
                           "na hun vasthouden, ook in onderbroken sessies; ontspannen vraagt er geen. Een week met "
                           "(deel) valt maar voor een deel in de periode: alleen de dagen erin tellen, en het doel is "
                           "dat van die dagen.",
                     "en": "Goal per week: {sessions} a day and {contractions} contractions a day (NICE: "
                           "at least 8, 3 times a day), times 7. Sessions and days: the completed ones; "
                           "contractions: the repetitions lifted (not pushed) and the quick squeezes after their "
                           "hold, in interrupted sessions too; "
                           "letting go (ontspannen) asks for none. A week marked (part) lies only partly in the "
                           "period: only its days in it count, and the goal is theirs."},
    "explain_exhale": {"nl": "Op uitademing: het apparaat vraagt elke aanspanning op de uitademing ('Adem uit, til "
                             "op'). Per week en per sessie hoeveel aanspanningen begonnen terwijl de adem uitging, van "
                             "de beoordeelde: die waarvan het begin in de adem te plaatsen was (niet kort na persen, "
                             "hoesten of verschuiven); in de CSV lifts_on_exhale en lifts_timed. '-': niets "
                             "beoordeeld, of bewaard voordat het apparaat dit bijhield.",
                       "en": "On the exhale: the device asks every lift on the exhale ('Breathe out, lift'). Per "
                             "week and per session how many lifts began as the breath went out, of those judged: "
                             "the ones whose start could be placed in the breath (not just after a push, a cough or "
                             "a shift on the seat); in the CSV lifts_on_exhale and lifts_timed. '-': none judged, or "
                             "kept before the device counted them."},
    "explain_errors": {"nl": "Fouten, elk één keer geteld: {names}. Niet opgetild: een gevraagde aanspanning "
                             "bleef uit; geperst: telkens gewaarschuwd. Adem ingehouden is pas te zien als het vasthouden "
                             "minstens {periods} ademhaling lang duurt: een sessie die wel vasthield, maar nooit zo "
                             "lang, is daarop niet beoordeeld (in de CSV leeg), en de liftoefening alleen waar "
                             "ingehouden adem gezien is (de stappen tussen de verdiepingen verbergen de adem); een "
                             "sessie zonder vasthouden "
                             "telt 0; waar maar een deel van het vasthouden lang genoeg duurde, telt alleen dat "
                             "deel: '0 van 3 beoordeeld' is 0 keer adem ingehouden in de 3 keer die te beoordelen "
                             "waren, over de rest zegt het niets (in de CSV: holds_breath_judged). Niet helemaal los: per "
                             "herhaling geteld, van de herhalingen waarvan het loslaten beoordeeld is ('3/3' bij de "
                             "sessie, zoals op het scherm), niet per 'Laat los' dat klonk; in Ontspannen ook een herhaling die minder "
                             "dan de helft van de tijd los was of minder dan de helft met de adem meebewoog, wat "
                             "haar score ook is (een 31 kan dus niet helemaal los zijn). Doel gemist (geen "
                             "fout): de aanspanningen zonder fout die niet goed waren -- te laag, te hoog, te kort of "
                             "te traag, wat een zwakke bekkenbodem vooral doet.",
                       "en": "Mistakes, each counted once: {names}. Did not lift: an asked-for contraction did not "
                             "come; pushed: each warned. A held breath only shows in a hold at least {periods} "
                             "breath long: a session that held, but never that long, is not judged on it (empty in the CSV), "
                             "and the lift exercise only where a held breath was seen (the steps between its floors "
                             "hide the breath); "
                             "one that held nothing counts 0; where only some holds were that long, only those "
                             "count: '0 of 3 judged' is no breath held in the 3 holds that could be judged, and says "
                             "nothing of the rest (in the CSV: holds_breath_judged). Not fully let go: counted per "
                             "repetition, of those whose letting go was judged ('3/3' at the session, as on the "
                             "screen), not per 'Let go' cue heard; in Letting go also a repetition let go less than half "
                             "the time, or moving with the breath less than half as freely, whatever its score (a "
                             "31 may be not fully let go). Target missed (no mistake): the "
                             "contractions without a mistake that were not done well -- too low, too high, too brief "
                             "or too slow, what a weak floor mostly does."},
}


def words(key: str, lang: str, **fields) -> str:
    """The report's text `key` in `lang`, formatted with `fields` (see `device.texts.text`)."""
    return text(key, lang, catalogue=REPORT_TEXTS, **fields)


def words_counted(key: str, n: int, lang: str, **fields) -> str:
    """The report's text `key` for `n` of something (`device.texts.counted`)."""
    return counted(key, n, lang, catalogue=REPORT_TEXTS, **fields)


PAUSE_REASONS = ("stood_up", "button", "sensor")      # the device's (`GuidedSession.pause`), as said


def pauses_said(reasons: tuple[str, ...], lang: str) -> str:
    """A session's pauses by why they began (*gepauzeerd: 1x opgestaan, 2x met OK*): a man who
    leaks as he stands up got up mid-session, and no list but one session's page said so (a
    trial); a reason not the device's (a recording's own) is *anders*."""
    counts = {reason: reasons.count(reason) for reason in PAUSE_REASONS}
    counts["other"] = len(reasons) - sum(counts.values())
    return words("paused", lang, reasons=", ".join(words(f"pause_{reason}", lang, n=n)
                                                   for reason, n in counts.items() if n))

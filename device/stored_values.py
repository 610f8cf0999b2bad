"""Values read back from what the device stored (summaries, rows of the history): a
damaged file or database may hold anything in any place, so each is taken only when it
has the type expected, and is None (or empty) otherwise. Every reader of the history
goes through these, so a damaged value is a gap on the screen or the page, never a crash.
"""

from __future__ import annotations

import datetime
import json
import math

from device.config import DEFAULT_PROFILE, LANGUAGES, MAX_PROFILES, PROFILE_TEXTS


def json_object(text) -> dict | None:
    """The JSON object in `text`; None when there is none or it cannot be read."""
    try:
        value = json.loads(text) if isinstance(text, (str, bytes)) and text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def number(value) -> float | None:
    """`value` when it is a finite number, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


MAXIMUM_KPA_RANGE = (0.01, 10.0)    # a user's maximal lift (kPa), as `--max-kpa` takes it and the device
                                    # keeps it: 20 ADC steps at the least (the benchmark's weakest are 0.03)


def maximum_kpa(value) -> float | None:
    """A stored maximal lift when it is a number in `MAXIMUM_KPA_RANGE`, else None."""
    kpa = number(value)
    return kpa if kpa is not None and MAXIMUM_KPA_RANGE[0] <= kpa <= MAXIMUM_KPA_RANGE[1] else None


def flag(value) -> bool | None:
    """`value` when it is a yes or no (a JSON true or false), else None."""
    return value if isinstance(value, bool) else None


def whole(value) -> int | None:
    """`value` when it is a whole number of at least 0, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def profile_number(value) -> int:
    """`value` when it is one of a device's profile numbers (1 to MAX_PROFILES), else
    DEFAULT_PROFILE: a damaged row is counted for the default person (as `storage` selects it)."""
    return value if whole(value) is not None and 1 <= value <= MAX_PROFILES else DEFAULT_PROFILE


def language(value) -> str | None:
    """A stored screen language when it is one the device speaks, else None."""
    return value if value in LANGUAGES else None


def chosen_profile(store, profiles: int) -> int:
    """Who trained last on the device (the stored `profile`), when one of its `profiles` people;
    else DEFAULT_PROFILE: whose a session is that names nobody (`run`, and `sim --state-dir`)."""
    stored = store.setting("profile", "")
    return int(stored) if stored in PROFILE_TEXTS and int(stored) <= profiles else DEFAULT_PROFILE


def rep_places(pairs) -> list[tuple[int, int, int]]:
    """Each rep's place among a session's, from its (series, number) in the order scored:
    (series, number, k), the k-th with those -- a repetition of a lift and a cough scores two
    under one number, and a row found by its number alone was the other's (a physiotherapist's
    trial: the cough's kept twice, the lift's lost)."""
    seen: dict[tuple[int, int], int] = {}
    places = []
    for series, rep in pairs:
        k = seen.get((series, rep), 0)
        seen[(series, rep)] = k + 1
        places.append((series, rep, k))
    return places


MOVED_SETTING = "moved."   # moved.<id>: "<trained as>:<whose now>", a session moved to another person (`move`)


def moved_key(session_id: int) -> str:
    """The setting that marks session `session_id` moved to another person (`Store.move_session`)."""
    return f"{MOVED_SETTING}{session_id}"


def moved_mark(value) -> tuple[int, int] | None:
    """(the person it was trained as, whose it is now) of a moved session's mark; None where there
    is none, or it has gone bad."""
    parts = value.split(":") if isinstance(value, str) else ()
    if len(parts) != 2 or not all(part in PROFILE_TEXTS for part in parts):
        return None
    return int(parts[0]), int(parts[1])


def person_setting(person: int, key: str) -> str:
    """The name a setting of one person's is kept under (`p2.language`, `p2.programme`)."""
    return f"p{person}.{key}"


def person_language(store, person: int, people: int, default: str) -> str:
    """The language `person` chose on the menu (kept for them); else, on a device of one person,
    the one chosen last, and on one of several, `default` ([ui] language): one who never chose
    does not take another's (a couple's: her report came in his English, a review)."""
    own = language(store.setting(person_setting(person, "language"), ""))
    if own is not None:
        return own
    return chosen_language(store, default) if people <= 1 else default


def chosen_language(store, default: str) -> str:
    """The language chosen on the device's menu (kept in its history; one that cannot be read is
    none), else `default`: what `history`, `report` and the USB stick's report speak."""
    return language(store.setting("language", "")) or default


def volume(value) -> float | None:
    """A stored volume (text) when it reads as a number from 0 to 1, else None."""
    try:
        level = float(value)
    except (TypeError, ValueError):
        return None
    return level if 0.0 <= level <= 1.0 else None          # (NaN is neither)


def count(value) -> int:
    """`value` when it is a whole number of at least 0, else 0."""
    return whole(value) or 0


def table(value) -> dict:
    """`value` when it is an object, else {}."""
    return value if isinstance(value, dict) else {}


def listed(value) -> list:
    """`value` when it is a list, else []."""
    return value if isinstance(value, list) else []


def rows(value) -> list[dict]:
    """The objects in `value` when it is a list, else []."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def exhale_lifts(summary: dict) -> tuple[int, int] | None:
    """A stored summary's lifts begun on the exhale and its lifts timed (those whose start could
    be placed in the breath: `CoachSummary.lifts_on_exhale`, `lifts_timed`) -- the device cues
    every lift on the exhale (*Adem uit, til op*). None for a summary from before they were kept
    (22 Nov 2026), or damaged (not counts, or more on the exhale than timed): no 0 where nothing
    is known."""
    on_exhale, timed = whole(summary.get("lifts_on_exhale")), whole(summary.get("lifts_timed"))
    return None if on_exhale is None or timed is None or on_exhale > timed else (on_exhale, timed)


def pause_reasons(summary: dict) -> tuple[str, ...] | None:
    """Why each of a stored summary's pauses began (`SessionSummary.pauses`: "stood_up",
    "button", "sensor"), in order; None for a summary from before they were kept (6 Dec 2026) or
    damaged."""
    reasons = summary.get("pauses")
    if not isinstance(reasons, list) or not all(isinstance(reason, str) for reason in reasons):
        return None
    return tuple(reasons)


def lifts_done_well(summary: dict) -> int | None:
    """A stored summary's lifts done well (`perfect.repetitions`, R of PERFECT; an assessment's good
    holds): the end screen's *24 van 24 goed opgetild*, of its `lifts_asked`. None where it asked for no
    lift (`ontspannen`, quick squeezes only: the end screen says none) or the count cannot be read."""
    if whole(summary.get("lifts_asked")) == 0:
        return None
    return whole(table(summary.get("perfect")).get("repetitions"))


def done_well_of(summary: dict) -> tuple[int, int] | None:
    """A stored summary's lifts done well and of how many: of its `lifts_asked`, an assessment's good
    holds of its holds (*Goed vastgehouden 0/5*, its endurance hold not among them); None where
    either cannot be read or it asked for none."""
    good = lifts_done_well(summary)
    assessment = table(summary.get("assessment"))
    asked = whole(assessment.get("holds")) if assessment else whole(summary.get("lifts_asked"))
    return None if good is None or not asked else (good, asked)


def exhale_cell(lifts: tuple[int, int] | None) -> str:
    """Lifts begun on the exhale of those timed in a table cell (*20/24*, `history` and the
    report alike); "-" where none was timed, or none kept (stored before they were)."""
    return "-" if lifts is None or not lifts[1] else f"{lifts[0]}/{lifts[1]}"


def contractions_made(detail_json) -> int:
    """The contractions a stored repetition (`RepScore.as_dict` as JSON) made: its lift, where its
    contraction went in the right direction, and the quick squeezes after it made so (a man after
    prostate surgery doing 64 a day read as 16, a trial; none kept before 2026-12-06). A push is
    none, nor a repetition of letting go (no contraction asked), nor one that cannot be read."""
    rep = json_object(detail_json) or {}
    return (table(rep.get("contraction")).get("right_direction") is True) + (whole(rep.get("squeezes")) or 0)


# the days a kept session can have begun on: not before pftrainer was made (a Pi without its clock
# set counts from 1970), not in another century (a damaged cell): weeks, plots and the advice span them
PLAUSIBLE_DAYS = (datetime.date(2024, 1, 1), datetime.date(2199, 12, 31))


def _plausible(stored: datetime.date) -> bool:
    return PLAUSIBLE_DAYS[0] <= stored <= PLAUSIBLE_DAYS[1]


def day(started_at) -> datetime.date | None:
    """The day of a stored start time (ISO 8601), None when it is no date -- or none a session
    can have had (`PLAUSIBLE_DAYS`)."""
    try:
        stored = datetime.date.fromisoformat(started_at[:10])
    except (TypeError, ValueError):
        return None
    return stored if _plausible(stored) else None


def moment(started_at) -> datetime.datetime | None:
    """A stored start time (ISO 8601) as a datetime, None when it is none (or not on `PLAUSIBLE_DAYS`)."""
    try:
        stored = datetime.datetime.fromisoformat(started_at)
    except (TypeError, ValueError):
        return None
    return stored if _plausible(stored.date()) else None


ASSESSMENT_COUNTS = ("flicks", "flicks_half", "holds", "holds_good")
ASSESSMENT_FIGURES = ("max_spread_kpa", "flick_peak_s", "flick_release_s", "hold_mean_pct", "hold_peak_pct",
                      "hold_steadiness", "endurance_s", "endurance_half_s", "endurance_slope_pct_per_min")
REST_FIGURES = ("level_sd_pct", "tone_kpa", "excursion_kpa")


def readable_assessment(figures: dict) -> bool:
    """An assessment's stored figures (`session.assessment.Assessment.as_dict`) can be
    read: its maximum a number, every count a count; every other figure, where there is
    one, of its type (a number, the rests and `perfect` objects, the releases a list)."""
    def optional(value) -> bool:
        return value is None or number(value) is not None

    def rest(value) -> bool:
        return value is None or isinstance(value, dict) and all(optional(value.get(k)) for k in REST_FIGURES)
    releases = figures.get("releases")
    return (number(figures.get("max_kpa")) is not None
            and all(whole(figures.get(k)) is not None for k in ASSESSMENT_COUNTS)
            and all(optional(figures.get(k)) for k in ASSESSMENT_FIGURES)
            and rest(figures.get("rest_before")) and rest(figures.get("rest_after"))
            and (releases is None or isinstance(releases, list)
                 and all(isinstance(r, dict) and isinstance(r.get("quality"), str) for r in releases))
            and isinstance(figures.get("perfect", {}), dict))

"""Guided sessions. How the coaching treats people runs on the logic-level harness (body ->
analysis -> coach -> person, no chips); what only the whole simulated bench shows --
the cue log's two channels, the files, the screen's timing -- runs there."""

import dataclasses
import json

import pytest

from coached import coached, first_where
from device.cli import main
from device.config import Config
from device.session_run import run_session
from device.screens import WarningView
from device.summary_text import advice_key, mistakes_title, result_lines
from device.ui import SessionUi
from hw_sim.harness import coach_session
from hw_sim.persona import PERSONAS
from hw_sim.plugin import GIF_SPAN_S, TYPICAL_CPU_S, ScriptedCpu, open_bench
from session.coach import (DEFAULT_MAX_KPA, FOLLOW_FULL, FOLLOW_LOW, HOLDING_KINDS, LET_GO_FIRST_S,
                           LET_GO_INTO_EXHALE_S, LET_GO_WINDOW_S, RELAX_FIRST_PCT, SINKING_BACK_S, Cue)
from session.levels import ENDURANCE_PCT, HELD_SHARE
from session.programme import BUILTIN_DIR, load_programme, load_programmes
from session.progression import RELAX_POOR_MAX, let_go_first

PROGRAMMES = load_programmes(BUILTIN_DIR)


def on_the_bench(tmp_path, program, persona, seed=1, cfg=Config(), **bench_kwargs):
    """A whole session through the emulated chips and real drivers: summary and cue log."""
    bench = open_bench(cfg, PERSONAS[persona].body, **bench_kwargs)
    person = bench.add_person(PERSONAS[persona], seed=seed)
    out = tmp_path / f"{program}-{persona}"
    summary = run_session(bench.platform, cfg, PROGRAMMES[program], out, metadata={"persona": persona},
                          extra_summary=lambda t0_s: {"pushes_s": [t - t0_s for t in person.push_times_s]}).as_dict()
    cues = [json.loads(line) for line in (out / "cues.jsonl").read_text().splitlines()]
    return summary, cues, out


# --- the coaching, person by person ------------------------------------------------------------
@pytest.fixture(scope="module")
def strong_kracht():
    return coached("kracht", "strong")


@pytest.mark.slow
def test_strong_persona_gets_a_clean_summary(strong_kracht):
    coaching, reps = strong_kracht.coaching, strong_kracht.reps
    assert coaching.errors.bear_down == 0
    assert len(reps) == PROGRAMMES["kracht"].reps * PROGRAMMES["kracht"].series
    assert all(r.contraction.right_direction for r in reps)
    assert coaching.contraction_score >= 70
    assert coaching.relaxation_score >= 70
    assert coaching.perfect.power > 1.2
    assert coaching.perfect.repetitions == len(reps)


@pytest.mark.slow
def test_bears_down_persona_is_warned_for_every_push_at_once():
    """Every push warned, none later than 0.5 s (the analysis' p90 target), the median within
    0.31 s: the benchmark holds the analysis to a median of 0.30 s over hundreds of pushes of every
    shape; this persona's build up slowly (seeds 1-5, 15 pushes: 0.302 s analysed one sample at a
    time at 250 Hz, 0.307 s in pairs, as the device does: `session.pairs`)."""
    session = coached("kracht", "bears_down_tired")
    assert len(session.pushes_s) >= 1
    assert session.coaching.errors.bear_down == len(session.pushes_s)
    latencies = [warn_s - push_s for push_s, warn_s in zip(session.pushes_s, session.times_of("warn_bear_down"))]
    assert all(0 <= latency <= 0.5 for latency in latencies), latencies
    assert sorted(latencies)[len(latencies) // 2] <= 0.31, latencies
    errors = session.coaching.errors                  # one push, one error
    assert errors.total == errors.bear_down + errors.not_let_go + errors.no_lift + errors.glute \
        + errors.breath_hold
    assert errors.total - errors.not_let_go - errors.no_lift == len(session.pushes_s)


@pytest.mark.slow
def test_over_tense_persona_scores_low_on_relaxation_and_does_not_let_go(strong_kracht):
    session = coached("kracht", "over_tense")
    coaching = session.coaching
    assert coaching.relaxation_score < 50
    assert coaching.relaxation_score < strong_kracht.coaching.relaxation_score - 30
    assert coaching.errors.not_let_go == len(session.reps)
    assert session.times_of("warn_let_go")                      # even in kracht's 4 s relax


@pytest.mark.slow
def test_weak_persona_has_low_power_but_lifts_the_right_way(strong_kracht):
    session = coached("kracht", "weak_postpartum")
    assert session.coaching.errors.bear_down == 0
    assert all(r.contraction.right_direction for r in session.reps)
    assert session.coaching.perfect.power < 0.6
    assert session.coaching.perfect.power < strong_kracht.coaching.perfect.power / 2


@pytest.mark.slow
def test_lift_exercise_shows_every_floor_up_and_down_and_scores_them_together():
    session = coached("lift", "strong")
    floors = [(c.cue, c.params["floor"]) for c in session.cues if c.cue in ("lift_to_floor", "down_to_floor")]
    assert floors[:6] == [("lift_to_floor", 2), ("lift_to_floor", 3), ("lift_to_floor", 4),
                          ("down_to_floor", 3), ("down_to_floor", 2), ("down_to_floor", 1)]
    rep = session.reps[0].contraction
    assert rep.kind == "lift+floor" and rep.right_direction
    assert rep.reached_pct > 85                  # floor 4 counts toward the repetition
    assert session.coaching.perfect.power_pct_max > 85
    # the time held above half the maximum is the floors' together (floors 3, 4 and 3 again, 3 s
    # each): more than any one floor holds (*meestal te laag* judges a lift by it)
    assert all(r.contraction.held_up_s > 2 * 3.0 for r in session.reps)


LIFT_THEN_COUGH = """name = "ans"
source = ["002", "001"]
calibrate = true
series = 1
reps = 3
series_rest_s = 0
[title]
nl = "Rustig opbouwen"
en = "Gentle build-up"
[about]
nl = "Zachte aanspanningen, dan aanspannen voor het hoesten."
en = "Gentle lifts, then a squeeze before a cough."
[[steps]]
kind = "inhale"
duration_s = 3
[[steps]]
kind = "lift"
target_pct = 70
hold_s = 4
[[steps]]
kind = "relax"
duration_s = 12
[[steps]]
kind = "cough"
floor = 2
hold_s = 2
[[steps]]
kind = "relax"
duration_s = 10
"""


def test_a_lift_and_a_cough_in_one_repetition_are_scored_each_with_its_letting_go(tmp_path):
    """A physiotherapist's trial: her file asked a 4 s lift, a rest, then a cough, in each
    repetition; the two were scored as one lift (*Vastgehouden 7 s* of 4 s asked) and the cough's
    knack was never judged. Each is a repetition of its own now, let go in the rest after it."""
    path = tmp_path / "ans.toml"
    path.write_text(LIFT_THEN_COUGH, encoding="utf-8")
    session = coach_session(load_programme(path), PERSONAS["strong"], seed=1, rate_hz=50.0)
    kinds = [(rep.rep, rep.contraction.kind) for rep in session.reps]
    assert kinds == [(n, kind) for n in (1, 2, 3) for kind in ("lift", "cough")]
    assert all(rep.relaxation.score is not None for rep in session.reps)
    assert len(session.coaching.knack) == 3 and all(k.held for k in session.coaching.knack)
    assert session.coaching.lifts_asked == 6
    assert session.coaching.perfect.endurance_s <= 4.0 + 0.5        # the lift's hold, not the two summed


@pytest.mark.parametrize("seed", [2, 3, 4])
@pytest.mark.slow
def test_a_weak_floor_that_sags_in_the_lifts_later_floors_lifted_all_the_same(seed):
    """A new user's trial (a very weak floor): `lift` said *1x niet opgetild* and the report
    *verkeerde richting* for repetitions that reached 42-53 % of her maximum and were held: its floors
    are one repetition, and it was the right direction only if every floor lifted -- a later floor the
    weak floor sagged in, read at rest, made the whole no lift. Lifted in one, pushed in none."""
    session = coached("lift", "weak_postpartum", seed=seed)
    assert session.coaching.errors.no_lift == 0
    assert all(r.contraction.right_direction and r.contraction.reached_pct > 40 for r in session.reps), session.reps
    # ... and what it missed is judged against its highest floor, not its first (67 % of floor 4 read
    # *te hoog*, against floor 1's 25 %: the same trial; then *te kort*, never having reached it: review b)
    assert all(r.contraction.target_pct == 100.0 for r in session.reps) and session.coaching.short_mostly == "low"


@pytest.mark.slow
def test_a_floor_is_asked_for_from_where_the_floor_is_up_or_down():
    """A new user's trial: a weak floor that never reached floor 4 was told *Zak naar verdieping
    3* ("go down") while at floor 1, the shaft's arrow pointing up. Each floor is now asked for
    from where the floor is: down from above it, up from below; a strong floor still hears every
    floor on the way down as down."""
    floor_cues = ("lift_to_floor", "down_to_floor")
    for persona in ("weak_postpartum", "strong"):
        session = coached("lift", persona, seed=3)
        asked = [(c, level) for c, level in zip(session.cues, session.cue_levels_pct) if c.cue in floor_cues]
        assert asked and all((c.cue == "down_to_floor") == (level > c.params["target_pct"]) for c, level in asked)
        after_4 = [c.cue for (before, _), (c, _) in zip(asked, asked[1:]) if before.params["floor"] == 4]
        if persona == "weak_postpartum":          # under floor 3, floor 3 is up from there
            assert "lift_to_floor" in after_4
        else:
            assert after_4 and set(after_4) == {"down_to_floor"}


def test_a_known_maximum_skips_calibration_and_quick_flicks_count():
    session = coached("snelheid", "prostate", max_drop_kpa=0.6)
    assert not session.times_of("calibrate_max")
    assert session.coaching.perfect.fast >= 5


@pytest.mark.parametrize("program", ["lift", "kracht", "basis", "uithouding", "knack"])
@pytest.mark.sweep
def test_a_repetition_done_well_scored_50_and_held_the_share_of_the_time_asked(program):
    """R's rule, whole repetitions: the lift exercise's floors merged into one (its R was taken
    from the first floor alone); held 80 % of the time asked (half was *goed*: a physiotherapist's
    trial)."""
    for persona in ("strong", "weak_postpartum", "bears_down_tired"):
        for rep in coached(program, persona).reps:
            c = rep.contraction
            if c is not None and c.done_well:
                assert c.score >= 50 and c.hold_s >= HELD_SHARE * c.asked_hold_s, (program, persona, c)


@pytest.mark.slow
def test_a_lift_let_go_at_once_is_no_repetition_done_well():
    """The physiotherapist's trial: R counted a 5 s hold held 0.47 s (score 61.7) as done well --
    reaching the target quickly and steadily scores up to 70 without holding it. (A weak floor
    tiring through `basis`: its later lifts are let go early.)"""
    def let_go_early(session):
        return [c for c in (rep.contraction for rep in session.reps) if c.score >= 50 and c.hold_s < 0.5 * c.asked_hold_s]
    session = first_where(let_go_early, "basis", "weak_postpartum")
    contractions = [rep.contraction for rep in session.reps]
    assert not any(c.done_well for c in let_go_early(session))
    assert session.coaching.perfect.repetitions == sum(
        c.score >= 50 and c.hold_s >= HELD_SHARE * c.asked_hold_s and not c.held_breath for c in contractions) >= 1


@pytest.mark.slow
def test_lifting_above_a_known_maximum_is_no_miss_of_an_all_out_target():
    """The physiotherapist's trial: `strong` (1.8 kPa) against a stored 0.8 kPa scored every
    all-out hold 22 ("233 %, held 0.06 s"), R 0, and went down a level for getting stronger."""
    true_max, stale = coached("kracht", "strong"), coached("kracht", "strong", max_drop_kpa=0.8)
    assert stale.coaching.perfect.repetitions == true_max.coaching.perfect.repetitions == 5
    assert stale.coaching.contraction_score >= 85
    assert all(rep.contraction.hold_s >= 4.0 for rep in stale.reps)


@pytest.mark.parametrize("program, max_drop_kpa", [("micro", None), ("micro", 1.5), ("kracht", None)])
@pytest.mark.slow
def test_the_time_a_programme_says_it_takes_is_the_time_it_takes(program, max_drop_kpa):
    """`pftrainer programs` and the coach read the same plan (calibration or not)."""
    estimate_s = PROGRAMMES[program].duration_s(max_known=max_drop_kpa is not None)
    took_s = coached(program, "strong", max_drop_kpa=max_drop_kpa).duration_s
    assert took_s == pytest.approx(estimate_s, rel=0.1)


@pytest.mark.parametrize("persona", ["strong", "weak_postpartum"])
@pytest.mark.slow
def test_a_hold_as_long_as_possible_takes_no_longer_than_the_longest_the_plan_says(persona):
    """`uithouding`'s holds last until the floor sags or the coach ends them: strong held both
    to the end (200 s against the 142 s estimated with 30 s holds), weak_postpartum not."""
    programme = PROGRAMMES["uithouding"]
    took_s = coached("uithouding", persona).duration_s
    assert took_s <= 1.05 * programme.duration_s(max_known=False, longest=True)
    assert took_s >= 0.7 * programme.duration_s(max_known=False)


@pytest.mark.slow
def test_the_coach_gives_only_registered_cues_and_every_sounded_one_has_a_pattern_and_words():
    from device.buzz import PATTERNS
    from device.texts import TEXTS
    from session import cues
    given = {c.cue for program in ("lift", "knack", "voelen", "ontspannen")
             for c in coached(program, "glute_squeezer", max_drop_kpa=1.0).cues}
    assert given <= cues.COACHING
    assert set(PATTERNS) == cues.SOUNDED
    assert cues.SOUNDED <= set(TEXTS)


def test_a_lift_taken_back_as_the_buttocks_leaves_its_step_untimed_in_the_breath():
    """Review r84: a lift raised, timed in the breath, then retracted as a buttock squeeze still
    counted its step as lifted on the exhale (*5/5 op de uitademing*, rep 1's lift the buttocks').
    The step's timing is told by a lift that still stands, or by none."""
    session = coached("kracht", "glute_squeezer", max_drop_kpa=1.0)     # (seed 1: rep 1's one lift was taken back)
    scored = [r.contraction for r in session.reps if r.contraction is not None and r.contraction.right_direction]
    assert any(c.glute and c.on_exhale is None for c in scored)
    assert session.coaching.lifts_timed == sum(c.on_exhale is not None for c in scored) < len(scored)


# --- on the simulated bench --------------------------------------------------------------------
@pytest.fixture(scope="module")
def bench_kracht(tmp_path_factory):
    """At a Pi Zero's speed, with the CPU times scripted: the same on any machine."""
    return on_the_bench(tmp_path_factory.mktemp("s"), "kracht", "bears_down_tired",
                        cpu_meter=ScriptedCpu(TYPICAL_CPU_S))


@pytest.mark.slow
def test_cue_log_has_the_stable_ids_on_both_channels(bench_kracht):
    _, cues, _ = bench_kracht
    ids = {c["cue"] for c in cues}
    assert {"exhale_lift", "hold", "relax", "rep_done", "summary", "warn_bear_down"} <= ids
    assert {c["channel"] for c in cues} == {"oled", "buzzer"}
    assert all(c["text"] for c in cues if c["channel"] == "oled")
    [said] = [c["text"] for c in cues if c["channel"] == "oled" and c["cue"] == "summary"]
    assert said.startswith("Klaar!")                      # (numbered where it has more pages: *Klaar! 1/4*)
    times = [c["t"] for c in cues]
    assert times == sorted(times)


def test_the_screen_logs_each_cue_once_however_slow_the_pi(bench_kracht, tmp_path):
    """On a Pi four times slower than typical, frames overtake each other more often: the
    cue log's screen lines are the same cues, each once (before, 2 `rep_done` lines here for
    5 reps, and 4, 7 and 9 on `strong`, seeds 1-3)."""
    _, cues, _ = bench_kracht
    slow = ScriptedCpu({timer: 4 * cost_s for timer, cost_s in TYPICAL_CPU_S.items()})
    summary, slow_cues, _ = on_the_bench(tmp_path, "kracht", "bears_down_tired", seed=2, cpu_meter=slow)

    def shown(log):
        return [c["cue"] for c in log if c["channel"] == "oled"]
    assert shown(slow_cues).count("rep_done") == len(summary["reps"]) == 5
    assert shown(cues).count("rep_done") == 5
    assert sorted(set(shown(slow_cues))) == sorted(set(shown(cues)))


def test_the_bench_beeps_within_350_ms_of_a_push_and_shows_it_within_100_ms_more(bench_kracht):
    """At a Pi Zero's speed ([sim] cpu_factor 16) the warning frame is drawn and sent
    between samples: on the panel within 0.1 s of the beep; no sample is lost. (The
    analysis waits about 0.18 s to tell a push from a cough; the benchmark holds the
    median over many pushes to 0.3 s.)"""
    summary, cues, _ = bench_kracht
    assert summary["dropped"] == 0
    pushes_s = summary["pushes_s"]
    assert summary["bear_down_warnings"] == len(pushes_s) >= 1
    beeps = [c["t"] for c in cues if c["cue"] == "warn_bear_down" and c["channel"] == "buzzer"]
    shown = [c["t"] for c in cues if c["cue"] == "warn_bear_down" and c["channel"] == "oled"]
    assert len(beeps) == len(shown) == len(pushes_s)
    for push_s, beep_s, shown_s in zip(pushes_s, beeps, shown):
        assert 0 <= beep_s - push_s <= 0.35 and 0 <= shown_s - beep_s <= 0.1, (push_s, beep_s, shown_s)


def test_session_files_are_written(bench_kracht):
    summary, _, out = bench_kracht
    assert {"program", "duration_s", "reps", "bear_down_warnings", "perfect"} <= set(summary)
    assert set(summary["perfect"]) >= {"power", "endurance_s", "repetitions", "fast"}
    assert json.loads((out / "summary.json").read_text()) == json.loads(json.dumps(summary))
    from session.recording import open_rows
    assert len(list(open_rows(out / "recording.csv.gz"))) == summary["samples"]


@pytest.mark.slow
def test_sim_command_writes_all_files_and_a_gif(tmp_path, capsys):
    out = tmp_path / "out"
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n")      # the files; else this machine's CPU time counts
    assert main(["--config", str(cfg), "sim", "--program", "snelheid", "--persona", "prostate", "--seed", "2",
                 "--max-kpa", "0.6", "--out", str(out), "--lang", "en"]) == 0
    for name in ("cues.jsonl", "summary.json", "recording.csv.gz", "oled.gif"):
        assert (out / name).stat().st_size > 0
    from PIL import Image
    gif = Image.open(out / "oled.gif")
    assert gif.n_frames > 20
    summary = json.loads((out / "summary.json").read_text())
    # as long as the session, then each of the end screen's pages (a new user's trial: each frame's
    # rounding added up, 1.3 % too fast, and the second page, the mistakes and advice, was never shown;
    # trial87: pages of two rows, more of them): each page as long as the GIF shows a frame, the last a second
    from PIL import ImageSequence
    from hw_sim.plugin import MAX_FRAME_S
    lasted_s = [frame.info["duration"] / 1000.0 for frame in ImageSequence.Iterator(gif)]
    frames = [frame.convert("L").tobytes() for frame in ImageSequence.Iterator(gif)]
    ended = next(i for i in range(len(lasted_s)) if sum(lasted_s[:i]) >= summary["duration_s"] - 0.1)
    pages = [frame for i, frame in enumerate(frames[ended:]) if i == 0 or frame != frames[ended + i - 1]]
    assert len(pages) >= 3 and len(set(pages)) == len(pages)              # the results' pages, then the mistakes'
    assert lasted_s[ended:] == [MAX_FRAME_S] * (len(pages) - 1) + [1.0]
    assert summary["perfect"]["fast"] >= 5 and summary["persona_pushes_s"] == []
    assert "snelheid" in capsys.readouterr().out


def test_the_screen_kept_for_oled_gif_is_its_last_half_hour_however_long_the_run():
    """`run --sim` of 30 sessions kept every frame of every session: 3 MB a session, and 2.6 GB
    and more while the GIF was written at the end."""
    bench = open_bench(Config())
    bench.record_screen(GIF_SPAN_S)                 # as `run --sim` does
    frame_done = bench.rig.oled.on_frame[-1]
    for minute in range(181):                     # three hours, a frame a minute
        bench.rig.clock.advance_to(minute * 60.0)
        frame_done()
    kept_s = [t for t, _ in bench.frames]
    assert kept_s == [minute * 60.0 for minute in range(180 - int(GIF_SPAN_S / 60), 181)]


@pytest.mark.parametrize("seed", [9, 10])
@pytest.mark.slow
def test_an_over_tense_floor_letting_go_after_floor_1_is_not_told_it_pushes(tmp_path, seed):
    """The new user's trial: in `lift`, floor 1 held for its 3 s settled as the resting level (an
    over-tense floor's residual looks the same), and the let-go after it, rising back up to the
    rest it left, was warned *Niet persen!* and counted as a push: 12 of 40 sessions (seeds 0-39),
    seeds 9 and 10 among them. The full stack: the logic-level harness did not show it. And (a
    review) the let-go is judged from the rest it left, not from floor 1: an over-tense floor that
    lets go slowly is not 'let go at once' (it scored 100, time to let go 0.0 s)."""
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\n")      # the same run every time
    out = tmp_path / "out"
    assert main(["--config", str(cfg), "sim", "--program", "lift", "--persona", "over_tense", "--seed", str(seed),
                 "--out", str(out)]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["persona_pushes_s"] == [] and summary["bear_down_warnings"] == 0
    assert "warn_bear_down" not in (out / "cues.jsonl").read_text()
    # each let-go measured from the rest it left: none 'at once' (the bug: 0.0 s, 100), and the
    # slow ones (the persona's let-go varies from rep to rep: in 2-3 of seeds 0-39's 120 reps it
    # lets go in 1.1-1.3 s, which scores 95-98.5) told as slow
    let_go = [(rep["relaxation"]["time_to_let_go_s"], rep["relaxation"]["score"]) for rep in summary["reps"]]
    assert all(time_s > 0.5 for time_s, _ in let_go)
    assert any(time_s > 2.0 and score < 80.0 for time_s, score in let_go)


@pytest.mark.slow
def test_sim_takes_its_seed_from_the_configuration_unless_told_one(tmp_path):
    cfg = tmp_path / "pftrainer.toml"
    cfg.write_text("[sim]\ncpu_factor = 0\nseed = 5\n[sampling]\nrate_hz = 50\n")
    seeds = []
    for told in ([], ["--seed", "6"]):
        out = tmp_path / f"out{len(told)}"
        assert main(["--config", str(cfg), "sim", "--program", "micro", "--max-kpa", "1.5", "--out", str(out),
                     *told]) == 0
        seeds.append(json.loads((out / "summary.json").read_text())["seed"])
    assert seeds == [5, 6]


def test_unknown_programme_or_persona_is_one_line(tmp_path, capsys):
    assert main(["sim", "--program", "nope", "--out", str(tmp_path)]) == 2
    assert "geen programma 'nope'" in capsys.readouterr().err   # (the default language: nl)
    assert main(["--lang", "en", "sim", "--program", "basis", "--persona", "x", "--out", str(tmp_path)]) == 2
    assert "no persona 'x'" in capsys.readouterr().err


@pytest.mark.slow
def test_a_recording_can_stand_in_for_the_person(tmp_path, bench_kracht):
    """--cushion: a session's own recording replayed gives the same kind of session."""
    summary, _, out = bench_kracht
    replay = tmp_path / "replay"
    assert main(["sim", "--program", "kracht", "--cushion", str(out / "recording.csv.gz"), "--out", str(replay)]) == 0
    replayed = json.loads((replay / "summary.json").read_text())
    assert replayed["persona"] is None and "cushion_ended_early" in replayed
    assert len(replayed["reps"]) == len(summary["reps"])
    assert replayed["bear_down_warnings"] == summary["bear_down_warnings"]


def test_steadiness_is_judged_only_where_there_was_a_hold():
    """A push or a flick holds nothing: its steadiness is not known (the report showed a
    pushed rep, 0 s in the band, as 'stabiel 1,00')."""
    reps = coached("kracht", "bears_down_tired").reps + coached("meting", "strong").reps
    pushed = [r.contraction for r in reps if r.contraction is not None and r.contraction.pushed]
    flicks = [r.contraction for r in reps if r.contraction is not None and r.contraction.kind == "flick"]
    held = [r.contraction for r in reps if r.contraction is not None and r.contraction.hold_s > 1.0]
    assert pushed and flicks and held
    assert all(c.steadiness is None for c in pushed + flicks)
    assert all(0.0 <= c.steadiness <= 1.0 for c in held)


def test_a_bad_cushion_recording_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("not a recording\n")
    assert main(["sim", "--program", "kracht", "--cushion", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "missing header" in capsys.readouterr().err


def test_a_cushion_recording_bad_far_into_it_is_refused_before_the_session(tmp_path, capsys):
    """A new user's file with `nan` on line 5006: the session ran 20 s, then stopped, leaving
    an unfinished recording (and, with --state-dir, an interrupted session)."""
    rows = "".join(f"{i * 0.004:.4f},2.50000,30.000,30.000\n" for i in range(5000))
    bad = tmp_path / "bad.csv"
    bad.write_text("# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n" + rows
                   + "20.0000,nan,30.000,30.000\n")
    out, state = tmp_path / "o", tmp_path / "state"
    assert main(["sim", "--program", "kracht", "--cushion", str(bad), "--out", str(out),
                 "--state-dir", str(state)]) == 2
    assert "line 5003: perineal_kpa is not a finite number" in capsys.readouterr().err
    assert not out.exists() and not (state / "pftrainer.db").exists()


def test_a_cushion_recording_is_held_to_what_the_sensor_can_produce_as_analyze_holds_it(tmp_path, capsys):
    """99999 kPa on one line was played as if it were good (a long stretch of it: a
    'saturated?' hardware fault, exit 3); `analyze` refuses the file."""
    rows = "".join(f"{i * 0.004:.4f},{99999.0 if i == 600 else 2.5:.5f},30.000,30.000\n" for i in range(1000))
    bad = tmp_path / "bad.csv"
    bad.write_text("# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n" + rows)
    assert main(["analyze", str(bad)]) == 2
    refused = capsys.readouterr().err
    assert main(["sim", "--program", "kracht", "--cushion", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == refused
    assert "line 603: perineal_kpa = 99999.00000 is outside what the sensor can produce" in refused


# --- letting go, breathing on, the end screen (issue 12) -------------------------------------------
@pytest.mark.parametrize("program", ["kracht", "basis"])
@pytest.mark.sweep
def test_no_lift_is_cued_while_the_floor_is_still_up(program):
    """An over-tense floor that lets go slowly is told *Eerst helemaal loslaten*, and the next lift
    waits -- up to a limit, which the summary then reports."""
    session = coached(program, "over_tense")
    asks = [(cue, level) for cue, level in zip(session.cues, session.cue_levels_pct)
            if cue.cue in ("exhale_lift", "flick", "brace")]
    relaxation = session.coaching.relaxation
    assert relaxation.waits >= 1 and session.times_of("relax_first")
    too_soon = [(cue.t, round(level)) for cue, level in asks if level > RELAX_FIRST_PCT]
    assert len(too_soon) <= relaxation.wait_timeouts, too_soon


@pytest.mark.parametrize("program, persona, seed", [("snelheid", "weak_postpartum", 10), ("micro", "prostate", 11)])
@pytest.mark.slow
def test_a_weak_floor_that_lets_go_at_once_is_not_told_to_let_go_in_a_short_relax(program, persona, seed):
    """A 2 s relax warns from 1.2 s in, often still in the exhale that came with the let-go. A weak
    floor's exhale takes its level up by a good part of its maximum (0.08 kPa on 0.45: 9 %), so
    judged by 10 % of rest alone these were told *Laat los* 2 and 4 times, letting go as quickly
    as they could. While the breath tracker says they breathe out, half the breath's swing more
    is allowed (`Coach._exhale_allows_pct`); the over-tense floor is still told in every relax."""
    assert not coached(program, persona, seed=seed).times_of("warn_let_go")
    assert len(coached("snelheid", "over_tense", seed=seed).times_of("warn_let_go")) == 8   # its 8 relax steps


@pytest.mark.slow
def test_a_weak_floor_that_keeps_tension_beyond_its_breaths_reach_is_still_told_to_let_go():
    """Half of each flick kept (fading over 8 s): about 30 % of the maximum at first, beyond what
    an exhale explains (9 %), so it is still told *Laat los* (4 times in its 12 relax steps; 7
    when the exhale was allowed nothing)."""
    weak = PERSONAS["weak_postpartum"]
    keeps = dataclasses.replace(weak, body=dataclasses.replace(weak.body, residual=0.5))
    assert len(coach_session(PROGRAMMES["micro"], keeps, seed=10).times_of("warn_let_go")) >= 3


@pytest.mark.slow
def test_an_over_tense_floor_reads_alike_in_every_seed_of_basis():
    """The over-tense floor lets go of 40 % of a lift at once and the rest over 8 s: in 3 s just
    under the half of its peak the analysis' slow let-go asks. In seeds 1 and 12 no let-go of the
    session was seen as it came -- each was found only as the next lift fell -- and the baseline stood
    still for 20 minutes while the cushion lost 0.6 kPa of air: relaxation 6.6 and 5.9, *not let go*
    29 and 30 times in 30, power 177 % and 175 % of the maximum, where seed 2 read 45.4, 0 and 102 %.
    A stay found let go only afterwards is followed then as rest (`LiftDetector._follow_stay`)."""
    readings = {seed: coached("basis", "over_tense", seed=seed).coaching for seed in (1, 2, 12)}
    scores = [coaching.relaxation_score for coaching in readings.values()]
    assert max(scores) - min(scores) < 5.0, scores
    for seed, coaching in readings.items():
        assert coaching.errors.not_let_go <= 3, (seed, coaching.errors)
        assert 90.0 < coaching.perfect.power_pct_max < 115.0, (seed, coaching.perfect)


@pytest.mark.slow
def test_an_over_tense_floor_letting_go_late_after_each_lift_is_told_so_not_no_mistakes():
    """A physiotherapist's trial: the over-tense floor in `basis` let go 7-10 s after every lift,
    was cued *Laat los* in each rest, scored 45 -- and read *Geen fouten* (it let go in the end,
    which no mistake counts). Those let go `SLOW_LET_GO_S` or later are counted, listed under
    *Aandachtspunten*, and advised to let go at once; a floor that lets go at once has none."""
    tense, strong = coached("basis", "over_tense").coaching, coached("basis", "strong").coaching
    assert tense.slow_let_go >= tense.let_go_judged // 2 > 0 and not tense.errors.not_let_go, tense
    assert mistakes_title(tense) == "to_work_on" and advice_key(tense) == "advice_let_go_sooner"
    assert strong.slow_let_go == 0 and mistakes_title(strong) == "no_errors", strong
    assessed = coached("meting", "over_tense").coaching          # (its own figure: *los 0/11*; a third
    assert assessed.slow_let_go == 0 < assessed.let_go_judged    # beside it did not add up, a trial)
    unlifted = coached("voelen", "over_tense", seed=4).coaching  # (a review: *Traag losgelaten 1/4* beside
    assert unlifted.errors.no_lift == 3 and unlifted.slow_let_go == 0    # *4x niet opgetild*; its first
    # exhale lifts from the tension its rest was learnt at, the others from a floor never let go)


@pytest.mark.parametrize("seed", [11, 13])
@pytest.mark.slow
def test_every_step_of_ontspannen_scored_as_not_let_go_is_counted_not_let_go(seed):
    """A trial: *Niet helemaal los 1/3* beside *Loslaten 21%* and three steps under 30 -- the count
    asked only whether the floor was let go half the time. In these seeds two steps under 30 were
    let go just over half of it (0.53-0.58); a step scored under RELAX_POOR_MAX is not let go."""
    session = coached("ontspannen", "over_tense", seed=seed)
    poor = sum(r.relaxation.score < RELAX_POOR_MAX for r in session.reps
               if r.relaxation is not None and r.relaxation.score is not None)
    assert poor >= 2 and session.coaching.errors.not_let_go >= poor, (poor, session.coaching.errors)


@pytest.mark.parametrize("seed", [2, 4])
@pytest.mark.slow
def test_a_lift_not_made_is_not_timed_in_the_breath(seed):
    """A trial: `voelen` of an over-tense floor, *4x niet opgetild*, counted *1/1* lifts begun on
    the exhale (history, report: 100 %) -- a small rise of a repetition that was no lift was timed.
    In these seeds one was; no lift is timed now. (The first exhale lifts from the tension its rest
    was learnt at, the others from a floor never let go: lifted once, timed once.)"""
    session = coached("voelen", "over_tense", seed=seed)
    unlifted = [r for r in session.reps if not r.contraction.right_direction]
    assert session.coaching.errors.no_lift == len(unlifted) == 3 and len(session.reps) == 4
    assert session.coaching.lifts_timed == 1 and all(r.contraction.on_exhale is None for r in unlifted)


def test_a_relaxed_floor_never_waits():
    session = coached("basis", "strong")
    assert session.coaching.relaxation.waits == 0 and not session.times_of("relax_first")


@pytest.mark.slow
def test_letting_go_is_measured_and_the_over_tense_floor_is_told_to_let_go():
    """The issue's targets: a relaxed floor >= 85, the over-tense one <= 40 and told *Laat
    los*. Both follow the pace (4 s in, 8 s out); the over-tense one lets go on each exhale
    and tenses again within the breath: its breath's mean, the resting tone, is as steady as
    the relaxed floor's, and its breath's swing, judged against its own, as free -- what
    tells it is that its floor does not move with the breath (`with_breath_share`)."""
    tense, relaxed = coached("ontspannen", "over_tense"), coached("ontspannen", "strong")
    assert tense.times_of("warn_let_go") and not relaxed.times_of("warn_let_go")
    assert relaxed.coaching.relaxation_score >= 85 and tense.coaching.relaxation_score <= 40
    assert tense.coaching.relaxation.relaxed_share < relaxed.coaching.relaxation.relaxed_share
    assert tense.coaching.relaxation.with_breath_share < FOLLOW_LOW < FOLLOW_FULL \
        < relaxed.coaching.relaxation.with_breath_share
    assert tense.coaching.errors.not_let_go >= 2 and relaxed.coaching.errors.not_let_go == 0
    # the trial: *Laat los* while the tension bar was empty -- a floor that does not move with the breath is
    # told so, under it (*mee met je adem*), apart from tension held
    from device.screens import WarningView
    from device.ui import SessionUi
    from session.coach import Cue
    told = [cue for cue in tense.cues if cue.cue == "warn_let_go"]
    assert any(cue.params.get("with_breath") for cue in told)
    ui = SessionUi(None, None, "nl", lambda *logged: None)
    ui.on_cue(Cue(10.0, "warn_let_go", {"with_breath": True}))
    assert ui.view(10.5) == WarningView("Laat los", "mee met je adem")


@pytest.mark.parametrize("persona, breath_kpa", [("over_tense", None), ("strong", 0.03)])
@pytest.mark.slow
def test_laat_los_in_paced_breathing_comes_early_in_an_exhale(persona, breath_kpa):
    """*Laat los* comes 1-1.5 s into an exhale (letting go is practised on the breath out; a
    let-go cued in the inhale would move the floor with the breath's own rise), from either
    judge: a breath the floor did not move with, or the tone (a shallow breather's), which
    once came at any moment of the exhale, 0.05 s before the next inhale too."""
    who = PERSONAS[persona]
    if breath_kpa is not None:
        who = dataclasses.replace(who, body=dataclasses.replace(who.body, breath_kpa=breath_kpa))
    for seed in (0, 1):
        # the persona as it is: the run's shared session (other tests read the same ones)
        session = (coached("ontspannen", persona, seed=seed) if who is PERSONAS[persona]
                   else coach_session(PROGRAMMES["ontspannen"], who, seed=seed))
        exhales = session.times_of("breathe_out_long")
        warned = session.times_of("warn_let_go")
        assert warned or persona != "over_tense"
        for t in warned:
            assert any(LET_GO_INTO_EXHALE_S - 0.01 <= t - e < LET_GO_INTO_EXHALE_S + LET_GO_WINDOW_S for e in exhales)


@pytest.mark.parametrize("persona", ["strong", "weak_postpartum", "prostate"])
@pytest.mark.slow
def test_a_person_who_breathes_out_and_lifts_as_cued_lifts_on_the_exhale_every_time(persona):
    """The person breathes in on *Adem in* and out as *Adem uit, til op* comes, lifting with
    it. The breath tracker turns to the exhale only once the exhale has fallen a little,
    after the lift is seen: judged by it, 0-19 of 30 were "on the exhale"."""
    for level in (None, 0):            # 3x8 held 6 s, basis's start; 3x8 held 5 s, the level below it
        coaching = coached("basis", persona, level=level).coaching
        # (at 5-6 s holds, lifting a little before the top of its stretched 3 s inhale: 15-22 of 24 were on
        # the exhale, judged by the rise over 0.5 s before the onset alone, now 19-24 of 24, seeds 1-2; a lift
        # at the very top of an inhale may read either way)
        assert coaching.lifts_timed == 24 and coaching.lifts_on_exhale >= 18, (level, coaching.lifts_on_exhale)


@pytest.mark.slow
def test_lifts_cued_at_the_top_of_a_new_users_3_s_inhale_are_mostly_on_the_exhale():
    """An over-tense user's trial: a persona breathing and lifting as cued, at `basis`'s start (3 s
    in, then *Adem uit, til op*), read 12-16 of 24 lifts "on the exhale" (the report: 41 %): its
    inhale had not quite topped, rising within the noise of the two readings judged. (Its top still
    rose a tenth of a swing in some: most, not all, are on the exhale.)"""
    coaching = coached("basis", "strong", level=1).coaching
    assert coaching.lifts_timed == 24 and coaching.lifts_on_exhale >= 0.7 * coaching.lifts_timed, coaching


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.slow
def test_every_seed_a_relaxed_floor_scores_high_and_the_over_tense_one_low(seed):
    tense, relaxed = coached("ontspannen", "over_tense", seed=seed), coached("ontspannen", "strong", seed=seed)
    assert relaxed.coaching.relaxation_score >= 85 and not relaxed.times_of("warn_let_go")
    assert tense.times_of("warn_let_go") and tense.coaching.relaxation_score <= 40


@pytest.mark.parametrize("persona", ["over_tense", "strong"])
@pytest.mark.slow
def test_letting_go_is_scored_the_same_for_any_cushion_gain(monkeypatch, persona):
    """The pressure and its noise twice as large (a cushion of twice the gain): the same
    session, cue for cue, and the same relaxation score."""
    import hw_sim.harness as harness
    once = coached("ontspannen", persona)

    class Doubled(harness.Body):
        def sample(self, t_s):
            kpa, left_kg, right_kg = super().sample(t_s)
            return 2.0 * kpa, left_kg, right_kg
    monkeypatch.setattr(harness, "Body", Doubled)
    monkeypatch.setattr(harness, "NOISE_KPA", 2.0 * harness.NOISE_KPA)
    twice = coach_session(PROGRAMMES["ontspannen"], PERSONAS[persona], seed=1)
    assert [(c.t, c.cue) for c in twice.cues] == [(c.t, c.cue) for c in once.cues]
    assert twice.coaching.relaxation_score == once.coaching.relaxation_score


@pytest.mark.parametrize("seed", [16, 21, 22])
@pytest.mark.slow
def test_a_relaxed_floor_is_not_told_to_let_go_for_its_resting_levels_slow_wander(seed):
    """Seeds no figure was chosen on: the relaxed floor's resting level wandered down by up to
    1.3 let-go tolerances below its most relaxed level within 11 s (seed 16: 0.029 against
    0.024 kPa), and each of these was told *Laat los* at 37 s (3 of seeds 10-39)."""
    assert not coached("ontspannen", "strong", seed=seed).times_of("warn_let_go")


@pytest.mark.parametrize("seed", [0, 2])
@pytest.mark.slow
def test_tension_held_while_the_breath_still_moves_with_the_pace_is_told_to_let_go(monkeypatch, seed):
    """0.1 kPa of tension (about five let-go tolerances) coming back over 10 s from 60 s on and
    held, the breath moving with the pace as before: only the resting tone shows it (cued at
    2-2.5 tolerances, `TENSE_CUE_TONES` 1.5)."""
    import hw_sim.harness as harness

    class Tensing(harness.Body):
        def sample(self, t_s):
            kpa, left_kg, right_kg = super().sample(t_s)
            return kpa - 0.1 * min(1.0, max(0.0, (t_s - 60.0) / 10.0)), left_kg, right_kg
    monkeypatch.setattr(harness, "Body", Tensing)
    session = coach_session(PROGRAMMES["ontspannen"], PERSONAS["strong"], seed=seed)
    warned = session.times_of("warn_let_go")
    assert warned and 60.0 < warned[0] < 80.0
    first = next(cue for cue in session.cues if cue.cue == "warn_let_go")
    assert not first.params.get("with_breath")                              # the tone's: plain *Laat los*


@pytest.mark.parametrize("seed", [0, 2])
def test_a_relaxed_floor_is_not_told_to_let_go_when_the_slow_paced_breathing_begins(seed):
    """4 s in and 8 s out sits lower on average than free breathing: the resting reference
    follows the level through the first paced breath (these seeds were told *Laat los* at
    17-18 s, a relaxed floor, by a reference kept from the free breathing before)."""
    assert not coached("ontspannen", "strong", seed=seed).times_of("warn_let_go")


@pytest.mark.parametrize("program", ["basis", "kracht"])
@pytest.mark.sweep
def test_held_breath_is_told_blijf_ademen(program):
    """Seed 1. Over seeds 0-7 both warn every session (basis 29-30 of 30 holds, kracht 3-5 of
    5) and none of `strong`, `weak_postpartum` and `prostate` is told: in `kracht`'s 5 s
    holds at this persona's 12 breaths a minute 1.5 breath periods are never missed within
    the hold, and each is judged whole as it is let go -- then the rep that was scored
    before says so too."""
    session = coached(program, "breath_holder")
    assert session.times_of("warn_keep_breathing")
    assert session.coaching.errors.breath_hold >= 1
    held = [rep.contraction for rep in session.reps if rep.contraction and rep.contraction.held_breath]
    assert held and all(c.breath_judged for c in held)
    assert not coached(program, "strong").times_of("warn_keep_breathing")


def test_a_breath_held_through_the_lift_exercise_is_never_counted_as_breathing_seen():
    """The lift exercise's floor steps, every 3 s, fill the breathing band as breaths do: a breath
    held through all its floors went unseen, and its repetitions counted as holds whose breathing
    was judged (breathing on, by silence). A repetition of floors is judged only where a held
    breath was seen (history and report: *niet beoordeeld*); every floor says *adem door*."""
    session = coached("lift", "breath_holder")
    floors = [rep.contraction for rep in session.reps if rep.contraction and "floor" in rep.contraction.kind]
    assert len(floors) == 3 and all(c.breath_judged == c.held_breath for c in floors)
    assert session.coaching.holds == 3 and session.coaching.holds_breath_judged == session.coaching.errors.breath_hold
    captions = {view.caption for _, _, view in hold_views("lift", "strong", "nl")}
    assert captions == {"Vasthouden, adem door"}


@pytest.mark.slow
def test_a_floor_that_pushes_in_voelen_is_not_judged_on_letting_go_nor_sent_to_ontspannen():
    """A review: `bears_down_tired` pushed in every paced breath of `voelen`, scored relaxation 0.0,
    was told *Eerst: Ontspannen* and offered it every other day -- letting go first is for a floor
    too tense (004), not for one that pushes; a push's let-go is not judged, as after a lift."""
    session = coached("voelen", "bears_down_tired")
    assert session.coaching.errors.bear_down >= session.coaching.lifts_asked
    assert session.coaching.relaxation_score is None and not let_go_first(session.coaching.relaxation_score)
    assert coached("ontspannen", "over_tense").coaching.relaxation_score < RELAX_POOR_MAX     # still told there


@pytest.mark.parametrize("program, persona", [("kracht", "bears_down_tired"), ("ontspannen", "over_tense")])
@pytest.mark.slow
def test_a_push_is_told_to_lift_instead_only_where_a_lift_is_asked(program, persona):
    """*Niet persen! / laat los, til dan op* in a step that asks a lift; in a rest or `ontspannen`'s
    paced breaths, *laat los* (a review: *til dan op* asked an over-tense floor to squeeze)."""
    told = []

    def each_tick(coach, t):
        told.extend((cue.params["lifting"], coach.phase.kind) for cue in coach.outbox if cue.cue == "warn_bear_down")
    for seed in (1, 2, 3):
        coach_session(PROGRAMMES[program], PERSONAS[persona], seed=seed, each_tick=each_tick)
    assert all(said == (kind in HOLDING_KINDS + ("flick", "cough")) for said, kind in told), told
    if program == "kracht":
        assert any(said for said, _ in told)


@pytest.mark.parametrize("program, after", [("kracht", "hold"), ("basis", "hold"), ("voelen", "lift")])
@pytest.mark.slow
def test_a_held_breath_told_after_the_hold_says_it_was_in_the_hold(program, after):
    """A new user's trial: *Adem rustig door* came a second into *Laat los* after each 5 s hold,
    read as about the letting go. Told once the step holding the lift is over -- judged whole as
    it was let go (`kracht`'s 5 s holds: every one), or seen as the step moved on (`basis`, a
    review) -- it says under it that it was in the hold (in `voelen`'s paced breaths: the lift);
    told within the hold, it stands alone."""
    told = []

    def each_tick(coach, t):
        told.extend((cue.params["after"], coach.phase.kind) for cue in coach.outbox
                    if cue.cue == "warn_keep_breathing")
    coach_session(PROGRAMMES[program], PERSONAS["breath_holder"], seed=1, each_tick=each_tick)
    assert any(kind not in HOLDING_KINDS for _, kind in told)
    assert all(said == ("" if kind in HOLDING_KINDS else after) for said, kind in told), told
    ui = SessionUi(None, None, "nl", lambda *logged: None)
    ui.on_cue(Cue(1.0, "warn_keep_breathing", {"after": after}))
    assert ui.view(1.0) == WarningView("Adem rustig door", f"ook als je {'vasthoudt' if after == 'hold' else 'optilt'}")


@pytest.mark.parametrize("program", ["basis", "kracht"])
def test_a_held_breath_told_after_the_hold_leaves_laat_los_its_first_seconds(program):
    """Trial92: told as the hold was let go, *Adem rustig door* took the screen from *Laat los*
    for 1.5 s (107 of 143 in a week of `basis`), and the simulated user, seeing no *Laat los*,
    held on: her letting go scored 56-70, the others' 85-94. It waits LET_GO_FIRST_S into the
    let-go; every one is still told."""
    session = coached(program, "breath_holder")
    told_after = [c.t for c in session.cues if c.cue == "warn_keep_breathing" and c.params["after"]]
    let_go = session.times_of("relax")
    assert told_after
    for t in told_after:
        assert t - max(r for r in let_go if r <= t) >= LET_GO_FIRST_S - 1e-9
    assert session.coaching.errors.breath_hold == len(session.times_of("warn_keep_breathing"))


@pytest.mark.slow
def test_a_held_breath_waiting_for_laat_los_is_told_through_a_pause_and_a_short_rest():
    """Review r80c: a held breath waiting for *Laat los* was lost when the session paused meanwhile
    (26 counted, 23 told), and one after the last hold of a programme whose rest is under 2 s was
    never told; with such a rest it came in the next repetition's lift. Counted as it is told,
    told as the rest ends or the session pauses."""
    paused = []

    def pause_while_waiting(coach, t):
        if len(paused) < 3 and coach.breath_waiting and t > (paused[-1] + 5.0 if paused else 0.0):
            paused.append(t)
            coach.analyzer.restart()
            coach.resume(t)
    session = coach_session(PROGRAMMES["basis"], PERSONAS["breath_holder"], seed=1, each_tick=pause_while_waiting)
    assert len(paused) == 3
    assert session.coaching.errors.breath_hold == len(session.times_of("warn_keep_breathing")) >= 20
    for program in ("kracht", "basis"):
        programme = PROGRAMMES[program]
        steps = [dataclasses.replace(step, duration_s=1.0) if step.kind == "relax" else step for step in programme.steps]
        session = coach_session(dataclasses.replace(programme, steps=steps), PERSONAS["breath_holder"], seed=2)
        assert session.coaching.errors.breath_hold == len(session.times_of("warn_keep_breathing")) >= 4


@pytest.mark.parametrize("program", ["basis", "kracht", "voelen"])
def test_a_repetition_with_the_breath_held_is_not_done_well(program):
    """The physiotherapist's trial: `breath_holder` in kracht scored "5 van 5 goed" beside "5x adem
    ingehouden" (002: "Houd nooit je adem in bij inspanning"). The held breath is mostly judged as
    the hold is let go, after the rep was scored: the rep is then no longer done well either."""
    session = coached(program, "breath_holder")
    scored = [rep.contraction for rep in session.reps if rep.contraction and rep.contraction.score >= 50]
    held = [c for c in scored if c.held_breath]
    assert held and not any(c.done_well for c in held)
    assert session.coaching.perfect.repetitions == sum(c.done_well for c in scored if c.kind != "flick") \
        <= len(scored) - len(held)


def test_after_a_push_the_lift_is_asked_for_again_not_held():
    """Screen and buzzer agree: a push instead of a lift gets *Niet persen!*, and no *Vasthouden*
    with an empty bar afterwards."""
    session = coached("kracht", "bears_down_tired")
    lifted = 0
    for start in session.times_of("exhale_lift"):
        end = min(t for t in session.times_of("relax") if t > start)
        pushed = any(start <= t < end for t in session.times_of("warn_bear_down"))
        held = any(start <= t < end for t in session.times_of("hold"))
        assert not (pushed and held)
        lifted += held
    assert lifted >= 1 and session.times_of("warn_bear_down")


@pytest.mark.parametrize("persona", ["weak_postpartum", "prostate", "strong"])
@pytest.mark.slow
def test_voelen_without_a_stored_maximum_asks_no_maximal_lift(persona):
    """A new user's first session is `voelen`, and began with three maximal lifts (trials: 004
    "Oefen korte, zachte aanspanningen"; after prostate surgery "start je met zachte
    bekkenbodemactivatie"). Without a maximum its gentle lifts are judged by their direction --
    lifted as the analysis sees a lift, let go on the inhale -- and no maximum is measured or made
    up: no height asked or reached (the report's *doel %* read 30 beside no level), no power. A weak
    floor's lifts count as a strong one's do."""
    assert not PROGRAMMES["voelen"].calibrates(max_known=False)
    assert PROGRAMMES["basis"].calibrates(max_known=False)         # "zo krachtig mogelijk" is its exercise
    session = coached("voelen", persona)
    assert not session.times_of("calibrate_max") and session.coaching.max_drop_kpa is None
    assert all(r.contraction.right_direction and r.contraction.reached_pct is None
               and r.contraction.target_pct is None for r in session.reps)
    assert sum(r.contraction.done_well for r in session.reps) >= 3, session.reps
    assert session.coaching.perfect.power is None and session.coaching.perfect.power_pct_max is None


@pytest.mark.parametrize("seed, breath_kpa", [(1, 0.08), (2, 0.15)])
@pytest.mark.slow
def test_voelen_without_a_maximum_counts_no_breath_as_a_lift(seed, breath_kpa):
    """A review: a person who breathed as paced and never lifted had 7 to 11 of 12 lifts counted --
    the exhale's trough alone lay as deep as a slow lift's. Judged by its direction, a lift is one
    the analysis sees."""
    body = dataclasses.replace(PERSONAS["weak_postpartum"].body, breath_kpa=breath_kpa)
    session = coach_session(PROGRAMMES["voelen"], dataclasses.replace(PERSONAS["weak_postpartum"], body=body,
                                                                      effort=0.0), seed=seed)
    assert session.coaching.max_drop_kpa is None
    assert not any(r.contraction.right_direction for r in session.reps), session.reps


@pytest.mark.slow
def test_a_gentle_lift_under_way_as_the_session_pauses_leaves_the_scale_as_it_was():
    """A review: getting up on an exhale, the cushion's fall before the seat empties deepened the
    lift under way to 0.9 kPa, and the restart after the pause took that lift back unsaid: every
    later lift of a 0.45 kPa floor showed at a fifth of the bar. A pause forgets the lift under way."""
    paused_t, shown_after = [], []

    def pause_mid_lift(coach, t):
        if not paused_t and t > 30.0 and coach.phase is not None and coach.phase.kind == "breathe" \
                and coach.analyzer.open_lift is not None and coach.gentle_pct > 0.0:
            coach.analyzer.deviation_kpa -= 1.0             # (the cushion unloading as they rise)
            coach.update(t)
            paused_t.append(t)
            coach.resume(t)
        elif paused_t and t > paused_t[0] + 20.0 and coach.phase is not None and coach.phase.kind == "breathe":
            shown_after.append(coach.gentle_pct)
    coach_session(PROGRAMMES["voelen"], PERSONAS["weak_postpartum"], seed=1, each_tick=pause_mid_lift)
    assert paused_t and max(shown_after) >= 80.0, max(shown_after)     # (a fifth of the bar with the fall kept)


@pytest.mark.slow
def test_two_gentle_lifts_in_a_repetition_without_a_maximum_are_scored_as_one():
    """A review: a physiotherapist's repetition of two paced breathing steps with a lift, without a
    maximum, crashed as it was scored (the highest level reached of none measured)."""
    voelen = PROGRAMMES["voelen"]
    twice = dataclasses.replace(voelen, steps=voelen.steps * 2, reps=2)
    session = coach_session(twice, PERSONAS["strong"], seed=1)
    assert len(session.reps) == 2 and all(r.contraction.reached_pct is None for r in session.reps)
    assert all(r.contraction.right_direction for r in session.reps)


@pytest.mark.slow
def test_voelen_judged_by_direction_tells_a_push_and_a_floor_not_let_go():
    """Without a maximum, a push is still no lift and a floor that never lets go on the inhale
    lifts no more than once (the first exhale): neither is done well."""
    pushed = coached("voelen", "bears_down_tired", seed=2)
    assert all(r.contraction.pushed and not r.contraction.right_direction for r in pushed.reps)
    tense = coached("voelen", "over_tense", seed=2)
    assert not any(r.contraction.done_well for r in tense.reps) and tense.coaching.errors.not_let_go >= 3
    # ... and its letting go scores under 30, as with its maximum known (23-25; a review: 31, against the
    # 1 kPa guess while no lift was let go to scale it, and the menu never sent it to `ontspannen`)
    assert let_go_first(tense.coaching.relaxation_score), tense.coaching.relaxation_score


@pytest.mark.slow
def test_a_pause_during_the_relax_first_wait_scores_no_repetition_twice():
    paused = []

    def blip(coach, t):                  # the sensor blips once, while the coach waits for the floor
        if not paused and coach.phase is not None and coach.phase.kind == "relax_first":
            paused.append(t)
            coach.analyzer.restart()
            coach.resume(t)
    session = coach_session(PROGRAMMES["kracht"], PERSONAS["over_tense"], seed=1, max_drop_kpa=0.8,
                            each_tick=blip)
    assert paused
    reps = [(r.series, r.rep) for r in session.reps]
    assert reps == [(1, n) for n in range(1, PROGRAMMES["kracht"].reps + 1)]


@pytest.mark.parametrize("stored_kpa", [None, 1.5])
def test_lifts_carry_their_percent_of_the_maximum_the_coach_measured_or_was_given(stored_kpa):
    """The coach owns the maximum; once it is known (calibrated, or stored), every lift the
    analysis completes carries its % of it -- in the events the device stores too."""
    coaches = []
    session = coach_session(PROGRAMMES["kracht"], PERSONAS["strong"], seed=1, max_drop_kpa=stored_kpa,
                            each_tick=lambda coach, t: coaches or coaches.append(coach))
    coach = coaches[0]
    trained_from_s = next(c.t for c in session.cues if c.cue == "exhale_lift")      # after any calibration
    lifts = [e for e in coach.analyzer.events if e.kind == "contraction" and e.start >= trained_from_s]
    assert len(lifts) >= 5
    for lift in lifts:
        assert lift.metrics["peak_pct_max"] == pytest.approx(100.0 * lift.metrics["peak_drop_kpa"]
                                                             / coach.max_drop_kpa)
    assert coach.max_drop_kpa == (stored_kpa or max(coach.calibration_peaks_kpa))


def hold_views(program: str, persona: str, lang: str, max_drop_kpa: float | None = 1.5) -> list:
    """(t, the held breaths warned so far, view) of every sample's screen with a countdown, as the
    device would lay it out for `persona` in `program` (50 Hz, the maximum `max_drop_kpa` known,
    or calibrated with None)."""
    from device.screens import LiftView
    from device.ui import SessionUi
    seen, ui_of = [], {}

    def each_tick(coach, t):
        ui = ui_of.setdefault("ui", SessionUi(coach, None, lang, lambda *logged: None))
        for cue in coach.outbox:
            ui.on_cue(cue)
        view = ui.view(t)
        if isinstance(view, LiftView) and view.countdown_s is not None:
            seen.append((t, coach.breath_hold_warnings, view))
    coach_session(PROGRAMMES[program], PERSONAS[persona], seed=1, rate_hz=50.0, max_drop_kpa=max_drop_kpa,
                  each_tick=each_tick)
    return seen


def phase_views(program: str, persona: str, lang: str, until_s: float, last_max_kpa: float | None = None) -> list:
    """(phase kind, its step's assessed part, view) of every sample's screen for `persona` in
    `program` (calibrated, 50 Hz; `last_max_kpa` an earlier day's maximum) up to `until_s`, as the
    device would lay it out."""
    from device.ui import SessionUi
    seen, ui_of = [], {}

    def each_tick(coach, t):
        ui = ui_of.setdefault("ui", SessionUi(coach, None, lang, lambda *logged: None))
        for cue in coach.outbox:
            ui.on_cue(cue)
        phase = coach.phase
        if phase is not None:
            seen.append((phase.kind, phase.step.assess if phase.step is not None else None, ui.view(t)))
    coach_session(PROGRAMMES[program], PERSONAS[persona], seed=1, rate_hz=50.0, limit_s=until_s,
                  last_max_kpa=last_max_kpa, each_tick=each_tick)
    return seen


def test_the_calibration_shows_the_lift_without_a_target_to_miss():
    """A trial: *Maximaal aanspannen 1/3* showed the hatched band at floor 4 and a chevron *higher*
    over a weak floor's car at its own maximum -- the maximum is what is measured there. The lift
    shows, with no band, no floor asked and so no marker; the caption asks for all."""
    lifts = [view for kind, _, view in phase_views("basis", "weak_postpartum", "nl", until_s=45.0)
             if kind == "calibrate_max"]
    assert lifts and {view.caption for view in lifts} == {f"Maximaal aanspannen {n}/3" for n in (1, 2, 3)}
    assert all(view.target_lo_pct is None and view.target_hi_pct is None and view.floor is None for view in lifts)


def calibration_levels(persona: str, last_max_kpa: float | None) -> tuple[dict, list, list]:
    """The levels the calibration's screens show: each lift's by its caption, its first lift's
    first 0.3 s, and its rests between."""
    lifts, rests = {}, []
    for kind, _, view in phase_views("basis", persona, "nl", until_s=45.0, last_max_kpa=last_max_kpa):
        if kind == "calibrate_max":
            lifts.setdefault(view.caption, []).append(view.level_pct)
        elif kind == "calibrate_rest_between":
            rests.append(view.level_pct)
    return lifts, lifts["Maximaal aanspannen 1/3"][:15], rests


@pytest.mark.parametrize("persona", ["weak_postpartum", "strong"])
def test_letting_go_of_a_calibration_lift_falls_and_never_jumps_up(persona):
    """A very weak floor's trial: its first maximal lift stood at floor 1.5 (against the 1 kPa guess);
    on *Laat los* the car jumped to floor 3.3, her own 0.4 kPa now the scale. In the rest after a lift
    the scale is the lift's or the lift, whichever is more: its let-go starts where the lift stood."""
    phases: list[tuple[str, list[float]]] = []        # each phase's levels, in order
    for kind, _, view in phase_views("basis", persona, "nl", until_s=45.0):
        if kind not in ("calibrate_max", "calibrate_rest_between"):
            continue
        if not phases or phases[-1][0] != kind:
            phases.append((kind, []))
        phases[-1][1].append(view.level_pct)
    lift_1 = next(levels for kind, levels in phases if kind == "calibrate_max")
    rest_1 = next(levels for kind, levels in phases if kind == "calibrate_rest_between")
    assert max(rest_1) <= max(lift_1) + 5.0, (max(lift_1), max(rest_1))


@pytest.mark.parametrize("persona", ["strong", "prostate", "weak_postpartum"])
@pytest.mark.sweep
def test_the_calibrations_lifts_are_shown_against_the_best_there_is(persona):
    """Trial73: every *Maximaal aanspannen* of a weak floor reached floor 2-2.5 of 4 -- shown against
    a guess of the maximum, 1 kPa, where his was 0.5 -- as if it could do twice as much: an
    invitation to strain and push. The level is shown against the best there is: an earlier day's
    maximum, or this calibration's earlier lifts (a lift past it at the top; the first lift of a
    first calibration against the old guess); before the first lift the car stays down (review:
    rest's noise was taken for a best, and flashed floor 4)."""
    true_max = coached("basis", persona).coaching.max_drop_kpa
    lifts, before, rests = calibration_levels(persona, None)          # a first calibration: no earlier day
    assert len(lifts) == 3 and min(max(lifts[f"Maximaal aanspannen {n}/3"]) for n in (2, 3)) >= 90.0, lifts
    assert max(lifts["Maximaal aanspannen 1/3"]) == pytest.approx(min(100.0, 100.0 * true_max / DEFAULT_MAX_KPA),
                                                                   abs=12.0)
    assert max(before) <= 10.0 and rests and min(rests) <= 10.0
    lifts, _, _ = calibration_levels(persona, true_max)               # an earlier day's as today's: near the top
    assert all(max(levels) >= 85.0 for levels in lifts.values()), lifts
    lifts, before, _ = calibration_levels(persona, 2.0 * true_max)   # an earlier day's twice today's: half way
    assert all(35.0 <= max(levels) <= 65.0 for levels in lifts.values()), lifts
    assert max(before) <= 10.0


REST_FIRST = """
name = "rust_eerst"
source = ["004"]
calibrate = false
series = 2
reps = 2
series_rest_s = 5
[title]
nl = "Rust eerst"
en = "Rest first"
[about]
nl = "Eerst rust, dan een rustige aanspanning."
en = "A rest first, then a gentle lift."
[[steps]]
kind = "relax"
duration_s = 4
[[steps]]
kind = "lift"
target_pct = 50
rise_s = 2
hold_s = 3
[[steps]]
kind = "relax"
duration_s = 6
"""


def test_a_rest_after_no_lift_is_sat_not_let_go(tmp_path):
    """A review: a physiotherapist's repetition that begins with a rest said *Laat los* with nothing
    lifted before it. A relax step after a lift says *Laat los*; after none (a repetition's first,
    after a rest), *Zit ontspannen*."""
    from device.ui import SessionUi
    path = tmp_path / "rust_eerst.toml"
    path.write_text(REST_FIRST, encoding="utf-8")
    ui_of, captions = {}, {}

    def each_tick(coach, t):
        ui = ui_of.setdefault("ui", SessionUi(coach, None, "nl", lambda *logged: None))
        phase = coach.phase
        if phase is not None and phase.kind == "relax":
            captions.setdefault((phase.series, phase.rep, phase.index), ui.view(t).caption)
    coach_session(load_programme(path), PERSONAS["strong"], seed=1, rate_hz=50.0, max_drop_kpa=1.5,
                  each_tick=each_tick)
    # (a second series begins after a series rest: no lift before it either -- review b)
    assert captions == {(series, rep, index): "Laat los" if index else "Zit ontspannen"
                        for series in (1, 2) for rep in (1, 2) for index in (0, 2)}


@pytest.mark.parametrize("lang, sit, let_go", [("nl", "Zit ontspannen", "Laat los"), ("en", "Sit relaxed", "Let go")])
@pytest.mark.sweep
def test_the_assessments_minute_of_rest_is_sat_and_a_lift_is_let_go(lang, sit, let_go):
    """A trial: the assessment's 60 s rests said *Laat los 58 s*, a let-go with no lift before it.
    A rest the assessment measures says *Zit ontspannen*; the relax after its lifts *Laat los*."""
    relaxes = [(part, view.caption) for kind, part, view in phase_views("meting", "weak_postpartum", lang, 600.0)
               if kind == "relax"]
    assert {part for part, _ in relaxes} == {"rest_before", None, "rest_after"}
    assert {caption for part, caption in relaxes if part} == {sit}
    assert {caption for part, caption in relaxes if not part} == {let_go}


@pytest.mark.parametrize("persona, asked_higher", [("prostate", True), ("strong", False)])
@pytest.mark.slow
def test_a_hold_sunk_below_where_it_counts_is_asked_a_little_higher(persona, asked_higher):
    """A trial: Henk's tiring holds in `basis` sank well below the hatched band while the screen
    said *Vasthouden 6 s* to the end, and the end screen then said *meestal te laag*. Once a hold
    has stayed a second below where its time counts (its band; a tiring all-out hold's, 65 % of
    the maximum), the screen says *Wat hoger*, the countdown running on; back there it says
    *Vasthouden* again. A floor that holds its band is never asked."""
    timed = [(t, view) for t, _, view in hold_views("basis", persona, "nl", max_drop_kpa=None)]
    views = [view for _, view in timed]
    higher = [(t, view) for t, view in timed if view.caption.startswith("Wat hoger")]   # (*, adem door*: rep 1)
    assert bool(higher) == asked_higher
    assert all(view.level_pct < view.target_lo_pct and view.countdown_s is not None for _, view in higher)
    if asked_higher:        # its all-out holds count as a tiring floor's: held above 65 %, not asked ...
        low_t = [t for t, view in timed if view.level_pct < ENDURANCE_PCT]
        assert all(any(t - SINKING_BACK_S - 0.03 <= t_low <= t for t_low in low_t)    # (... once back there
                   for t, view in higher if view.level_pct >= ENDURANCE_PCT)        # SINKING_BACK_S)
        assert any(view.caption.startswith("Vasthouden") and ENDURANCE_PCT <= view.level_pct < view.target_lo_pct
                   for view in views)
    seen = [(t, view.caption) for t, view in timed]
    spells = []                 # each *Wat hoger* shown, how long, and what came after it
    for (t, caption), (_, after) in zip(seen, seen[1:]):
        if caption.startswith("Wat hoger"):
            if spells and spells[-1][2] is None:
                spells[-1][1] = t
            else:
                spells.append([t, t, None])
            if after != caption:
                spells[-1][2] = after
    back = [end - start for start, end, after in spells if after and after.startswith("Vasthouden")]   # back there
    assert bool(back) == asked_higher
    assert SINKING_BACK_S >= 0.5 and all(lasted_s >= SINKING_BACK_S - 0.03 for lasted_s in back)   # no flicker at the
                                                                                              # band's edge (a review)


@pytest.mark.slow
def test_an_assessment_never_asks_a_little_higher():
    """A review: *Wat hoger* ran through the assessment's endurance minute of a weak floor, whose
    time above 65 % counts there, and through its holds, which ask for no band: it measures what
    the floor does."""
    assert not [view for _, _, view in hold_views("meting", "weak_postpartum", "nl", max_drop_kpa=None)
                if view.caption.startswith("Wat hoger")]


@pytest.mark.parametrize("lang, caption", [("nl", "Zo lang je kunt"), ("en", "Hold on")])
def test_a_hold_as_long_as_you_can_says_so_and_counts_the_seconds_up(lang, caption):
    """`uithouding`: the screen says how long to hold (not the countdown's *Vasthouden*,
    which reads as "until 0") and its number counts the seconds held up from 0."""
    counted = [view.countdown_s for _, _, view in hold_views("uithouding", "strong", lang)
               if view.caption.startswith(caption)]       # (the first, *..., adem door*)
    holds = [[]]
    for seconds in counted:                        # each hold counts from 0 again
        if holds[-1] and seconds < holds[-1][-1]:
            holds.append([])
        holds[-1].append(seconds)
    assert len(holds) == PROGRAMMES["uithouding"].reps
    assert all(hold[0] == 0 and hold == sorted(hold) and hold[-1] >= 20 for hold in holds)


@pytest.mark.slow
def test_a_hold_as_long_as_you_can_counts_the_seconds_in_the_band_as_its_score_does():
    """A new user's trial: a weak floor's *Zo lang je kunt* counted up to 28 s with the bar
    under the band for much of it, and the end screen said *Vastgehouden 16 s*. The count is
    the time in the band, which the score and the end screen count: it stands still below."""
    seen = hold_views("uithouding", "weak_postpartum", "nl", max_drop_kpa=None)
    counted = [(t, view.countdown_s) for t, _, view in seen if view.caption.startswith("Zo lang je kunt")]
    holds = [[]]
    for t, seconds in counted:
        if holds[-1] and seconds < holds[-1][-1][1]:
            holds.append([])
        holds[-1].append((t, seconds))
    session = coach_session(PROGRAMMES["uithouding"], PERSONAS["weak_postpartum"], seed=1, rate_hz=50.0)
    held_s = [rep.contraction.hold_s for rep in session.reps if rep.contraction is not None]
    assert len(holds) == len(held_s) and all(hold[-1][1] == int(s) for hold, s in zip(holds, held_s))
    longest = max(hold[-1][1] for hold in holds)
    assert f"Langst vastgehouden {longest} s" in result_lines(session.coaching, None, "nl")     # the end screen, alike
    assert any(hold[-1][1] < hold[-1][0] - hold[0][0] - 2.0 for hold in holds)   # it stood still a while


@pytest.mark.slow
def test_voelen_scores_the_gentle_lift_of_each_exhale_from_a_floor_let_go():
    """The physiotherapist's trial: every voelen rep scored exactly 92.5, whatever it reached and
    however late -- the time to the target was counted from the step's first inhale, the hold
    and steadiness given -- and `over_tense`, which never lets go on the inhales, had "4 van 4
    goed". Now the lift is timed from its exhale, held as a share of the exhales, and counted
    only from a floor let go in the inhale before (001: "Tijdens de inademing ontspant u uw
    bekkenbodem"). (Each with its maximum known, as in the trial: against the 30 % band.)"""
    strong, weak, tense = (coached("voelen", persona, seed=2, max_drop_kpa=PERSONAS[persona].body.max_drop_kpa)
                           for persona in ("strong", "weak_postpartum", "over_tense"))
    scores = {name: [rep.contraction.score for rep in s.reps if rep.contraction]
              for name, s in (("strong", strong), ("weak", weak), ("tense", tense))}
    assert all(rep.contraction.done_well for rep in strong.reps if rep.contraction)
    assert min(scores["strong"]) > 90.0 and all(0.2 < rep.contraction.time_to_target_s < 1.0
                                                 for rep in strong.reps if rep.contraction)
    assert scores["weak"][-1] < scores["weak"][0] - 10.0            # it tires over the four
    assert not any(rep.contraction.done_well for rep in tense.reps if rep.contraction)
    # not lifted: no score (its first exhale lifts from the tension its rest was learnt at, once)
    assert max(scores["tense"][1:]) < 50.0 < min(scores["strong"])
    assert tense.coaching.perfect.repetitions == 0 and tense.coaching.perfect.endurance_s is None   # (no hold asked)


@pytest.mark.parametrize("persona, reminded", [("breath_holder", True), ("strong", False)])
def test_after_a_held_breath_every_hold_says_adem_door(persona, reminded):
    """The physiotherapist's trial: *Adem rustig door* came a second after *Laat los*, never while
    holding (a held breath shows only once 1.5 breaths are missed: in a 5-7 s hold, as it is let
    go); 002: "Adem tijdens de oefening rustig door". The first hold says *Vasthouden, adem door*
    (trial92: said only after a held breath, nothing asked for breathing before the first), and
    once the breath was held, each hold after; a person who breathes on is never told."""
    captions = []
    for t, warned, view in hold_views("kracht", persona, "nl"):
        if view.caption.startswith("Vasthouden") and (not captions or captions[-1][1] != view.caption):
            captions.append((t, view.caption, warned))
    assert len(captions) > 1 and captions[0][1] == "Vasthouden, adem door"
    later = captions[1:]
    assert all((caption == "Vasthouden, adem door") == (warned > 0) for _, caption, warned in later)
    assert any(caption == "Vasthouden, adem door" for _, caption, _ in later) == reminded


def test_the_first_hold_of_an_assessment_says_adem_door_and_a_coughs_hold_does_not():
    """An assessment's first hold comes after its quick squeezes (repetitions that hold nothing):
    it says *adem door* too; the knack's 2 s hold right after *Hoest nu!* does not (a cough
    closes the glottis: its breath is never judged)."""
    first = [view.caption for _, _, view in hold_views("meting", "strong", "nl")][0]
    knack = {view.caption for _, _, view in hold_views("knack", "strong", "nl")}
    assert first == "Vasthouden, adem door" and "Vasthouden, adem door" not in knack


@pytest.mark.slow
def test_a_held_breath_judged_as_the_hold_is_let_go_spoils_the_assessments_good_hold_too(monkeypatch):
    """The review: with the held breath caught only as the hold was let go (in the relax step after
    it), the repetition said "not done well" but the assessment's record of the hold -- R, *Goed
    vastgehouden*, history and report -- still counted it. Here the windowed flag is off, so
    every held breath is judged at the let-go."""
    from session.breathing import BreathHoldDetector
    monkeypatch.setattr(BreathHoldDetector, "_check", lambda self, t, holding_floor: None)
    session = coach_session(PROGRAMMES["meting"], PERSONAS["breath_holder"], seed=1, rate_hz=50.0)
    holds = [rep.contraction for rep in session.reps if rep.contraction and rep.contraction.kind == "lift"]
    assert holds and all(c.held_breath and not c.done_well for c in holds)
    assert session.coaching.perfect.repetitions == session.assessment.holds_good == 0


@pytest.mark.slow
def test_a_breath_held_across_two_voelen_repetitions_is_charged_to_the_one_it_began_in(monkeypatch):
    """The re-review: a breath held from 6 s before the end of voelen's first repetition was flagged in
    the second one's first inhale and charged to the second (a paced breath holds nothing, so the
    first was passed over)."""
    from hw_sim.body import Body
    bodies = []
    made = Body.__init__
    monkeypatch.setattr(Body, "__init__", lambda self, *a, **k: (made(self, *a, **k), bodies.append(self))[0])
    starts = []

    def rep_starts(coach, t):
        if coach.phase is not None and coach.phase.kind == "breathe" and (not starts or starts[-1] != coach.phase.start_s):
            starts.append(coach.phase.start_s)
    coach_session(PROGRAMMES["voelen"], PERSONAS["strong"], seed=1, rate_hz=50.0, each_tick=rep_starts)
    second_s = starts[1]

    def hold_it(coach, t):
        if len(bodies) == 2:
            bodies[1].hold_breath(second_s - 6.0, 10.0)
            bodies.append(None)
    session = coach_session(PROGRAMMES["voelen"], PERSONAS["strong"], seed=1, rate_hz=50.0, each_tick=hold_it)
    first, second = (rep.contraction for rep in session.reps[:2])
    assert first.held_breath and not first.done_well
    assert not second.held_breath


@pytest.mark.slow
def test_steadiness_and_the_residual_are_scored_by_the_coachs_constants_the_report_explains(monkeypatch):
    """The report explains *stabiel* and *rest %* with `UNSTEADY_PCT` and `RESIDUAL_TAIL_S`: the
    coach scores by those very constants (a wavering half as large reaches 0; a longer least tail
    than the breath averages another stretch of the let-go)."""
    import session.coach as coach_module
    before = coach_session(PROGRAMMES["micro"], PERSONAS["strong"], seed=3, rate_hz=100.0, max_drop_kpa=1.5)
    monkeypatch.setattr(coach_module, "UNSTEADY_PCT", coach_module.UNSTEADY_PCT / 2)
    monkeypatch.setattr(coach_module, "RESIDUAL_TAIL_S", coach_module.RESIDUAL_TAIL_S * 3)
    after = coach_session(PROGRAMMES["micro"], PERSONAS["strong"], seed=3, rate_hz=100.0, max_drop_kpa=1.5)
    pairs = [(a.contraction.steadiness, b.contraction.steadiness) for a, b in zip(before.reps, after.reps)
             if a.contraction is not None and a.contraction.steadiness is not None]
    assert pairs and all(b == pytest.approx(max(0.0, 1.0 - 2.0 * (1.0 - a)), abs=0.011) for a, b in pairs)
    assert any(a < 1.0 for a, _ in pairs)
    residuals = [(a.relaxation.residual_pct, b.relaxation.residual_pct) for a, b in zip(before.reps, after.reps)
                 if a.relaxation is not None and a.relaxation.residual_pct is not None]
    assert residuals and any(a != b for a, b in residuals)


@pytest.mark.parametrize("lifts", [False, True])
@pytest.mark.slow
def test_the_breath_alone_is_no_lift_to_the_first_floor_of_a_weak_floor(lifts):
    """The trial: a weak floor (0.3 kPa at most) breathing 0.08 kPa swings was told *Vasthouden*
    0.06 s after *Adem uit, til op*, its exhale alone in floor 1's band, and the rep scored done
    well. The breath is no lift: nothing is held (and no rep done well) until the floor lifts --
    and a weak lift as asked is still held within the time it has to rise."""
    from hw_sim.body import Body, BodyParams
    body = Body(BodyParams(max_drop_kpa=0.3, breath_kpa=0.08), seed=3)
    heard = []

    def listen(coach, t):
        for cue in coach.outbox:
            heard.append((t, cue.cue))
            if lifts and cue.cue == "exhale_lift":
                body.lift(t + 0.4, level=0.3, rise_s=0.8, hold_s=8.0)
        return t < 120.0
    coach = _coached_by_hand("lift", body, 0.3, listen)
    asked_t = next(t for t, cue in heard if cue == "exhale_lift")
    held = [t for t, cue in heard if cue == "hold"]
    if lifts:
        assert held and held[0] < asked_t + 3.0
    else:
        assert not held and not any(rep.contraction.done_well for rep in coach.reps if rep.contraction)


@pytest.mark.slow
def test_a_paced_long_exhale_is_no_held_breath_to_be_told():
    """The trial's physiotherapist gave an over-tense floor `ontspannen` with 10 s exhales (her
    file, tests/data's): the floor, read as lifted while it let go through one, was told *Adem
    rustig door* between *Lang uitademen* and *Laat los* (her patient's session 2, 82.4 and
    97.1 s; its first 100 s are tests/data's), and `history` counted 2 held breaths in a
    programme that holds nothing. A held breath is told in a step that holds a lift, or of the
    hold scored last."""
    from pathlib import Path

    from session.programme import load_programme
    from session.recording import open_rows
    data = Path(__file__).parent / "data"
    heard, coach = _coached_rows(load_programme(data / "ontspannen_lang.toml"),
                                 open_rows(data / "over-tense-long-exhale.csv.gz"))
    assert heard.count("breathe_out_long") >= 5
    assert "warn_keep_breathing" not in heard and coach.breath_hold_warnings == 0


def _coached_rows(programme, rows):
    """`programme` (a built-in's name, or a Programme) coached on recorded `rows` (t, kPa, left
    kg, right kg): every cue heard, and the coach."""
    from session.analyzer import Analyzer
    from session.coach import Coach
    from session.seat import SeatTracker
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    coach = Coach(PROGRAMMES[programme] if isinstance(programme, str) else programme, analyzer)
    heard = []
    for t, kpa, left_kg, right_kg in rows:
        seat.step(t, left_kg, right_kg)
        analyzer.step(t, kpa)
        coach.update(t)
        heard += [cue.cue for cue in coach.outbox]
    return heard, coach


def test_an_over_tense_floor_letting_go_is_not_told_it_pushes_but_a_push_there_is():
    """A new user's trial: an over-tense floor in `ontspannen` was told *Niet persen!* about 1 s
    after the first *Lang uitademen* in 1 session of 4 -- its let-go (0.12 kPa up over 3 s)
    above a push threshold set by the warm-up's quiet, guarded breaths (0.046 kPa; 0.24 later,
    on the paced breaths), confirmed 0.7-0.9 s after it began (tests/data's: the first 30 s of
    such a session). While the thresholds are the warm-up's, a slow rise in a paced breath that
    lifts nothing is letting go; a push built as pushes are is warned at once, and a slow rise
    that grows past LET_GO_MAX_K x the threshold is warned then (a review: 1.2 kPa on top of a
    slow start went unwarned)."""
    from pathlib import Path

    from session.coach import LET_GO_CONFIRM_S
    from session.events import BEAR_DOWN
    from session.recording import open_rows
    rows = list(open_rows(Path(__file__).parent / "data" / "over-tense-lets-go-after-warm-up.csv.gz"))
    heard, coach = _coached_rows("ontspannen", rows)
    let_go = [e for e in coach.analyzer.events if e.kind == BEAR_DOWN]
    assert len(let_go) == 1 and let_go[0].detected_at - let_go[0].start > LET_GO_CONFIRM_S   # what the analysis saw
    assert "warn_bear_down" not in heard and coach.summary().errors.bear_down == 0
    assert let_go[0].retracted == "let_go"                 # over: said so (the report draws no push)

    def pushed(start_s: float, rise_kpa: float, build_s: float, held_s: float = 1.5):
        return [(t, kpa + rise_kpa * min(1.0, max(0.0, (t - start_s) / build_s)) * (t < start_s + build_s + held_s),
                 left, right) for t, kpa, left, right in rows]
    for start_s, rise_kpa, build_s in ((22.0, 0.3, 0.2),     # in the same paced breath: a push as pushes are
                                       (14.0, 0.6, 0.2)):    # on top of the let-go taken so: past 3 x the threshold
        heard, coach = _coached_rows("ontspannen", pushed(start_s, rise_kpa, build_s))
        assert heard.count("warn_bear_down") == 1 and coach.summary().errors.bear_down == 1, (start_s, rise_kpa)


@pytest.mark.slow
def test_a_slow_push_in_a_strength_programmes_rest_is_warned():
    """A review: a push built over 0.5-1.2 s in the relax steps of `basis` (here 0.6 kPa over
    1.2 s, confirmed over 0.5 s after it began) went unwarned under a first rule that took any slow
    rise there for letting go. Only a paced breath lifting nothing, with the thresholds still the
    warm-up's, may take a rise for letting go."""
    from hw_sim.body import Body
    from hw_sim.persona import PERSONAS
    body = Body(PERSONAS["weak_postpartum"].body, seed=3)
    pushes_s: list[float] = []

    def on_tick(coach, t):
        if coach.phase is not None and coach.phase.kind == "relax" and len(pushes_s) < 2 \
                and (not pushes_s or coach.phase.start_s > pushes_s[-1]) and t - coach.phase.start_s > 4.0:
            pushes_s.append(coach.phase.start_s)
            body.bear_down(t, duration_s=3.0, rise_kpa=0.6, onset_s=1.2)     # built over 1.2 s
        return len(pushes_s) < 2 or t < pushes_s[-1] + 10.0
    coach = _coached_by_hand("basis", body, max_drop_kpa=0.45, on_tick=on_tick)
    from session.coach import LET_GO_CONFIRM_S
    from session.events import BEAR_DOWN
    slow = [e.detected_at - e.start for e in coach.analyzer.events if e.kind == BEAR_DOWN]
    assert len(pushes_s) == 2 and coach.bear_down_warnings == 2 and min(slow) > LET_GO_CONFIRM_S, slow

def _coached_by_hand(programme: str, body, max_drop_kpa: float, on_tick):
    """`body` coached through the built-in `programme` on the logic-level harness (250 Hz, no
    noise, no persona unless `on_tick` plays one): after each sample `on_tick(coach, t)` -- the
    sample's cues in `coach.outbox` -- says whether to go on. The coach."""
    from session.analyzer import Analyzer
    from session.coach import Coach
    from session.seat import SeatTracker
    seat = SeatTracker()
    analyzer = Analyzer(seat=seat)
    coach = Coach(PROGRAMMES[programme], analyzer, max_drop_kpa=max_drop_kpa)
    n = 0
    while not coach.done:
        t = n / 250.0
        kpa, left_kg, right_kg = body.sample(t)
        seat.step(t, left_kg, right_kg)
        analyzer.step(t, kpa)
        coach.update(t)
        if not on_tick(coach, t):
            break
        n += 1
    return coach


def _first_let_go_ending(persona: str, seed: int, lead_s: float, act, for_s: float):
    """`persona` coached through `basis`; `lead_s` before a relax step ends, once the first
    repetition is scored, `act(body, t)`; `for_s` later the session stops (as the device pauses
    for a stand-up). The relaxation score of that relax step's repetition."""
    from hw_sim.body import Body
    from hw_sim.persona import SimulatedPerson
    body = Body(PERSONAS[persona].body, seed=seed)
    person = SimulatedPerson(PERSONAS[persona], body, seed=seed, sees_target=lambda: None)
    acted = []                                          # (when to stop, the repetition's index)

    def play(coach, t):
        for cue in coach.outbox:
            person.hear(t, cue.cue)
        phase = coach.phase
        if not acted and coach.reps and phase.kind == "relax" and phase.end_s - t <= lead_s:
            act(body, t)
            acted.append((t + for_s, len(coach.reps)))
        return not acted or t < acted[0][0]
    coach = _coached_by_hand("basis", body, 1.0, play)
    return coach.reps[acted[0][1]].relaxation


@pytest.mark.slow
def test_getting_up_shows_no_lift_before_the_pause():
    """Trial73: standing up during *Laat los*, the car jumped to floor 4 for a second and a half
    before *Pauze* came -- the cushion unloaded read as the deepest lift. Once a quarter of the
    seat's load is gone the screen shows no level."""
    from device.ui import SessionUi
    from hw_sim.body import Body
    body = Body(PERSONAS["prostate"].body, seed=4)
    ui, stood, seen = [], [], []          # (the screen, when the user stood up, (s since, level, shown))

    def play(coach, t):
        if not ui:
            ui.append(SessionUi(coach, None, "nl", lambda *logged: None))
        if not stood and coach.reps and coach.phase.kind == "relax":
            body.stand(t)
            stood.append(t)
        if stood:
            seen.append((t - stood[0], coach.level_pct, getattr(ui[0].view(t), "level_pct", None)))
        return not stood or t - stood[0] <= 2.0
    _coached_by_hand("basis", body, 1.0, play)
    assert max(level for _, level, _ in seen) > 100.0               # the cushion unloaded: deeper than any lift
    assert all(shown in (None, 0.0) for since_s, _, shown in seen if since_s >= 0.3), seen


@pytest.mark.parametrize("lead_s", [0.6, 1.5])
@pytest.mark.slow
def test_getting_up_as_a_let_go_ends_is_no_residual(lead_s):
    """The trial's man after prostate surgery, standing up in `basis` 0.1 s after a relax step
    ended (the pause comes once standing is confirmed): the getting-up fell into the let-go's
    last 2 s, and the rep scored relaxation 0 with a residual of 236-295 %. Getting up is no
    residual: the tail counts while seated (a quarter of the seat's load gone is getting up; its
    first tenths of a second still count)."""
    relaxation = _first_let_go_ending("prostate", 4, lead_s, lambda body, t: body.stand(t), 2.0)
    assert relaxation.residual_pct < 20.0 and relaxation.score >= 50.0      # (47-172 %, 0, before)


@pytest.mark.slow
def test_a_lean_through_a_let_gos_last_seconds_is_read_as_it_was():
    """The review: counting the tail only while the seat rested left a lean held through it out
    of the residual, which fell back to the whole step's mean (a let-go's start and all): 94 -> 84
    for `strong`. Only getting up is left out; a lean or a squeeze is read as it was."""
    def lean(body, t):
        body.shift(t, hold_s=6.0, lateral_kg=3.0, forward_kg=4.0)
    leaning = _first_let_go_ending("strong", 2, 2.2, lean, 5.0).score
    assert leaning >= _first_let_go_ending("strong", 2, 2.2, lambda body, t: None, 5.0).score - 3.0

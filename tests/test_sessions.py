"""Whole guided sessions on the simulator: personas get what a physiotherapist would expect."""

import json

import pytest

from device.cli import main
from device.config import Config
from device.hardware import open_platform
from device.session_run import run_session
from hw_sim.persona import PERSONAS
from session.programme import BUILTIN_DIR, load_programmes

PROGRAMMES = load_programmes(BUILTIN_DIR)


def session(tmp_path, program, persona, seed=1, **kwargs):
    platform = open_platform(Config(), simulated=True, body=PERSONAS[persona].body)
    out = tmp_path / f"{program}-{persona}"
    summary = run_session(platform, Config(), PROGRAMMES[program], out, persona=persona, seed=seed,
                          **kwargs)
    cues = [json.loads(line) for line in (out / "cues.jsonl").read_text().splitlines()]
    return summary, cues, platform


@pytest.fixture(scope="module")
def strong_kracht(tmp_path_factory):
    return session(tmp_path_factory.mktemp("s"), "kracht", "strong")


def test_strong_persona_gets_a_clean_summary(strong_kracht):
    summary, cues, _ = strong_kracht
    assert summary["bear_down_warnings"] == 0
    assert len(summary["reps"]) == PROGRAMMES["kracht"].reps * PROGRAMMES["kracht"].series
    assert all(r["contraction"]["right_direction"] for r in summary["reps"])
    assert summary["contraction_score"] >= 70
    assert summary["relaxation_score"] >= 70
    assert summary["perfect"]["power"] > 1.2
    assert summary["perfect"]["repetitions"] == len(summary["reps"])
    assert summary["dropped"] == 0


def test_cue_log_has_the_stable_ids_on_both_channels(strong_kracht):
    _, cues, _ = strong_kracht
    ids = {c["cue"] for c in cues}
    assert {"exhale_lift", "hold", "relax", "rep_done", "summary"} <= ids
    assert {c["channel"] for c in cues} == {"oled", "buzzer"}
    assert all(c["text"] for c in cues if c["channel"] == "oled")
    times = [c["t"] for c in cues]
    assert times == sorted(times)


def test_session_files_are_written(strong_kracht, tmp_path):
    summary, _, _ = strong_kracht
    assert {"program", "duration_s", "reps", "bear_down_warnings", "perfect"} <= set(summary)
    assert set(summary["perfect"]) >= {"power", "endurance_s", "repetitions", "fast"}


def test_bears_down_persona_is_warned_for_every_push_within_300_ms(tmp_path):
    summary, cues, _ = session(tmp_path, "kracht", "bears_down_tired")
    pushes_s = summary["persona_pushes_s"]
    assert len(pushes_s) >= 1
    assert summary["bear_down_warnings"] == len(pushes_s)
    for channel in ("buzzer", "oled"):
        warned = [c["t"] for c in cues if c["cue"] == "warn_bear_down" and c["channel"] == channel]
        assert len(warned) == len(pushes_s)
        for push_s, warn_s in zip(pushes_s, warned):
            assert 0 <= warn_s - push_s <= 0.3, (channel, push_s, warn_s)


def test_over_tense_persona_scores_low_on_relaxation(tmp_path, strong_kracht):
    summary, _, _ = session(tmp_path, "kracht", "over_tense")
    assert summary["relaxation_score"] < 50
    assert summary["relaxation_score"] < strong_kracht[0]["relaxation_score"] - 30


def test_weak_persona_has_low_power_but_lifts_the_right_way(tmp_path, strong_kracht):
    summary, _, _ = session(tmp_path, "kracht", "weak_postpartum")
    assert summary["bear_down_warnings"] == 0
    assert all(r["contraction"]["right_direction"] for r in summary["reps"])
    assert summary["perfect"]["power"] < 0.6
    assert summary["perfect"]["power"] < strong_kracht[0]["perfect"]["power"] / 2


def test_sim_command_writes_all_files_and_a_gif(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sim", "--program", "snelheid", "--persona", "prostate", "--seed", "2",
                 "--out", str(out), "--lang", "en"]) == 0
    for name in ("cues.jsonl", "summary.json", "recording.csv", "oled.gif"):
        assert (out / name).stat().st_size > 0
    from PIL import Image
    gif = Image.open(out / "oled.gif")
    assert gif.n_frames > 20
    summary = json.loads((out / "summary.json").read_text())
    assert summary["perfect"]["fast"] >= 5
    assert "snelheid" in capsys.readouterr().out


def test_unknown_programme_or_persona_is_one_line(tmp_path, capsys):
    assert main(["sim", "--program", "nope", "--out", str(tmp_path)]) == 2
    assert "no programme 'nope'" in capsys.readouterr().err
    assert main(["sim", "--program", "basis", "--persona", "x", "--out", str(tmp_path)]) == 2
    assert "no persona 'x'" in capsys.readouterr().err


def test_a_recording_can_stand_in_for_the_person(tmp_path):
    """--cushion: the strong session's own recording replayed gives the same kind of session."""
    import shutil
    recording = tmp_path / "in.csv"
    summary, _, _ = session(tmp_path, "kracht", "strong", seed=3)
    shutil.copy(tmp_path / "kracht-strong" / "recording.csv", recording)
    out = tmp_path / "replay"
    assert main(["sim", "--program", "kracht", "--cushion", str(recording), "--out", str(out)]) == 0
    replayed = json.loads((out / "summary.json").read_text())
    assert replayed["persona"] is None
    assert len(replayed["reps"]) == len(summary["reps"])
    assert replayed["perfect"]["power"] == pytest.approx(summary["perfect"]["power"], rel=0.2)


def test_a_bad_cushion_recording_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("not a recording\n")
    assert main(["sim", "--program", "kracht", "--cushion", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "missing header" in capsys.readouterr().err


def test_lift_exercise_shows_every_floor_up_and_down_and_scores_them_together(tmp_path):
    summary, cues, _ = session(tmp_path, "lift", "strong")
    shown = [c["text"] for c in cues if c["channel"] == "oled" and c["cue"] == "lift_to_floor"]
    assert shown[:6] == [f"Naar verdieping {n}" for n in (2, 3, 4, 3, 2, 1)]
    rep = summary["reps"][0]["contraction"]
    assert rep["kind"] == "lift+floor" and rep["right_direction"]
    assert rep["reached_pct"] > 85               # floor 4 counts toward the repetition
    assert summary["perfect"]["power_pct_max"] > 85


def test_over_tense_persona_is_counted_as_not_letting_go(tmp_path):
    summary, cues, _ = session(tmp_path, "kracht", "over_tense")
    assert summary["errors"]["not_let_go"] == len(summary["reps"])
    assert any(c["cue"] == "warn_let_go" for c in cues)        # even in kracht's 4 s relax

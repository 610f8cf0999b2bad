"""`bench.fresh_seeds` runs the analysis on fresh recordings at a fixed sensor noise and counts
what `bench.analysis` counts."""

import pytest

import io

from bench.fresh_seeds import FIRST_SEED, analysed, main, report_pushes


@pytest.mark.slow
def test_a_fresh_recording_of_held_breaths_is_scored_at_the_noise_asked():
    counts = analysed("own", FIRST_SEED, "breath_holds", 0.002)
    assert 0 < counts.holds_in_rule and 0 <= counts.holds_found <= counts.holds_in_rule
    assert 0 < counts.lifts_in_rule and 0 <= counts.lifts_found <= counts.lifts_in_rule
    assert 0.0 < counts.breathing_s < 300.0


@pytest.mark.parametrize("noises", ["0.01,x", "0", "2"])
def test_a_noise_that_is_no_sensor_noise_is_refused_with_exit_2(noises, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--corpus", "own", "--noises", noises])
    assert stop.value.code == 2
    assert "--noises" in capsys.readouterr().err


@pytest.mark.slow
def test_the_bear_downs_of_fresh_pushes_and_distractors_are_reported_with_their_latency():
    out = io.StringIO()
    report_pushes("own", 1, out)
    text = out.getvalue()
    assert f"fresh seeds {FIRST_SEED}-{FIRST_SEED} of pushes and distractors (0.17 h)" in text
    assert "bear-down sensitivity in rule" in text and "warning latency median 0." in text
    assert "false bear-downs" in text


@pytest.mark.slow
def test_the_fresh_seeds_can_start_elsewhere_once_the_first_have_been_looked_at():
    out = io.StringIO()
    report_pushes("own", 1, out, first_seed=300)
    assert "fresh seeds 300-300 of pushes and distractors" in out.getvalue()

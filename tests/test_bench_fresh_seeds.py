"""`bench.fresh_seeds` runs the analysis on fresh recordings at a fixed sensor noise and counts
what `bench.analysis` counts."""

import pytest

from bench.fresh_seeds import FIRST_SEED, analysed, main


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

"""`bench.hold_sweep` runs the analysis on fresh recordings at a fixed sensor noise and counts
what `bench.analysis` counts."""

import pytest

from bench.hold_sweep import FIRST_SEED, held_breaths, main


def test_a_fresh_recording_of_held_breaths_is_scored_at_the_noise_asked():
    found, in_rule, false, breathing_s = held_breaths("own", FIRST_SEED, "breath_holds", 0.002)
    assert 0 < in_rule and 0 <= found <= in_rule and false >= 0
    assert 0.0 < breathing_s < 300.0


@pytest.mark.parametrize("noises", ["0.01,x", "0", "2"])
def test_a_noise_that_is_no_sensor_noise_is_refused_with_exit_2(noises, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--corpus", "own", "--noises", noises])
    assert stop.value.code == 2
    assert "--noises" in capsys.readouterr().err

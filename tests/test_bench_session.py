"""`bench.session` judges the device, not the machine it runs on: a sample dropped in one run
only (a burst of the host's other work) is not the device's, one dropped in every run is;
at each sample the least jitter any run saw counts, and in each second the least CPU time;
and it says how fast this machine is against the host the factors were set on."""

import math
from array import array

import pytest

from bench.session import (REFERENCE_WORK_ANCHOR_S, Run, dropped_in_every_run, host_speed, least_cpu_s,
                           least_per_slot, quantiles_us, reference_work)

NAN = math.nan


def a_run(late_s, window_cpu_s=(0.0,)):
    return Run(None, array("d", late_s), window_cpu_s[-1], 1.0, 1.0, array("d", window_cpu_s))


def test_a_drop_in_every_run_is_the_devices_and_one_in_a_single_run_is_not():
    runs = [a_run([0.0, 0.0, NAN, 0.0, 0.0, 0.0]),
            a_run([0.0, NAN, NAN, 0.0, 0.0, 0.0]),
            a_run([0.0, 0.0, NAN, 0.0, NAN, 0.0])]
    least = least_per_slot(runs)
    # slot 2 is missing everywhere: both the interval into it and the one out of it are lost
    assert [k for k in range(1, len(least)) if math.isnan(least[k])] == [2, 3]
    assert dropped_in_every_run(runs) == 1          # one sample, though two intervals are lost


def test_the_least_jitter_at_each_sample_is_kept_and_a_late_sample_counts_twice():
    runs = [a_run([0.0, 0.003, 0.0, 0.0]),      # one sample 3 ms late: two intervals off by 3 ms
            a_run([0.0, 0.0, 0.001, 0.0])]      # another 1 ms late
    least = least_per_slot(runs)
    assert list(least[1:]) == [0.0, 0.001, 0.0]
    assert quantiles_us(least) == (0.0, 1000.0, 1000.0)
    assert quantiles_us(runs[0].jitter_s())[2] == 3000.0


def test_a_slow_step_at_the_same_sample_in_every_run_stays():
    runs = [a_run([0.0, 0.0, 0.002, 0.0]), a_run([0.0, 0.0, 0.0025, 0.0])]
    assert max(least_per_slot(runs)[1:]) == 0.002


def test_the_devices_cpu_is_the_least_each_second_and_a_burst_in_one_run_is_left_out():
    # cumulative CPU at each second's start and at the end; run 1 hit by a burst in second 2,
    # run 2 in second 3: each second's least is the work all three did
    runs = [a_run([], (0.0, 0.1, 0.2, 0.3)),
            a_run([], (0.0, 0.1, 0.5, 0.6)),
            a_run([], (0.0, 0.1, 0.2, 0.7))]
    assert math.isclose(least_cpu_s(runs), 0.3)
    # a second slower in every run is the device's own
    assert math.isclose(least_cpu_s([a_run([], (0.0, 0.4, 0.5)), a_run([], (0.0, 0.5, 0.6))]), 0.5)


def test_the_reference_work_is_the_one_its_anchor_was_timed_on():
    """Its anchor is a time measured once: a changed work would silently rescale every figure."""
    assert reference_work() == 42.8207300970312


def test_the_host_speed_is_the_anchor_over_the_least_time_of_the_tries():
    spent = iter([0.0, 0.020, 1.0, 1.0 + REFERENCE_WORK_ANCHOR_S / 2, 2.0, 2.015])    # 20 ms, 4.5 ms, 15 ms
    assert host_speed(tries=3, clock=lambda: next(spent), work=lambda: 0.0) == pytest.approx(2.0)

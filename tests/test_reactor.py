"""The reactor: timers on one clock, Klipper style, and CPU time charged to a simulated clock."""

import pytest

from device.reactor import NEVER, NOW, Reactor, ReactorError


class StepClock:
    """A clock that only moves when slept on (the simulator's kind), logging each sleep."""

    def __init__(self):
        self.now_s = 0.0
        self.sleeps = []

    def now(self):
        return self.now_s

    def sleep(self, duration_s):
        if duration_s > 0:
            self.sleeps.append(duration_s)
            self.now_s += duration_s


class FixedMeter:
    """A CPU meter that says every callback used `cost_s` and the loop nothing: the
    same on any machine. The reactor reads it once after each callback."""

    def __init__(self, cost_s):
        self.cost_s = cost_s
        self.used_s = 0.0
        self.reactor = None

    def watch(self, reactor):
        self.reactor = reactor

    def __call__(self):
        if self.reactor.current is not None:
            self.used_s += self.cost_s
        return self.used_s


def test_a_timer_runs_at_the_times_it_returns():
    clock = StepClock()
    reactor = Reactor(clock)
    seen = []

    def tick(eventtime):
        seen.append(eventtime)
        if len(seen) == 4:
            reactor.end()
        return eventtime + 0.25
    reactor.register_timer(tick, 1.0)
    reactor.run()
    assert seen == [1.0, 1.25, 1.5, 1.75]


def test_due_timers_run_in_registration_order_and_can_wake_each_other():
    reactor = Reactor(StepClock())
    order = []

    def first(t):
        order.append(("first", t))
        reactor.update_timer(later, t + 0.5)
        return NEVER

    def second(t):
        order.append(("second", t))
        return NEVER

    def last(t):
        order.append(("later", t))
        reactor.end()
        return NEVER
    reactor.register_timer(first, 2.0)
    reactor.register_timer(second, 2.0)
    later = reactor.register_timer(last)
    reactor.run()
    assert order == [("first", 2.0), ("second", 2.0), ("later", 2.5)]


def test_a_timer_woken_in_a_pass_runs_in_it_only_if_registered_after_the_one_that_woke_it():
    """A pass looks only at the timers with a wake time, and at one woken during the pass
    exactly as if it looked at them all: in registration order, from where it is."""
    reactor = Reactor(StepClock())
    order = []

    def timer(name, wakes=None, then=NEVER):
        def callback(t):
            order.append(name)
            if wakes is not None:
                reactor.update_timer(wakes(), NOW)
            if name == "early":
                reactor.end()
            return then
        return callback
    early = reactor.register_timer(timer("early"))
    reactor.register_timer(timer("first", lambda: second), 1.0)
    second = reactor.register_timer(timer("second"))
    reactor.register_timer(timer("third", lambda: early), 1.0)     # registered before it: the next pass
    reactor.register_timer(timer("last"), 1.0)
    reactor.run()
    assert order == ["first", "second", "third", "last", "early"]


def test_a_timer_registered_in_a_pass_runs_from_the_next():
    reactor = Reactor(StepClock())
    order = []

    def first(t):
        order.append("first")
        if len(order) == 1:
            new = reactor.register_timer(lambda t: (order.append("new"), reactor.end(), NEVER)[-1])
            reactor.update_timer(new, NOW)
        return NOW if len(order) == 1 else NEVER
    reactor.register_timer(first, 1.0)
    reactor.run()
    assert order == ["first", "first", "new"]


def test_a_running_timer_decides_its_own_next_wake():
    reactor = Reactor(StepClock())
    calls = []

    def tick(t):
        calls.append(t)
        reactor.update_timer(timer, NOW)             # ignored: the return value wins
        if len(calls) == 3:
            reactor.end()
        return t + 1.0
    timer = reactor.register_timer(tick, NOW)
    reactor.run()
    assert calls == [0.0, 1.0, 2.0]


def test_an_exception_leaves_the_loop_and_a_loop_with_nothing_to_do_says_so():
    reactor = Reactor(StepClock())

    def broken(t):
        raise KeyError("bug")
    timer = reactor.register_timer(broken, 0.5)
    with pytest.raises(KeyError):
        reactor.run()
    reactor.unregister_timer(timer)
    with pytest.raises(ReactorError, match="wait forever"):
        reactor.run()


def test_background_work_is_free_until_the_next_foreground_timer():
    reactor = Reactor(StepClock())
    sampler = reactor.register_timer(lambda t: t + 0.004, 0.004)
    reactor.register_timer(lambda t: NEVER, 0.001, background=True)       # the screen, say
    reactor.register_timer(lambda t: NEVER, 0.002, background=True)       # and the storage
    assert reactor.free_until() == 0.004                # backgrounds do not hold each other up
    reactor.update_timer(sampler, NEVER)
    assert reactor.free_until() == NEVER


def test_cpu_time_is_measured_per_timer_and_charged_times_the_factor():
    clock = StepClock()
    meter = FixedMeter(cost_s=0.0001)
    reactor = Reactor(clock, cpu_meter=meter, cpu_factor=16.0)
    seen = []

    def tick(t):
        seen.append(t)
        if len(seen) == 3:
            reactor.end()
        return seen[0] + 0.004 * len(seen)            # due every 4 ms from the first
    timer = reactor.register_timer(tick, 1.0)
    after = []
    reactor.register_timer(lambda t: (after.append(t), NEVER)[1], 1.0)      # due with the first
    reactor.run()
    # each call took 0.1 ms of CPU: 1.6 ms of a 16x slower Pi, charged after it
    assert seen == pytest.approx([1.0, 1.004, 1.008])
    assert after == pytest.approx([1.0016])          # waited for the first one's work
    assert timer.calls == 3 and timer.cpu_s == pytest.approx(0.0003)
    assert timer.max_cpu_s == pytest.approx(0.0001)
    assert reactor.charged_s == pytest.approx(4 * 0.0016)


def test_charged_time_makes_a_late_timer_late():
    """A callback that costs more than its period on the slow Pi delays the next one."""
    clock = StepClock()
    reactor = Reactor(clock, cpu_meter=FixedMeter(cost_s=0.0005), cpu_factor=16.0)
    seen = []

    def tick(t):
        seen.append(t)
        if len(seen) == 3:
            reactor.end()
        return t + 0.004
    reactor.register_timer(tick, 0.0)
    reactor.run()
    # 0.5 ms x 16 = 8 ms of work per 4 ms period: each run starts when the last one ended
    assert seen == pytest.approx([0.0, 0.008, 0.016])


def test_without_a_meter_nothing_is_measured_or_charged():
    clock = StepClock()
    reactor = Reactor(clock)
    timer = reactor.register_timer(lambda t: (reactor.end(), NEVER)[1], 0.5)
    reactor.run()
    assert timer.calls == 0 and reactor.charged_s == 0.0 and clock.sleeps == [0.5]
    with pytest.raises(ValueError, match="cpu_meter"):
        Reactor(clock, cpu_factor=5.0)


def test_garbage_is_collected_in_the_gaps_only_while_the_reactor_runs():
    import gc

    from device.garbage import collecting_in_gaps
    clock = StepClock()
    reactor = Reactor(clock)
    kept, inside, during_work = [], [False], []

    def work(eventtime):
        inside[0] = True
        kept.append([[] for _ in range(gc.get_threshold()[0] + 100)])   # enough for a collection
        inside[0] = False
        if len(kept) == 3:
            reactor.end()
        return eventtime + 0.5
    reactor.register_timer(work, NOW, "work")
    collections = []

    def watch(phase, info):
        if phase == "start":
            collections.append(clock.now())
            during_work.append(inside[0])
    gc.callbacks.append(watch)
    try:
        with collecting_in_gaps(reactor):
            start = len(collections)
            reactor.run()
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(watch)
    assert len(collections) - start >= 2                    # collected while it ran ...
    assert not any(during_work[start:])                     # ... in the gaps, never inside a callback


def test_while_sampling_only_young_garbage_is_collected_and_a_frozen_cycle_goes_in_the_next_long_gap():
    import gc
    import weakref

    from device.garbage import FULL_EVERY_S, collecting_in_gaps
    clock = StepClock()
    reactor = Reactor(clock)

    class Node:
        pass
    kept, held, refs, ticks, generations, alive_when_sampling_ended = [], [], [], [0], [], []

    def sample(eventtime):
        ticks[0] += 1
        n = ticks[0]
        kept.append([[] for _ in range(100)])         # new objects: a young collection is due now and then
        if n == 5:                                    # a cycle that lives past a young collection ...
            node = Node()
            node.me = node
            held.append(node)
            refs.append(weakref.ref(node))
        if n == 100:                                  # ... and then becomes garbage, frozen
            held.clear()
        if n < 500:
            return eventtime + 0.004                  # a session's 250 Hz: no long gap
        if n == 500:
            alive_when_sampling_ended.append(refs[0]() is not None)
        if eventtime < FULL_EVERY_S + 5.0:
            return eventtime + 0.05                   # the menu's 20 Hz: long gaps
        reactor.end()
        return NEVER
    reactor.register_timer(sample, NOW, "sampler")

    frozen_in_full = []

    def watch(phase, info):
        if phase == "start":
            generations.append((ticks[0], info["generation"]))
            if info["generation"] == 2:
                frozen_in_full.append(gc.get_freeze_count())
    heap = len(gc.get_objects())                      # what exists before the run (the test process's)
    with collecting_in_gaps(reactor) as collector:
        gc.callbacks.append(watch)
        try:
            reactor.run()
        finally:
            gc.callbacks.remove(watch)
    sampling = [g for tick, g in generations if tick < 500]
    assert sampling and set(sampling) == {0}          # young collections only, while sampling
    assert alive_when_sampling_ended == [True]        # the frozen cycle waited for a gap ...
    assert refs[0]() is None and collector.full_collections == 1   # ... and went in the menu, once a minute
    assert frozen_in_full and min(frozen_in_full) >= 0.9 * heap       # the heap from before was not scanned


def test_a_background_cost_fades_over_a_minute_and_a_first_estimate_not_at_all():
    """A timer that mostly finds nothing to do keeps its rare heavy run in mind (60 s time
    constant), whatever the clock's origin; its first estimate is kept until it has run."""
    import math

    from device.reactor import FIRST_COST_S, FORGET_TAU_S
    for origin_s in (0.0, 3600.0):
        clock = StepClock()
        clock.now_s = origin_s
        reactor = Reactor(clock)
        runs = [0]

        def work(eventtime):
            runs[0] += 1
            if runs[0] == 2:
                clock.sleep(0.002)                    # the one heavy run: 2 ms
            return eventtime + 1.0
        timer = reactor.register_timer(work, NOW, "work", background=True)
        costs = {}

        def watch(eventtime):
            costs[runs[0]] = timer.cost_s
            if runs[0] == 182:
                reactor.end()
            return eventtime + 1.0
        reactor.register_timer(watch, origin_s + 0.5, "watch")
        reactor.run()
        assert costs[1] == pytest.approx(FIRST_COST_S)               # a cheap first run keeps the guard
        heavy_s = costs[2]
        assert heavy_s == pytest.approx(0.002, rel=0.01)
        assert costs[32] == pytest.approx(heavy_s * math.exp(-30.0 / FORGET_TAU_S), rel=0.02)
        assert costs[182] == pytest.approx(heavy_s * math.exp(-180.0 / FORGET_TAU_S), rel=0.05)

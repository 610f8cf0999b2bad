"""Reminders (issue 14): `[ui] reminder_hours` without a session, a gentle beep and a line on
the menu -- never in the quiet hours. The simulator's calendar is moved on by hours."""

import dataclasses
import datetime
import io

import pytest

from device.appliance import REMIND_CHECK_S, Appliance
from device.buzz import PATTERNS
from device.config import Config
from device.stopping import StopFlag
from device.storage import Store
from hw_sim.listener import BuzzerListener
from hw_sim.plugin import TYPICAL_CPU_S, ScriptedCpu, open_bench
from session import cues
from session.programme import BUILTIN_DIR, load_programmes


def idle_device(tmp_path, start_hour, hours_later, reminder_hours=2):
    cfg = Config()
    cfg = dataclasses.replace(cfg, ui=dataclasses.replace(cfg.ui, reminder_hours=reminder_hours))
    sim = open_bench(cfg, cpu_meter=ScriptedCpu(TYPICAL_CPU_S))
    rig = sim.rig
    rig.body.stand(0.0)                                     # nobody: the menu waits
    rig.calendar.start = datetime.datetime(2026, 11, 30, start_hour, 0, 0)
    heard = []
    BuzzerListener(rig.clock, rig.pin_factory.pin(cfg.buzzer.pin), lambda t, cue: heard.append(cue),
                   cfg.buzzer.frequency_hz)
    log = io.StringIO()
    app = Appliance(sim.platform, cfg, load_programmes(BUILTIN_DIR), Store(tmp_path / "state"), stop=StopFlag(),
                    progress=log)

    def later(_t):
        rig.calendar.start += datetime.timedelta(hours=hours_later)     # the day goes on
    rig.clock.call_at(5.0, later)
    rig.clock.call_at(3 * REMIND_CHECK_S + 5.0, lambda _t: app.stop.request("test"))
    app.run()
    app.store.close()
    return heard, log.getvalue()


def test_hours_without_a_session_bring_one_gentle_reminder(tmp_path):
    heard, log = idle_device(tmp_path, start_hour=10, hours_later=2)
    assert heard.count(cues.REMINDER) == 1 and log.count("reminder: time to train") == 1


@pytest.mark.parametrize("start_hour, hours_later", [(10, 1), (20, 3), (5, 2)])
@pytest.mark.slow
def test_no_reminder_too_soon_or_at_night(tmp_path, start_hour, hours_later):
    heard, log = idle_device(tmp_path, start_hour=start_hour, hours_later=hours_later)
    assert cues.REMINDER not in heard and "reminder" not in log


def test_reminders_are_off_by_default():
    assert Config().ui.reminder_hours == 0 and cues.REMINDER in PATTERNS

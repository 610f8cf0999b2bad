"""The simulator as a plug-in, in the way of OctoPrint's virtual printer: the device asks
`device.hardware.open_platform(cfg, simulated=True)` for a platform, and only then is
this module imported. It replaces the transports and nothing else.

`open_bench(cfg)` builds a `SimRig` from `[i2c]`, `[adc]`, `[oled]`, `[channels]`,
`[sim]` and `[sim.faults]`, and returns a `SimBench`: the `platform` the device runs on
-- the virtual clock, the simulated bus in its busio and smbus2 forms, gpiozero mock
pins on that clock, a CPU meter that leaves out the simulator's own work and
`[sim] cpu_factor` -- and the `rig`, for whoever plays the user or injects faults.
The bench also keeps what the emulated screen showed (`frames`, for `oled.gif`): each
frame's panel state, made into a picture only when the GIF is written; `run --sim` keeps
the last `GIF_SPAN_S` (a session and the menus around it), so that weeks of sessions keep
the same few MB, and writing their GIF the same hundred or so.
"""

from __future__ import annotations

import io
import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from device.config import Config
from device.durable import write_bytes
from device.hardware import Platform
from hw_sim.body import BodyParams
from hw_sim.listener import BuzzerListener
from hw_sim.persona import Persona, SimulatedPerson
from hw_sim.rig import RigSettings, SimRig
from hw_sim.screen_reader import target_pct
from hw_sim.ssd1306 import HEIGHT_PX, WIDTH_PX, PanelState
from hw_sim.user import SimulatedUser

MAX_FRAME_S = 2.0            # oled.gif shows no frame longer than this
GIF_SPAN_S = 30 * 60.0       # `run --sim`'s oled.gif shows the last this much (the longest built-in
                             # session, basis at level 5, takes 20 min)


@dataclass
class SimBench:
    rig: SimRig
    platform: Platform
    cfg: Config
    frames: deque[tuple[float, PanelState]] = field(default_factory=deque)   # (clock s, what the panel showed)

    def add_person(self, persona: Persona, seed: int = 0) -> SimulatedPerson:
        """`persona` on the cushion, following what the buzzer says and the screen shows."""
        rig = self.rig
        person = SimulatedPerson(persona, rig.body, seed=seed, sees_target=lambda: target_pct(rig.seen()))
        BuzzerListener(rig.clock, rig.pin_factory.pin(self.cfg.buzzer.pin), person.hear, self.cfg.buzzer.frequency_hz)
        return person

    def add_user(self, persona: Persona, seed: int = 0, stand_up_s: float | None = None,
                 days_between: int = 0) -> SimulatedUser:
        """Somebody who uses the appliance as `persona` (see `hw_sim.user`), coming back
        `days_between` simulated days after each session."""
        return SimulatedUser(self.rig, persona, self.cfg.buttons.ok_pin, self.cfg.buzzer.pin,
                             self.cfg.buzzer.frequency_hz, seed=seed, stand_up_s=stand_up_s,
                             days_between=days_between)

    def record_screen(self, span_s: float = math.inf) -> None:
        """From now on keep every frame the emulated panel completes, those of the last
        `span_s` (and the one on the screen as that span began)."""
        oled, clock, frames = self.rig.oled, self.rig.clock, self.frames

        def keep() -> None:
            now_s = clock.now()
            frames.append((now_s, oled.panel_state()))
            while len(frames) > 1 and frames[1][0] <= now_s - span_s:     # the first is then older
                frames.popleft()
        oled.on_frame.append(keep)

    def write_gif(self, path: Path) -> bool:
        """What the screen showed, as an animated GIF, each frame as long as it stayed (at
        most MAX_FRAME_S), written whole or not at all; False when nothing was shown."""
        frames = list(self.frames)
        if not frames:
            return False
        oled = self.rig.oled
        shown, lasted_s, last_state, last_pixels = [], [], None, None   # pictures that differ (their pixels)
        for (t, state), (t_next, _) in zip(frames, frames[1:] + [(frames[-1][0] + 1.0, None)]):
            if state != last_state:
                last_state = state
                pixels = oled.image(state).tobytes()
                if pixels != last_pixels:
                    last_pixels = pixels
                    shown.append(pixels)           # as large as the state it replaces, not made twice
                    lasted_s.append(t_next - t)
                    continue
            lasted_s[-1] += t_next - t
        # a GIF times its frames in hundredths of a second: each frame ends at its own end, rounded,
        # so that rounding each one's length does not add up (the GIF ran 1.3 % fast)
        durations_ms, end_s, gif_cs = [], 0.0, 0
        for seconds in lasted_s:
            end_s += min(MAX_FRAME_S, seconds)
            frame_cs = max(2, round(end_s * 100) - gif_cs)
            gif_cs += frame_cs
            durations_ms.append(10 * frame_cs)
        # pictures made one at a time as the GIF takes them (Pillow 12, pinned, reads its
        # append_images once, in order): none is kept here besides its own copies
        scaled = (Image.frombytes("1", (WIDTH_PX, HEIGHT_PX), pixels).convert("L").resize((256, 128))
                  for pixels in shown)
        gif = io.BytesIO()
        next(scaled).save(gif, format="GIF", save_all=True, append_images=scaled, duration=durations_ms,
                          loop=0, optimize=False)
        write_bytes(path, gif.getvalue())
        return True


class ScriptedCpu:
    """A CPU meter that says each callback took what `cost_s` lists for its timer (by name;
    `default_s` for the others), and the loop between them nothing: the same charges on
    any machine, for tests whose outcome must not depend on how fast that machine is.
    The reactor reads it once, as each callback ends (and, when it starts, with no callback
    running, to measure what measuring costs: nothing, here)."""

    def __init__(self, cost_s: dict[str, float], default_s: float = 10e-6) -> None:
        self.cost_s = cost_s
        self.default_s = default_s
        self.used_s = 0.0
        self._reactor = None

    def watch(self, reactor) -> None:
        self._reactor = reactor

    def __call__(self) -> float:
        timer = self._reactor.current
        if timer is not None:
            self.used_s += self.cost_s.get(timer.name, self.default_s)
        return self.used_s


# what each timer's callback takes on a 2020s PC, with some to spare (mean CPU time measured
# in whole sessions; a Pi Zero 2 W takes 16x as long)
TYPICAL_CPU_S = {"sampler": 15e-6, "render": 60e-6, "pack": 40e-6, "screen": 8e-6, "storage": 60e-6,
                 "buzzer": 15e-6, "controls": 20e-6, "housekeeping": 2e-6}


def open_bench(cfg: Config, body: BodyParams | None = None, *, cpu_meter=None) -> SimBench:
    """A simulated bench as `cfg` describes it, with `body` (default: an average sitter)
    on the cushion. `cpu_meter` replaces the measured CPU time (tests inject a fixed one)."""
    f = cfg.sim.faults
    rig = SimRig(RigSettings(
        body=body or BodyParams(), seed=cfg.sim.seed, bus_hz=cfg.i2c.bus_hz,
        overhead_s=cfg.sim.i2c_overhead_us * 1e-6, adc_address=cfg.adc.address,
        oled_address=cfg.oled.address, oled_upside_down=cfg.oled.rotate == 2, ready_pin=cfg.adc.ready_pin,
        perineal_ain=cfg.channels.perineal,
        left_ain=cfg.channels.seat_left, right_ain=cfg.channels.seat_right, supply_ain=cfg.channels.supply,
        adc_present=not f.adc_absent, oled_present=not f.oled_absent, adc_stuck_busy=f.adc_stuck_busy,
        adc_error_rate=f.i2c_error_rate))
    factor = cfg.sim.cpu_factor
    if factor and cpu_meter is None:
        rig.clock.ledger.enable()
        cpu_meter = rig.clock.ledger.device_cpu_s
    platform = Platform(rig.clock, rig.bus, rig.bus.smbus(), rig.pin_factory, simulated=True,
                        cpu_meter=cpu_meter if factor else None, cpu_factor=factor, wall=rig.calendar.now)
    return SimBench(rig, platform, cfg)

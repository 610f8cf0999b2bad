"""Register-level model of the TI ADS1115 16-bit ADC (datasheet SBAS444) as an I2C target.

The real `adafruit_ads1x15` driver talks to it through `SimI2CBus` exactly as it talks to
the chip on the Pi. Modelled: the pointer and the four registers, MUX / PGA / data rate,
single-shot and continuous conversions in virtual time, the comparator and the
ALERT/RDY pin (traditional, window, latching, polarity, conversion-ready), and a
`stuck_busy` fault.

Modelling choices (where the datasheet leaves room, or we simplify):

- **Sampling instant.** The inputs are sampled at the END of a conversion (the chip
  integrates over the conversion; the end is the simplest deterministic stand-in).
- **Settings per conversion.** MUX and PGA are latched when a conversion starts. A
  single-shot conversion in progress ignores a new OS=1 write.
- **Continuous mode.** Any Config write with MODE=0 restarts the cycle from the write
  time: the first new result lands one conversion time later. (The part may first
  finish the conversion in progress with the old settings; restarting is simpler and
  differs by at most one conversion.) OS reads 0 (always converting).
- **Continuous -> single-shot.** Stops at once (the part powers down after the
  conversion in progress). If that same write has OS=1, a single conversion starts.
- **Input clamp.** Each pin is clamped to [GND - 0.3 V, VDD + 0.3 V] (the ESD-diode
  limits) before the difference is taken, so a sensor model can't push a pin beyond
  what the silicon would see.
- **Reads longer than 2 bytes** repeat the register (MSB, LSB, MSB, ...). A 2-byte
  register write (pointer + MSB only) sets the pointer and changes nothing else; bytes
  after the third are ignored. Pointer bits 7:2 are ignored.
- **Comparator.** "Exceeds" is strict: code > Hi_thresh, code < Lo_thresh. The pin
  asserts after 1/2/4 consecutive exceeding conversions (COMP_QUE 00/01/10). Reading
  the Conversion register clears a latched alert and restarts the count. In
  conversion-ready mode (Hi_thresh MSB = 1, Lo_thresh MSB = 0, COMP_QUE != 11)
  COMP_LAT is ignored, and any conversion start (single-shot or continuous) releases
  the single-shot RDY assertion.
- **ALERT/RDY** is open drain: "released" is modelled as `drive_high()` (pull-up), so
  with COMP_POL = active high the inactive level is `drive_low()`.
"""

from __future__ import annotations

import random
from math import floor
from typing import Callable

from hw_sim.clock import VirtualClock

ADDRESSES = (0x48, 0x49, 0x4A, 0x4B)       # ADDR tied to GND, VDD, SDA, SCL

REG_CONVERSION = 0
REG_CONFIG = 1
REG_LO_THRESH = 2
REG_HI_THRESH = 3

CONFIG_RESET = 0x8583
LO_THRESH_RESET = 0x8000
HI_THRESH_RESET = 0x7FFF

OS_BIT = 0x8000
MODE_SINGLE_BIT = 0x0100
COMP_MODE_WINDOW_BIT = 0x0010
COMP_POL_HIGH_BIT = 0x0008
COMP_LAT_BIT = 0x0004
COMP_QUE_DISABLED = 0x0003

FULL_SCALE_V = (6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256)   # PGA code 0..7
DATA_RATE_SPS = (8, 16, 32, 64, 128, 250, 475, 860)                      # DR code 0..7
DIFF_PAIRS = ((0, 1), (0, 3), (1, 3), (2, 3))                            # MUX 0..3
QUEUE_CONVERSIONS = (1, 2, 4)                                            # COMP_QUE 0..2
INPUTS_BY_MUX = DIFF_PAIRS + ((0, -1), (1, -1), (2, -1), (3, -1))        # (AINp, AINn or -1 for GND)
RDY_PULSE_S = 8e-6

InputsFn = Callable[[int, float], float]


class FixedInputs:
    """Constant voltages on AIN0..AIN3; change `volts[i]` (or call `set`) at any time."""

    def __init__(self, volts=(0.0, 0.0, 0.0, 0.0)) -> None:
        self.volts = list(volts)

    def set(self, ain: int, volts: float) -> None:
        self.volts[ain] = volts

    def __call__(self, ain: int, t_s: float) -> float:
        return self.volts[ain]


def _signed16(word: int) -> int:
    return word - 0x10000 if word & 0x8000 else word


class Ads1115Emulator:
    """The ADS1115 as an I2C target (`address`, `i2c_write`, `i2c_read_into`).

    `inputs(ain, t_s)` gives the voltage on AINx (vs GND) at virtual time `t_s`.
    `noise_lsb` is the RMS Gaussian conversion noise in LSB (seeded by `seed`).
    `osc_error` scales every conversion time by (1 + osc_error); the part's is +-10 %.
    `alert_pin` is an optional gpiozero MockPin-like object (`drive_low`, `drive_high`).

    Fault switch: `stuck_busy = True` -- conversions never complete (OS stays 0, no
    RDY, no new data). Clearing it abandons the hung conversion: single-shot goes idle,
    continuous restarts from that moment.
    """

    def __init__(self, clock: VirtualClock, inputs: InputsFn, *, address: int = 0x48,
                 vdd_v: float = 3.3, noise_lsb: float = 0.0, seed: int = 0,
                 osc_error: float = 0.0, alert_pin=None) -> None:
        if address not in ADDRESSES:
            raise ValueError(f"ADS1115 address must be one of 0x48-0x4B, not 0x{address:02x}")
        self.address = address
        self.inputs = inputs
        self.vdd_v = vdd_v
        self.noise_lsb = noise_lsb
        self.osc_error = osc_error
        self.alert_pin = alert_pin
        self._clock = clock
        self._rng = random.Random(seed)
        self._stuck_busy = False
        self._generation = 0          # bumped on every (re)start/stop: stale completions ignored
        self._release_cb = self._release_rdy_pulse      # bound once, scheduled per pulse
        self._done_cb = self._conversion_done          # ... and per conversion
        self._done_generation = 0
        self._done_at_s = -1.0
        self.on_start: list = []      # each hears (t_s, mux) when a conversion starts (benchmarks)
        self.reset()

    # --- state ----------------------------------------------------------------------
    def reset(self) -> None:
        """Power-on reset (also what an I2C general-call reset does)."""
        self._pointer = REG_CONVERSION
        self._config = CONFIG_RESET & ~OS_BIT          # OS is derived, never stored
        self._conversion = 0                           # unsigned 16-bit word
        self._lo_thresh = LO_THRESH_RESET
        self._hi_thresh = HI_THRESH_RESET
        self._rdy_mode = False        # the thresholds select conversion-ready mode
        self._generation += 1         # orphan any completion still scheduled
        self._converting = False      # a single-shot conversion is in progress
        self._continuous = False
        self._hung = False            # a completion arrived while stuck_busy
        self._conv_config = self._config               # MUX/PGA latched at conversion start
        self._conv_s = 0.0
        self._exceed_count = 0
        self._alert_asserted = False  # comparator / single-shot RDY state
        self._pulse_active = False    # continuous-mode RDY pulse
        self.conversions = 0
        self.last_conversion_t_s: float | None = None
        self._render_pin()

    @property
    def stuck_busy(self) -> bool:
        return self._stuck_busy

    @stuck_busy.setter
    def stuck_busy(self, stuck: bool) -> None:
        self._stuck_busy = bool(stuck)
        if not stuck and self._hung:
            self._hung = False
            if self._continuous:
                self._start_conversion()
                self._render_pin()
            else:
                self._converting = False

    @property
    def pointer(self) -> int:
        return self._pointer

    @property
    def config(self) -> int:
        """The Config register as a read returns it (OS bit included)."""
        return self._config | (OS_BIT if not (self._continuous or self._converting) else 0)

    @property
    def conversion_code(self) -> int:
        """The Conversion register, signed."""
        return _signed16(self._conversion)

    @property
    def busy(self) -> bool:
        return self._continuous or self._converting

    def conversion_time_s(self, config: int | None = None) -> float:
        """Conversion time for the data rate in `config` (default: current Config)."""
        cfg = self._config if config is None else config
        return (1.0 + self.osc_error) / DATA_RATE_SPS[(cfg >> 5) & 7]

    # --- I2C target -------------------------------------------------------------------
    def i2c_write(self, data, start: int, end: int) -> None:
        n = end - start
        if n <= 0:
            return                                     # address-only probe: ACK, nothing else
        pointer = data[start] & 3
        self._pointer = pointer
        if n < 3:
            return
        word = (data[start + 1] << 8) | data[start + 2]
        if pointer == REG_CONFIG:
            self._write_config(word)
        elif pointer != REG_CONVERSION:                # REG_CONVERSION is read-only
            if pointer == REG_LO_THRESH:
                self._lo_thresh = word
            elif pointer == REG_HI_THRESH:
                self._hi_thresh = word
            self._rdy_mode = bool(self._hi_thresh & 0x8000) and not self._lo_thresh & 0x8000

    def i2c_read_into(self, buf, start: int, end: int) -> None:
        pointer = self._pointer
        if pointer == REG_CONVERSION:
            word = self._conversion
            if self._alert_asserted and self._config & COMP_LAT_BIT:
                self._clear_latch()
        elif pointer == REG_CONFIG:
            word = self.config
        elif pointer == REG_LO_THRESH:
            word = self._lo_thresh
        else:
            word = self._hi_thresh
        msb = word >> 8
        lsb = word & 0xFF
        if end - start == 2:                           # the common case
            buf[start] = msb
            buf[start + 1] = lsb
            return
        for i in range(start, end):
            buf[i] = lsb if (i - start) & 1 else msb

    # --- conversions ------------------------------------------------------------------
    def _write_config(self, word: int) -> None:
        self._config = word & ~OS_BIT
        if word & COMP_QUE_DISABLED == COMP_QUE_DISABLED:
            self._alert_asserted = False
            self._exceed_count = 0
        if not word & MODE_SINGLE_BIT:
            self._continuous = True
            self._converting = False
            self._start_conversion()
        else:
            if self._continuous:                       # stop at once (see module doc)
                self._continuous = False
                self._generation += 1
                self._hung = False
            if word & OS_BIT and not self._converting:
                self._converting = True
                self._start_conversion()
        self._render_pin()

    def _start_conversion(self) -> None:
        """(Re)start the conversion cycle from now; earlier scheduled completions go stale."""
        self._generation += 1
        self._hung = False
        if self._alert_asserted and self._rdy_mode:
            self._alert_asserted = False               # RDY de-asserts when a conversion starts
        config = self._conv_config = self._config
        now_s = self._clock.now()
        if self.on_start:
            for listener in self.on_start:
                listener(now_s, (config >> 12) & 0x07)
        self._conv_s = self.conversion_time_s(config)
        self._done_at_s = now_s + self._conv_s
        self._done_generation = self._generation
        self._clock.call_at(self._done_at_s, self._done_cb)

    def _conversion_done(self, when_s: float) -> None:
        if self._done_generation != self._generation or when_s != self._done_at_s:
            return                                     # stale: the conversion was restarted or stopped
        if self._stuck_busy:
            self._hung = True                          # never completes until the fault clears
            return
        code = self._sample(when_s, self._conv_config)
        self._conversion = code & 0xFFFF
        self.conversions += 1
        self.last_conversion_t_s = when_s
        if self._continuous:
            self._done_at_s = when_s + self._conv_s
            self._clock.call_at(self._done_at_s, self._done_cb)
        else:
            self._converting = False
        self._compare(code, when_s)

    def _sample(self, t_s: float, config: int) -> int:
        """Code = round(V_diff / (FSR / 32768)) (+ noise), clipped to 16 bits signed."""
        inputs = self.inputs
        lo_v, hi_v = -0.3, self.vdd_v + 0.3            # the ESD-diode clamp
        p, n = INPUTS_BY_MUX[(config >> 12) & 7]
        volts = inputs(p, t_s)
        volts = lo_v if volts < lo_v else hi_v if volts > hi_v else volts
        if n >= 0:
            vn = inputs(n, t_s)
            volts -= lo_v if vn < lo_v else hi_v if vn > hi_v else vn
        x = volts * 32768.0 / FULL_SCALE_V[(config >> 9) & 7]
        if self.noise_lsb:
            x += self._rng.gauss(0.0, self.noise_lsb)
        code = floor(x + 0.5)
        if code > 32767:
            return 32767
        if code < -32768:
            return -32768
        return code

    # --- comparator and ALERT/RDY -----------------------------------------------------
    def _compare(self, code: int, when_s: float) -> None:
        config = self._config
        if config & COMP_QUE_DISABLED == COMP_QUE_DISABLED:
            return
        if self._rdy_mode:
            if self._continuous:
                self._pulse_active = True
                self._clock.call_at(when_s + RDY_PULSE_S, self._release_cb)
            else:
                self._alert_asserted = True
            self._render_pin()
            return
        hi = _signed16(self._hi_thresh)
        lo = _signed16(self._lo_thresh)
        window = config & COMP_MODE_WINDOW_BIT
        exceeds = code > hi or (window and code < lo)
        if exceeds:
            self._exceed_count += 1
            if self._exceed_count >= QUEUE_CONVERSIONS[config & 3]:
                self._alert_asserted = True
        else:
            self._exceed_count = 0
            if self._alert_asserted and not config & COMP_LAT_BIT:
                if window or code < lo:                # traditional: hysteresis down to Lo_thresh
                    self._alert_asserted = False
        self._render_pin()

    def _clear_latch(self) -> None:
        if self._rdy_mode:
            return
        self._alert_asserted = False
        self._exceed_count = 0
        self._render_pin()

    def _release_rdy_pulse(self, when_s: float) -> None:
        if self._pulse_active:
            self._pulse_active = False
            self._render_pin()

    def _render_pin(self) -> None:
        pin = self.alert_pin
        if pin is None:
            return
        config = self._config
        if config & COMP_QUE_DISABLED == COMP_QUE_DISABLED:
            pin.drive_high()                           # high-Z, pulled up
            return
        active = self._alert_asserted or self._pulse_active
        if active == bool(config & COMP_POL_HIGH_BIT):
            pin.drive_high()
        else:
            pin.drive_low()

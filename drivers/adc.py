"""The ADS1115 through the real Adafruit driver, with its pitfalls guarded.

Uses `adafruit_ads1x15` 3.0.5 (pinned) for the register protocol and I2C handling,
and adds what a real-time loop needs:

- **No waits at all on the sampling path.** The driver's single-shot read spins on
  the OS bit with no timeout, so a stuck chip hangs the process. Here `start(ain)`
  begins a conversion and returns; the caller comes back after `conversion_s` (the
  reactor runs other work meanwhile) and `poll()`s: the ALERT/RDY *level* (it stays
  asserted until the next conversion starts, so no edge can be missed) or the OS bit
  says whether it is done; past a deadline it raises `SensorTimeout`. `read_volts`
  does the same, waiting on the injected clock, for callers that may wait.
- **A fast path of plain writes and reads.** The configuration word of each input is
  worked out once (and checked against what the driver itself writes); a conversion is
  one 3-byte write of it, then (with ALERT/RDY) a 1-byte write that leaves the chip's
  address pointer at the Conversion register, and once RDY says it is done one plain
  2-byte read, on the busio API the driver itself uses (without its bus lock: only the
  sampling loop reads the ADC). Not a combined write-then-read: on a Pi, Blinka's
  builds ctypes structures for the kernel's I2C_RDWR call, about 8 us on the development
  machine against about 1 us for a plain read or write -- some 0.1 ms a conversion on a Pi
  Zero. The pointer is known to be there only after a start (the timeout's diagnosis reads
  the Config register); without the pin, the OS bit is polled with write-then-reads, and so
  is the result.
- **Transient bus errors are retried, without waiting.** A transaction that fails
  (a NACK, EIO) is tried again; only `retries` + 1 failures in a row -- any
  transactions, counted across calls, reset by one that succeeds -- raise a `BusError`:
  a bus that keeps failing, not a glitch. A failed start is written again at once (a
  NACK costs the address byte, ~50 us at 400 kHz; the start's time stamps the sample);
  a failed read makes `poll()` say "not yet", and the caller's next poll reads again --
  the result waits in the Conversion register, nothing is converted twice and the
  reactor runs other work in between. At the default 5 retries that is at most ~0.3 ms
  of writes or ~1.3 ms of polls (a 250 Hz sample has 4 ms). `counts()` tells the
  conversions collected and the transactions retried: the bus's error rate, for the
  self-test and the session's summary. A retry allocates nothing of the driver's own.
- **Single-shot only, through public API.** The driver is configured once through its
  constructor and public properties; every conversion after that is our own 3-byte
  Config write. (Its continuous mode is not used: in 3.0.5 it keeps the chip's previous
  input, and after any setter its fast read returns the Config word.)
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from adafruit_ads1x15 import ADS1115, ads1x15

from drivers.clock import Clock
from drivers.errors import BusError, DeviceMissing, HardwareError, SensorTimeout

GAIN_FOR_FULL_SCALE_V = {6.144: 2 / 3, 4.096: 1, 2.048: 2, 1.024: 4, 0.512: 8, 0.256: 16}
SINGLE_ENDED_MUX = (4, 5, 6, 7)   # AIN0..AIN3 against GND
# the Config register (datasheet table 8)
CONFIG_REGISTER, CONVERSION_REGISTER = 0x01, 0x00
OS_START = 0x8000
PGA_BITS = {6.144: 0x0000, 4.096: 0x0200, 2.048: 0x0400, 1.024: 0x0600, 0.512: 0x0800, 0.256: 0x0A00}
QUEUE_BITS = {1: 0x0000, 2: 0x0001, 4: 0x0002, 0: 0x0003}     # comparator queue (0: disabled)
RETRIES = 5                     # transactions that may fail in a row and be tried again
_CODE = struct.Struct(">h")     # the Conversion register: big-endian two's complement


@dataclass(frozen=True)
class BusCounts:
    """What a reader has done on the bus so far: conversions collected and transactions
    retried after a bus error. `since(earlier)` is what happened in between."""

    conversions: int = 0
    retries: int = 0

    def since(self, earlier: "BusCounts") -> "BusCounts":
        return BusCounts(self.conversions - earlier.conversions, self.retries - earlier.retries)

    @property
    def retries_per_100(self) -> float:
        """Retried transactions per 100 conversions (0 when nothing was converted)."""
        return self.retries * 100.0 / self.conversions if self.conversions else 0.0


class Ads1115Reader:
    """Reads ADS1115 inputs in volts. `i2c` is busio.I2C on the Pi or SimI2CBus in the simulator.

    `ready_pin` is a gpiozero `InputDevice` on ALERT/RDY (active low, pulled up) or None
    to poll the OS bit over I2C instead. The reader owns it: `close()` releases it. (A
    plain InputDevice whose level is polled: no event machinery runs per conversion.)
    """

    def __init__(self, i2c, clock: Clock, *, address: int = 0x48, full_scale_v: float = 4.096,
                 data_rate_sps: int = 860, ready_pin=None, timeout_factor: float = 4.0,
                 retries: int = RETRIES) -> None:
        self._clock = clock
        self.address = address
        self.full_scale_v = full_scale_v
        self.data_rate_sps = data_rate_sps
        self.lsb_v = full_scale_v / 32768.0
        self.conversion_s = 1.0 / data_rate_sps
        # the oscillator is +-10 %; allow bus time on top
        self.timeout_s = self.conversion_s * timeout_factor + 0.005
        self.retries = retries
        self.bus_retries = 0            # transactions tried again after a bus error, in all
        self.conversions = 0            # conversions collected, in all
        self._failed_in_a_row = 0
        self._poll_s = min(self.conversion_s / 8, 200e-6)
        self._ready = ready_pin
        self._ready_pin = ready_pin.pin if ready_pin is not None else None   # read its level directly
        self._ready_level = 0 if ready_pin is not None and ready_pin.pull_up else 1   # RDY is active low
        kwargs = {}
        if ready_pin is not None:
            # conversion-ready mode: Hi_thresh MSB = 1, Lo_thresh MSB = 0, queue enabled
            kwargs = dict(comparator_queue_length=1, comparator_low_threshold=0,
                          comparator_high_threshold=-32768)
        try:
            self._ads = ADS1115(i2c, gain=GAIN_FOR_FULL_SCALE_V[full_scale_v],
                                data_rate=data_rate_sps, mode=ads1x15.Mode.SINGLE,
                                address=address, **kwargs)
        except ValueError as e:   # adafruit_bus_device's probe: no ACK at the address
            self.close()
            raise DeviceMissing(f"ADC (ADS1115) not found at I2C address 0x{address:02X}") from e
        except OSError as e:
            self.close()
            raise BusError(f"I2C error talking to the ADC at 0x{address:02X}: {e}") from e
        self._i2c = i2c
        self._configs = tuple(bytes((CONFIG_REGISTER, word >> 8, word & 0xFF))
                              for word in (self.config_word(mux) for mux in SINGLE_ENDED_MUX))
        self._pointer = bytes((CONVERSION_REGISTER,))
        self._config_pointer = bytes((CONFIG_REGISTER,))
        self._buf = bytearray(2)
        self.started_s = 0.0            # clock time at which the conversion under way was started
        self._at_conversion = False     # the chip's address pointer is at the Conversion register

    def config_word(self, mux: int) -> int:
        """The Config register value that starts a single-shot conversion of `mux`, as
        the driver's own `_write_config` would write it with these settings."""
        ads = self._ads
        return (OS_START | (mux & 0x07) << 12 | PGA_BITS[self.full_scale_v] | ads.mode
                | ads.rate_config[ads.data_rate] | ads.comparator_mode | ads.comparator_polarity
                | ads.comparator_latch | QUEUE_BITS[ads.comparator_queue_length])

    def close(self) -> None:
        """Release the ALERT/RDY pin (the chip itself needs no shutdown)."""
        if self._ready is not None:
            self._ready.close()
            self._ready = self._ready_pin = None

    def _timeout(self) -> SensorTimeout:
        hint = "chip stuck?"
        if self._ready is not None:
            try:
                if self._converted():
                    hint = "the conversion finished but ALERT/RDY never did: set [adc] ready_pin = -1"
            except OSError:
                pass
        return SensorTimeout(f"ADC at 0x{self.address:02X}: conversion not finished after "
                             f"{self.timeout_s * 1000:.1f} ms ({hint})")

    # --- single shot --------------------------------------------------------------------
    def start(self, ain: int) -> None:
        """Begin a single-shot conversion of input `ain` (0-3) against GND; `poll()` it
        from `conversion_s` later. With ALERT/RDY, the address pointer is then moved to the
        Conversion register (where `poll()` reads with a plain read; a conversion under way
        is not disturbed by it). A failed write is tried again at once; raises `BusError`
        once `retries` + 1 transactions in a row have failed (a conversion may then be under
        way: the chip ignores a start until it is done)."""
        self._at_conversion = False
        self._write(self._configs[ain])                  # sets OS: the conversion starts
        self.started_s = self._clock.now()
        if self._ready_pin is not None:
            self._write(self._pointer)
            self._at_conversion = True

    def _write(self, data: bytes) -> None:
        while True:
            try:
                self._i2c.writeto(self.address, data)
            except OSError as e:
                self._failed(e)
                continue
            self._failed_in_a_row = 0
            return

    def _failed(self, error: OSError) -> None:
        """A transaction failed: it may be tried again, unless too many failed in a row."""
        if self._failed_in_a_row >= self.retries:
            self._failed_in_a_row = 0
            raise BusError(f"I2C error talking to the ADC at 0x{self.address:02X}: {error} "
                           f"({self.retries + 1} transactions in a row failed)") from error
        self._failed_in_a_row += 1
        self.bus_retries += 1

    def counts(self) -> BusCounts:
        """Conversions collected and transactions retried so far."""
        return BusCounts(self.conversions, self.bus_retries)

    def _converted(self) -> bool:
        """The OS bit of the Config register: set once the conversion is done."""
        self._at_conversion = False
        self._i2c.writeto_then_readfrom(self.address, self._config_pointer, self._buf)
        self._failed_in_a_row = 0
        return bool(self._buf[0] & 0x80)

    def poll(self) -> float | None:
        """The started conversion in volts, or None while it is not done yet, or a read
        of it failed (poll again a little later: the result waits in the chip). Raises
        `SensorTimeout` once it is overdue, `BusError` once `retries` + 1 transactions in
        a row have failed."""
        try:
            ready = self._ready_pin
            if not (ready.state == self._ready_level if ready is not None else self._converted()):
                if self._clock.now() >= self.started_s + self.timeout_s:
                    raise self._timeout()
                return None
            if self._at_conversion:
                self._i2c.readfrom_into(self.address, self._buf)       # the pointer is there (start)
            else:
                self._i2c.writeto_then_readfrom(self.address, self._pointer, self._buf)
        except HardwareError:
            raise
        except OSError as e:
            self._failed(e)
            return None
        self._failed_in_a_row = 0
        self.conversions += 1
        return _CODE.unpack_from(self._buf)[0] * self.lsb_v

    def read_volts(self, ain: int) -> float:
        """One single-shot conversion of input `ain`, waiting for it on the clock."""
        clock = self._clock
        self.start(ain)
        while True:
            clock.sleep(self.started_s + self.conversion_s - clock.now())
            volts = self.poll()
            if volts is not None:
                return volts
            clock.sleep(self._poll_s)

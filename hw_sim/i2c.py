"""A simulated I2C bus with the busio API (for adafruit_bus_device) and an smbus2 facade (for luma).

Every transaction costs the virtual time it would take on the wire at the configured
clock rate (start + 9 bits per byte including the address + stop, plus a fixed
per-transaction overhead for the kernel driver), so chips that share the bus delay
each other exactly as on the Pi. An absent or faulted address NACKs with the same
`OSError(EREMOTEIO)` the Linux i2c-dev driver raises.

The bus stands in for the libraries below the busio and smbus2 calls (Blinka, PureIO,
smbus2) and for the kernel's system calls: each call charges the clock's CPU ledger what
they cost the device, `LIBRARY_COST_S`, measured on the development machine by
`python -m tools.library_costs` (the machine whose CPU `[sim] cpu_factor` scales to a Pi's;
the device's own code is measured as it runs, these are constants: on a faster or slower host
they stand for too much or too little -- on the machine of 2026-12-05 up to twice as much -- so
the session benchmark measures them on its own host and charges those, `use_library_costs`).
The kernel's own I2C work is not in it.
"""

from __future__ import annotations

import errno
import random
from typing import Protocol

from hw_sim.clock import VirtualClock

# seconds of CPU a call of the libraries the bus stands in for costs (`python -m tools.library_costs`)
LIBRARY_COST_S = {"writeto": 1.1e-6, "readfrom_into": 1.2e-6, "writeto_then_readfrom": 8.0e-6,
                  "write_i2c_block_data": 3.2e-6}


class I2CTarget(Protocol):
    """What an emulated chip must provide to sit on the bus."""

    address: int

    def i2c_write(self, data, start: int, end: int) -> None:
        """Receive bytes `data[start:end]` written after the address byte (may be empty)."""

    def i2c_read_into(self, buf, start: int, end: int) -> None:
        """Fill `buf[start:end]` with the bytes the chip clocks out."""


def nack_error(address: int) -> OSError:
    return OSError(errno.EREMOTEIO, f"Remote I/O error (no ACK from 0x{address:02x})")


class SimI2CBus:
    """busio.I2C look-alike backed by emulated chips and a virtual clock."""

    def __init__(self, clock: VirtualClock, bus_hz: int = 400_000,
                 overhead_s: float = 20e-6, seed: int = 0) -> None:
        self.clock = clock
        self._ledger = clock.ledger
        self.bus_hz = bus_hz
        self.overhead_s = overhead_s
        self.transactions = 0
        self._durations: dict[tuple[int, int], float] = {}
        self._targets: dict[int, I2CTarget] = {}
        self._fail_next: dict[int, int] = {}
        self._error_rate: dict[int, float] = {}
        self._rng = random.Random(seed)
        self.use_library_costs(LIBRARY_COST_S)

    def use_library_costs(self, cost_s: dict[str, float]) -> None:
        """Charge each call what `cost_s` (keyed as `LIBRARY_COST_S`) says the library call it
        stands for costs: the benchmark's, measured on its own host."""
        self._write_cost_s = cost_s["writeto"]
        self._read_cost_s = cost_s["readfrom_into"]
        self._write_read_cost_s = cost_s["writeto_then_readfrom"]
        self.block_cost_s = cost_s["write_i2c_block_data"]

    # --- wiring and fault injection -------------------------------------------------
    def attach(self, target: I2CTarget) -> None:
        self._targets[target.address] = target

    def detach(self, address: int) -> None:
        """Unplug the chip at `address`: from now on it NACKs."""
        self._targets.pop(address, None)

    def fail_next(self, address: int, count: int) -> None:
        """NACK the next `count` transactions to `address` (a burst of bus errors)."""
        self._fail_next[address] = count

    def set_error_rate(self, address: int, probability: float) -> None:
        """NACK each transaction to `address` with `probability` (seeded, reproducible)."""
        self._error_rate[address] = probability

    def _target(self, address: int) -> I2CTarget | None:
        """The chip at `address` if it ACKs this transaction, else None (a fault may NACK it).
        (Transactions look up a healthy bus's chips themselves and come here on faults.)"""
        target = self._targets.get(address)
        pending = self._fail_next.get(address, 0)
        if pending:
            if pending > 1:
                self._fail_next[address] = pending - 1
            else:
                del self._fail_next[address]
            target = None
        rate = self._error_rate.get(address, 0.0)
        if rate and self._rng.random() < rate:
            target = None
        return target

    # --- busio.I2C API ----------------------------------------------------------------
    def try_lock(self) -> bool:
        return True

    def unlock(self) -> None:
        pass

    def deinit(self) -> None:
        pass

    def scan(self) -> list[int]:
        """Addresses that ACK, as busio.I2C.scan() returns them (probes every address)."""
        found = []
        for address in range(0x08, 0x78):
            try:
                self.writeto(address, b"")
            except OSError:
                continue
            found.append(address)
        return found

    # every transaction is the simulator's own work: booked in the clock's CPU ledger
    def writeto(self, address: int, buffer, *, start: int = 0, end: int | None = None,
                cost_s: float | None = None) -> None:
        """(`cost_s`: what the library call it stands for costs, if not busio's `writeto`.)"""
        ledger = self._ledger
        ledger.open()
        try:
            ledger.charge(self._write_cost_s if cost_s is None else cost_s)
            if end is None:
                end = len(buffer)
            self._addressed(address, end - start).i2c_write(buffer, start, end)
        finally:
            ledger.close()

    def readfrom_into(self, address: int, buffer, *, start: int = 0, end: int | None = None) -> None:
        ledger = self._ledger
        ledger.open()
        try:
            ledger.charge(self._read_cost_s)
            if end is None:
                end = len(buffer)
            self._addressed(address, end - start).i2c_read_into(buffer, start, end)
        finally:
            ledger.close()

    def writeto_then_readfrom(self, address: int, buffer_out, buffer_in, *,
                              out_start: int = 0, out_end: int | None = None,
                              in_start: int = 0, in_end: int | None = None) -> None:
        ledger = self._ledger
        ledger.open()
        try:
            ledger.charge(self._write_read_cost_s)
            if out_end is None:
                out_end = len(buffer_out)
            if in_end is None:
                in_end = len(buffer_in)
            target = self._addressed(address, (out_end - out_start) + (in_end - in_start), 1)
            target.i2c_write(buffer_out, out_start, out_end)
            target.i2c_read_into(buffer_in, in_start, in_end)
        finally:
            ledger.close()

    def _addressed(self, address: int, n_bytes: int, restarts: int = 0) -> I2CTarget:
        """The chip that ACKs `address` (a healthy bus looks it up directly), once the
        transaction's `n_bytes` plus address bytes have taken their time on the wire (start,
        9 bits a byte, stop, and the driver's overhead); a NACK takes the address byte's."""
        target = self._targets.get(address)
        if target is None or self._fail_next or self._error_rate:
            target = self._target(address)
            if target is None:
                n_bytes = restarts = 0
        key = (n_bytes, restarts)
        duration_s = self._durations.get(key)
        if duration_s is None:
            bits = 2 + 9 * (1 + restarts + n_bytes) + restarts
            duration_s = self._durations[key] = bits / self.bus_hz + self.overhead_s
        self.transactions += 1
        self.clock.sleep(duration_s)
        if target is None:
            raise nack_error(address)
        return target

    # --- smbus2 facade ----------------------------------------------------------------
    def smbus(self) -> "SimSMBus":
        return SimSMBus(self)


class SimSMBus:
    """The subset of smbus2.SMBus that luma.core's i2c interface uses, on the same wire."""

    def __init__(self, bus: SimI2CBus) -> None:
        self._bus = bus

    def write_i2c_block_data(self, i2c_addr: int, register: int, data, force=None) -> None:
        if len(data) > 32:
            raise ValueError("SMBus block writes carry at most 32 bytes")
        bus = self._bus
        bus.writeto(i2c_addr, bytes([register, *data]), cost_s=bus.block_cost_s)

    def close(self) -> None:
        pass

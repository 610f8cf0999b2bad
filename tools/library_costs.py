"""What the I2C libraries below the drivers cost in CPU for each call, measured on this machine.

    python -m tools.library_costs          (make library-costs)

On the Pi the ADC driver's busio calls go through Adafruit Blinka and Adafruit_PureIO into
the kernel (an ioctl to pick the address, then a write or read; a combined write-then-read is
one I2C_RDWR ioctl built from ctypes structures), and luma's screen writes through smbus2 (one
I2C_SMBUS ioctl, also from ctypes). The simulator's bus stands in for all of that below the
busio and smbus2 calls, so it charges each call what this measures (`hw_sim.i2c.LIBRARY_COST_S`),
the CPU meter counting it as the device's.

Measured with the kernel's part replaced: the ioctls do nothing, each counted as one system
call of this machine's (an `os.read` of /dev/zero, timed here); writes go to /dev/null and reads
come from /dev/zero, real system calls. The kernel's own I2C work (the driver, its interrupts)
is not in it. Prints the least of several runs (this machine's load only ever adds: two runs a
minute apart here differed by 1.7x), and the line for `hw_sim/i2c.py`.
"""

from __future__ import annotations

import os
import sys
import threading
import time

os.environ.setdefault("BLINKA_FORCECHIP", "BCM2XXX")          # Blinka loads off a Pi only so
os.environ.setdefault("BLINKA_FORCEBOARD", "RASPBERRY_PI_ZERO_2_W")

CALLS = 20_000
RUNS = 9


def _per_call_s(call, calls: int = CALLS) -> float:
    for _ in range(calls // 20):
        call()
    start_s = time.thread_time()
    for _ in range(calls):
        call()
    return (time.thread_time() - start_s) / calls


def measure() -> dict[str, float]:
    """Seconds of CPU a call, by what the simulator's bus is asked to do."""
    import Adafruit_PureIO.smbus as pureio
    import busio
    import smbus2.smbus2 as smbus2_module
    from adafruit_blinka.microcontroller.generic_linux.i2c import I2C as LinuxI2C

    zero = os.open("/dev/zero", os.O_RDONLY)
    syscall_s = _per_call_s(lambda: os.read(zero, 2))

    def ioctl(fd, request, arg=0, mutate_flag=True):         # the kernel's part: nothing
        return 0

    class Device:                                            # /dev/i2c-N, as a file
        def __init__(self) -> None:
            self._null = open("/dev/null", "r+b", buffering=0)
            self._zero = open("/dev/zero", "rb", buffering=0)

        def fileno(self) -> int:
            return self._null.fileno()

        def write(self, data) -> int:
            return self._null.write(data)

        def read(self, n: int) -> bytes:
            return self._zero.read(n)

        def close(self) -> None:
            self._null.close()
            self._zero.close()

    saved = pureio.ioctl, smbus2_module.ioctl
    pureio.ioctl = smbus2_module.ioctl = ioctl
    try:
        smbus = pureio.SMBus()
        smbus._device = Device()
        linux = LinuxI2C.__new__(LinuxI2C)
        linux._i2c_bus = smbus

        class Bus(busio.I2C):
            def __init__(self) -> None:
                self._lock = threading.RLock()
                self._i2c = linux
        bus = Bus()
        screen = smbus2_module.SMBus()
        screen.fd = smbus._device.fileno()
        config, pointer, result, chunk = bytes((1, 0xC3, 0x83)), bytes((0,)), bytearray(2), list(range(32))
        costs = {
            # a write and a read each pick the address with one ioctl; I2C_RDWR is one; so is I2C_SMBUS
            "writeto": _per_call_s(lambda: bus.writeto(0x48, config)) + syscall_s,
            "readfrom_into": _per_call_s(lambda: bus.readfrom_into(0x48, result)) + syscall_s,
            "writeto_then_readfrom": _per_call_s(lambda: bus.writeto_then_readfrom(0x48, pointer, result))
            + syscall_s,
            "write_i2c_block_data": _per_call_s(lambda: screen.write_i2c_block_data(0x3C, 0x40, chunk))
            + syscall_s,
        }
        smbus._device.close()
    finally:
        pureio.ioctl, smbus2_module.ioctl = saved
        os.close(zero)
    return costs


def least(runs: int = RUNS) -> dict[str, float]:
    """Each call's least cost of `runs` measurements (this machine's load only ever adds)."""
    measured = [measure() for _ in range(runs)]
    return {name: min(m[name] for m in measured) for name in measured[0]}


def main() -> int:
    costs = least()
    for name, cost_s in costs.items():
        print(f"  {name:<22} {cost_s * 1e6:6.2f} us a call")
    print("for hw_sim/i2c.py:  LIBRARY_COST_S = {" + ", ".join(
        f'"{name}": {cost_s * 1e6:.1f}e-6' for name, cost_s in costs.items()) + "}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

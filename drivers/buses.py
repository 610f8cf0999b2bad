"""Opening the Pi's real I2C bus, once for each library's API.

The Adafruit driver wants a busio.I2C; luma wants an smbus2.SMBus. Both open
/dev/i2c-N, and the kernel serialises their transactions on the one wire.
"""

from __future__ import annotations

import os
import threading

from drivers.errors import HardwareError

ENABLE_HINT = "enable I2C with 'sudo raspi-config nonint do_i2c 0' and reboot"


def _check_device(bus_number: int) -> str:
    path = f"/dev/i2c-{bus_number}"
    if not os.path.exists(path):
        raise HardwareError(f"{path} does not exist: {ENABLE_HINT}")
    if not os.access(path, os.R_OK | os.W_OK):
        raise HardwareError(f"no permission to use {path}: add the user to the i2c group")
    return path


def open_busio(bus_number: int):
    """busio.I2C on /dev/i2c-`bus_number` (Blinka's Linux backend)."""
    path = _check_device(bus_number)
    try:
        import busio
        from adafruit_blinka.microcontroller.generic_linux.i2c import I2C as LinuxI2C
    except Exception as e:  # Blinka refuses to load off a supported board
        raise HardwareError(f"cannot load the I2C library (Adafruit Blinka): {e}") from e

    class NumberedI2C(busio.I2C):
        """busio.I2C on a bus chosen by number (as adafruit_extended_bus does)."""

        def __init__(self, number: int) -> None:  # pins are implied by the bus number
            self._lock = threading.RLock()
            self.deinit()
            self._i2c = LinuxI2C(number, mode=LinuxI2C.MASTER)

    try:
        return NumberedI2C(bus_number)
    except (OSError, RuntimeError) as e:   # Blinka reports a missing bus as RuntimeError
        raise HardwareError(f"cannot open {path}: {e} ({ENABLE_HINT})") from e


def open_smbus(bus_number: int):
    """smbus2.SMBus on /dev/i2c-`bus_number`, for luma's i2c interface."""
    import smbus2
    path = _check_device(bus_number)
    try:
        return smbus2.SMBus(bus_number)
    except OSError as e:
        raise HardwareError(f"cannot open {path}: {e.strerror}") from e

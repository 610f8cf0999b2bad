"""Opening the Pi's real I2C bus, once for each library's API.

The Adafruit driver wants a busio.I2C; luma wants an smbus2.SMBus. Both open
/dev/i2c-N, and the kernel serialises their transactions on the one wire.
"""

from __future__ import annotations

from drivers.errors import HardwareError


def open_busio(bus_number: int):
    """busio.I2C on /dev/i2c-`bus_number` (Blinka's Linux backend)."""
    try:
        from adafruit_blinka.microcontroller.generic_linux.i2c import I2C as LinuxI2C
        import busio
    except Exception as e:  # Blinka refuses to load off a supported board
        raise HardwareError(f"cannot load the I2C library (Adafruit Blinka): {e}") from e

    class NumberedI2C(busio.I2C):
        """busio.I2C on a bus chosen by number (as adafruit_extended_bus does)."""

        def __init__(self, number: int) -> None:  # noqa: D107 - pins are implied by the number
            self.deinit()
            self._i2c = LinuxI2C(number, mode=LinuxI2C.MASTER)

    try:
        return NumberedI2C(bus_number)
    except OSError as e:
        raise HardwareError(f"cannot open /dev/i2c-{bus_number}: {e.strerror} "
                            "(is I2C enabled with raspi-config, and are you in the i2c group?)") from e


def open_smbus(bus_number: int):
    """smbus2.SMBus on /dev/i2c-`bus_number`, for luma's i2c interface."""
    import smbus2
    try:
        return smbus2.SMBus(bus_number)
    except OSError as e:
        raise HardwareError(f"cannot open /dev/i2c-{bus_number}: {e.strerror} "
                            "(is I2C enabled with raspi-config, and are you in the i2c group?)") from e

"""Typed hardware errors. Each inherits OSError so callers may also catch it broadly."""


class HardwareError(OSError):
    """A device on the bus misbehaves or is missing; the message says which."""


class DeviceMissing(HardwareError):
    """A device did not answer at its address (wiring, power, wrong address)."""


class SensorTimeout(HardwareError):
    """A conversion did not finish in time (stuck chip, lost RDY line)."""


class BusError(HardwareError):
    """An I2C transaction failed (NACK, arbitration lost, EIO)."""


class SensorFault(HardwareError):
    """A sensor reads outside anything it can measure: disconnected, shorted or saturated."""

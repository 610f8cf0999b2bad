"""Choosing the gpiozero pin factory once, like gpiozero itself does.

On the Pi the default is the RPi.GPIO API (the design card's library; installed as
rpi-lgpio, which implements it on lgpio so that it works on Bookworm kernels and the
Pi 5), then lgpio directly, then gpiozero's pure-Python native factory; the simulator
hands in a mock factory.
The rest of the code only ever sees the factory object it is given.
"""

from __future__ import annotations

from gpiozero.pins import Factory

from drivers.errors import HardwareError

_FACTORIES = {
    "rpigpio": ("gpiozero.pins.rpigpio", "RPiGPIOFactory"),
    "lgpio": ("gpiozero.pins.lgpio", "LGPIOFactory"),
    "native": ("gpiozero.pins.native", "NativeFactory"),
}
AUTO_ORDER = ("rpigpio", "lgpio", "native")


def _load(name: str) -> Factory:
    module_name, class_name = _FACTORIES[name]
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)()


def make_pin_factory(name: str = "auto") -> Factory:
    """The pin factory called `name` ("auto", "rpigpio", "lgpio", "native" or "mock")."""
    if name == "mock":
        from gpiozero.pins.mock import MockFactory, MockPWMPin
        return MockFactory(pin_class=MockPWMPin)
    names = AUTO_ORDER if name == "auto" else (name,)
    reasons = []
    for candidate in names:
        try:
            return _load(candidate)
        except Exception as e:  # import errors, no /dev/gpiomem, not a Pi ...
            reasons.append(f"{candidate}: {e}")
    raise HardwareError(f"no usable GPIO pin factory ({'; '.join(reasons)})")

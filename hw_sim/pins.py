"""gpiozero mock pins that live on the virtual clock.

gpiozero's `MockFactory` stamps pin history with real `time.monotonic()`. Here the
factory's ticks and every pin's recorded history use the simulator's clock, so a
test can ask what the buzzer did at simulated second 12.3 -- and press buttons at
scheduled virtual times.
"""

from __future__ import annotations

from gpiozero.pins.mock import MockFactory, MockPWMPin

from hw_sim.clock import VirtualClock


class VirtualPWMPin(MockPWMPin):
    """A mock pin (PWM-capable); as an output, its `history` lists (virtual_s, state), and
    each of its `watchers(virtual_s, state)` hears every change (what a listener hears)."""

    def __init__(self, factory, info):
        self.history: list[tuple[float, float]] = []
        self.watchers: list = []
        self.clock = factory.clock          # read at every change (the factory is a property)
        super().__init__(factory, info)

    def _change_state(self, value):
        # gpiozero's MockPin keeps every change in `states` (real-time stamps, unbounded);
        # an emulated chip toggles ALERT/RDY twice per conversion, so keep only outputs' history
        if self._state == value:
            return False
        self._state = value
        self._last_change = now = self.clock.now()
        if self._function == "output":
            self.history.append((now, float(value)))
            if self.watchers:                       # the simulated user listening: not the device's work
                with self.clock.ledger:
                    for watcher in self.watchers:
                        watcher(now, float(value))
        return True


class VirtualMockFactory(MockFactory):
    """A MockFactory whose time base is `clock`."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        super().__init__(pin_class=VirtualPWMPin)

    def ticks(self) -> float:
        return self.clock.now()

    def press(self, pin_number: int, at_s: float, hold_s: float = 0.2) -> None:
        """Press the button on `pin_number` (to GND) at virtual `at_s` for `hold_s`."""
        pin = self.pin(pin_number)
        self.clock.call_at(at_s, lambda _t: pin.drive_low())
        self.clock.call_at(at_s + hold_s, lambda _t: pin.drive_high())

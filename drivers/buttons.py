"""Front-panel push buttons (to GND, internal pull-ups), debounced on the loop's clock.

`poll()` is called from the loop; it returns the names of buttons newly pressed since
the last call. Debouncing reads the injected clock rather than gpiozero's real-time
bounce timer, so the simulator presses buttons deterministically. Each button is a plain
`DigitalInputDevice` (active low): gpiozero's `Button` adds a hold thread that wakes ten
times a second and takes up to 0.1 s to stop, for a `when_held` the loop does not use.
"""

from __future__ import annotations

from gpiozero import DigitalInputDevice

from drivers.clock import Clock


class Buttons:
    def __init__(self, pins: dict[str, int], clock: Clock, *, pin_factory=None,
                 debounce_s: float = 0.03) -> None:
        self._clock = clock
        self._debounce_s = debounce_s
        self._buttons = {name: DigitalInputDevice(pin, pull_up=True, pin_factory=pin_factory)
                         for name, pin in pins.items()}
        self._stable = {name: False for name in pins}
        self._changed_s = {name: -1.0 for name in pins}

    def is_pressed(self, name: str) -> bool:
        return self._buttons[name].is_active

    def poll(self) -> list[str]:
        """Names of the buttons whose debounced state went to pressed since the last poll."""
        now_s = self._clock.now()
        pressed = []
        for name, button in self._buttons.items():
            raw = button.is_active
            if raw == self._stable[name]:
                self._changed_s[name] = -1.0
                continue
            if self._changed_s[name] < 0:
                self._changed_s[name] = now_s
            elif now_s - self._changed_s[name] >= self._debounce_s:
                self._stable[name] = raw
                self._changed_s[name] = -1.0
                if raw:
                    pressed.append(name)
        return pressed

    def close(self) -> None:
        for button in self._buttons.values():
            button.close()

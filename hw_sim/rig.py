"""A whole simulated bench, OctoPrint-virtual-printer style: only transports are fake.

Builds the virtual clock, one I2C bus with the ADS1115 and SSD1306 emulators on it,
gpiozero mock pins on the same clock (ALERT/RDY, buzzer, buttons), the cushion's
sensor models and the body sitting on it. The device hands `bus`, `bus.smbus()`,
`pin_factory` and `clock` to the very same drivers it uses on the Pi.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from hw_sim.ads1115 import Ads1115Emulator
from hw_sim.body import Body, BodyParams
from hw_sim.calendar import SimCalendar
from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus
from hw_sim.pins import VirtualMockFactory
from hw_sim.sensors import CushionInputs
from hw_sim.ssd1306 import Ssd1306Emulator


@dataclass(frozen=True)
class RigSettings:
    seed: int = 0
    bus_hz: int = 400_000
    overhead_s: float = 20e-6
    adc_address: int = 0x48
    oled_address: int = 0x3C
    ready_pin: int = 17              # -1: ALERT/RDY not wired
    perineal_ain: int = 0
    left_ain: int = 1
    right_ain: int = 2
    supply_ain: int = 3
    adc_present: bool = True
    oled_present: bool = True
    oled_upside_down: bool = False   # the panel mounted so (`[oled] rotate = 2` draws for it)
    adc_stuck_busy: bool = False
    adc_error_rate: float = 0.0
    body: BodyParams = BodyParams()


class SimRig:
    """The simulated hardware. Attributes are the parts a test may poke at."""

    def __init__(self, settings: RigSettings = RigSettings()) -> None:
        s = settings
        self.settings = s
        self.clock = VirtualClock()
        self.calendar = SimCalendar(self.clock)
        self.bus = SimI2CBus(self.clock, bus_hz=s.bus_hz, overhead_s=s.overhead_s, seed=s.seed)
        self.pin_factory = VirtualMockFactory(self.clock)
        self.body = Body(s.body, seed=s.seed)
        self.inputs = CushionInputs(self.body, perineal_ain=s.perineal_ain, left_ain=s.left_ain,
                                    right_ain=s.right_ain, supply_ain=s.supply_ain, seed=s.seed)
        alert_pin = self.pin_factory.pin(s.ready_pin) if s.ready_pin >= 0 else None
        self.adc = Ads1115Emulator(self.clock, self.inputs, address=s.adc_address,
                                   alert_pin=alert_pin, seed=s.seed)
        self.adc.stuck_busy = s.adc_stuck_busy
        self.oled = Ssd1306Emulator(address=s.oled_address)
        if s.adc_present:
            self.bus.attach(self.adc)
        if s.oled_present:
            self.bus.attach(self.oled)
        if s.adc_error_rate:
            self.bus.set_error_rate(s.adc_address, s.adc_error_rate)

    def seen(self) -> Image.Image:
        """The OLED as a person in front of the device sees it: the panel's picture, turned
        where the panel is mounted upside down (a simulated user read such a screen upside
        down and never found the menu: a trial)."""
        image = self.oled.image()
        return image.rotate(180) if self.settings.oled_upside_down else image

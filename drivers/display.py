"""The SSD1306 OLED through the real luma.oled driver.

luma talks to the panel through an smbus-like object we hand in: `smbus2.SMBus(1)` on
the Pi, `SimI2CBus.smbus()` in the simulator, so the same code runs on both. What this
wrapper adds:

- **Typed errors.** luma raises `DeviceNotFoundError` for a NACK on commands but lets
  a bare `OSError` through on data writes; both become `DisplayError` naming the address.
- **The last screen stays.** luma registers an atexit hook that blanks and switches off
  the panel unless `persist` is set; we set it by default so an error message outlives
  the process.
- **Bus cost.** With a caller-supplied bus luma sends pixel data in 32-byte SMBus block
  writes: a full frame is one 7-byte command write plus 32 writes of 33 bytes (about
  25 ms at 400 kHz), so redraw only when the screen changes.
"""

from __future__ import annotations

from luma.core.error import DeviceNotFoundError
from luma.core.interface.serial import i2c
from luma.oled.device import ssd1306
from PIL import Image, ImageDraw

from drivers.errors import HardwareError

WIDTH_PX = 128
HEIGHT_PX = 64


class DisplayError(HardwareError):
    """The OLED is missing or an I2C write to it failed; the message names the address."""


class Oled:
    """A 128x64 SSD1306 on I2C. `smbus_like` is smbus2.SMBus on the Pi or SimI2CBus.smbus()."""

    def __init__(self, smbus_like, address: int = 0x3C, rotate: int = 0,
                 persist: bool = True) -> None:
        self.address = address
        try:
            serial = i2c(bus=smbus_like, address=address)
            # the constructor sends the init sequence and a blank frame: it is the probe
            self._device = ssd1306(serial, width=WIDTH_PX, height=HEIGHT_PX, rotate=rotate)
        except DeviceNotFoundError as e:   # luma's name for a NACK on a command write
            raise DisplayError(f"OLED not found at I2C address 0x{address:02X} "
                               "(no ACK: check wiring, power and the address jumper)") from e
        except OSError as e:
            raise DisplayError(f"OLED not found at I2C address 0x{address:02X} ({e})") from e
        self._device.persist = persist   # luma's atexit cleanup then leaves the screen alone

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels of the images `show()` takes: (64, 128) when rotated 1 or 3."""
        return self._device.size

    def _write_failed(self, doing: str, error: Exception) -> DisplayError:
        return DisplayError(f"OLED at I2C address 0x{self.address:02X}: {doing} failed ({error})")

    def show(self, image: Image.Image) -> None:
        """Send a whole frame: a mode '1' image of `size` (luma rotates it for the panel)."""
        if image.mode != "1" or image.size != self.size:
            raise ValueError(f"OLED needs a mode '1' image of {self.size[0]}x{self.size[1]}, "
                             f"got mode {image.mode!r} {image.size[0]}x{image.size[1]}")
        try:
            self._device.display(image)
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed("sending a frame", e) from e

    def draw_test_pattern(self) -> Image.Image:
        """Border, checkerboard block and 'pftrainer' / 'test'; returns the image sent."""
        width, height = self.size
        image = Image.new("1", (width, height), 0)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, width - 1, height - 1), outline=255)
        square_px, squares = 4, 6                   # a 24x24 checkerboard, top left
        for row in range(squares):
            for col in range(squares):
                if (row + col) % 2 == 0:
                    x, y = 4 + col * square_px, 4 + row * square_px
                    draw.rectangle((x, y, x + square_px - 1, y + square_px - 1), fill=255)
        text_x = 4 if width < 96 else 34
        text_y = 4 + squares * square_px + 4 if width < 96 else 8
        draw.text((text_x, text_y), "pftrainer", fill=255)
        draw.text((text_x, text_y + 14), "test", fill=255)
        self.show(image)
        return image

    def contrast(self, level: int) -> None:
        """Panel brightness 0-255 (contrast current; not linear in perceived light)."""
        if not 0 <= level <= 255:
            raise ValueError(f"OLED contrast must be 0-255, got {level}")
        try:
            self._device.contrast(level)
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed("setting contrast", e) from e

    def on(self) -> None:
        """Wake the panel after `off()`; GDDRAM kept the last frame."""
        try:
            self._device.show()
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed("switching on", e) from e

    def off(self) -> None:
        """Sleep mode (display off); the frame stays in GDDRAM for `on()`."""
        try:
            self._device.hide()
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed("switching off", e) from e

    def close(self) -> None:
        """Release luma's resources; with persist the last screen stays lit, else it is blanked."""
        try:
            self._device.cleanup()
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed("closing", e) from e

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

from collections import deque

from luma.core.error import DeviceNotFoundError
from luma.core.interface.serial import i2c
from luma.oled.device import ssd1306
from PIL import Image, ImageDraw

from drivers.errors import HardwareError

WIDTH_PX = 128
HEIGHT_PX = 64


class DisplayError(HardwareError):
    """The OLED is missing or an I2C write to it failed; the message names the address."""


class QueuedSerial:
    """A luma serial interface that queues transactions instead of sending them.

    luma's `display()` packs a frame and hands it over at once (about 25 ms of bus time
    at 400 kHz); the sampling loop instead sends it a transaction at a time with
    `pump()`, between two ADC reads, so sampling keeps its rhythm. A new frame replaces
    the rest of an unsent one (each frame re-addresses the whole screen).
    """

    def __init__(self, serial) -> None:
        self._serial = serial
        self._queue: deque = deque()
        self.frame_tag = None          # what the frame being sent shows (for the caller)
        self.framing = False           # True while luma packs a frame: only that may be dropped

    def command(self, *cmd) -> None:
        if self.framing:
            self._queue.append((True, cmd))
        else:                          # contrast, on/off: small, sent at once, never dropped
            self._serial.command(*cmd)

    def data(self, data) -> None:
        for i in range(0, len(data), 32):
            self._queue.append((False, list(data[i:i + 32])))

    @property
    def pending(self) -> int:
        return len(self._queue)

    def clear(self) -> None:
        self._queue.clear()

    def send_one(self) -> bool:
        """Send the next transaction; True when that emptied the queue."""
        is_command, payload = self._queue.popleft()
        if is_command:
            self._serial.command(*payload)
        else:
            self._serial.data(payload)
        return not self._queue

    def cleanup(self) -> None:
        while self._queue:
            self.send_one()
        self._serial.cleanup()


class Oled:
    """A 128x64 SSD1306 on I2C. `smbus_like` is smbus2.SMBus on the Pi or SimI2CBus.smbus().

    With `queued=True`, `show()` only queues the frame and `pump()` sends it piecewise.
    """

    def __init__(self, smbus_like, address: int = 0x3C, rotate: int = 0,
                 persist: bool = True, queued: bool = False) -> None:
        self.address = address
        self._queue: QueuedSerial | None = None
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
        if queued:
            self._queue = QueuedSerial(serial)
            self._device._serial_interface = self._queue

    @property
    def pending(self) -> int:
        """Transactions of the current frame not sent yet (queued mode)."""
        return self._queue.pending if self._queue is not None else 0

    @property
    def frame_tag(self) -> object:
        """The tag `show()` was given for the frame being (or last) sent."""
        return self._queue.frame_tag if self._queue is not None else None

    def pump(self, clock, until_s: float, transaction_s: float) -> bool:
        """Send queued transactions while one more fits before `until_s`.

        True when the queued frame has just been completely sent (see `frame_tag`).
        """
        queue = self._queue
        try:
            while queue.pending and clock.now() + transaction_s <= until_s:
                if queue.send_one():
                    return True
        except (DeviceNotFoundError, OSError) as e:
            queue.clear()
            raise self._write_failed("sending a frame", e) from e
        return False

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels of the images `show()` takes: (64, 128) when rotated 1 or 3."""
        return self._device.size

    def _write_failed(self, doing: str, error: Exception) -> DisplayError:
        return DisplayError(f"OLED at I2C address 0x{self.address:02X}: {doing} failed ({error})")

    def show(self, image: Image.Image, tag: object = None) -> None:
        """Send a whole frame: a mode '1' image of `size` (luma rotates it for the panel).

        Queued mode: replaces any unsent frame; `pump()` returns `tag` once it is shown.
        """
        if image.mode != "1" or image.size != self.size:
            raise ValueError(f"OLED needs a mode '1' image of {self.size[0]}x{self.size[1]}, "
                             f"got mode {image.mode!r} {image.size[0]}x{image.size[1]}")
        queue = self._queue
        if queue is not None:
            queue.clear()
            queue.frame_tag = tag
            queue.framing = True
        try:
            self._device.display(image)
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed("sending a frame", e) from e
        finally:
            if queue is not None:
                queue.framing = False

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
        self._control("setting contrast", self._device.contrast, level)

    def on(self) -> None:
        """Wake the panel after `off()`; GDDRAM kept the last frame."""
        self._control("switching on", self._device.show)

    def off(self) -> None:
        """Sleep mode (display off); the frame stays in GDDRAM for `on()`."""
        self._control("switching off", self._device.hide)

    def _control(self, doing: str, action, *args) -> None:
        """Run one luma control call, its errors as `DisplayError`."""
        try:
            action(*args)
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed(doing, e) from e

    def close(self) -> None:
        """Release luma's resources; with persist the last screen stays lit, else it is blanked."""
        self._control("closing", self._device.cleanup)

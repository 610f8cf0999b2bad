"""The SSD1306 OLED through the real luma.oled driver.

luma talks to the panel through an smbus-like object we hand in: `smbus2.SMBus(1)` on
the Pi, `SimI2CBus.smbus()` in the simulator, so the same code runs on both. What this
wrapper adds:

- **Typed errors.** luma raises `DeviceNotFoundError` for a NACK on commands but lets
  a bare `OSError` through on data writes; both become `DisplayError` naming the address.
- **The last screen stays.** luma registers an atexit hook that blanks and switches off
  the panel unless `persist` is set; we set it by default so an error message outlives
  the process.
- **Frames in pieces, packed without a pixel loop.** luma's `display()` packs 8,192
  pixels in a Python loop and sends the frame in one go (about 25 ms of bus time at
  400 kHz). `packed_steps()` packs it with two Pillow calls into the same bytes, and
  `transactions()` turns them into bus transactions -- the window command, then 32 data
  blocks of 32 bytes (the SMBus block limit), or, given what the panel shows, only the
  pages from the first to the last that changed -- which `send()` puts on the wire one at
  a time through luma's own `command()` and `data()`, so the device can slip them
  between ADC reads.
- **Settings sent again.** `settings()` is one transaction of the settings luma's
  constructor sends a 128x64 panel (without its display-off), the contrast last set, and
  display-on. On a panel that kept them it changes nothing; one that lost power and came
  back (a loose connector: the SSD1306 wakes switched off, its charge pump off, in page
  addressing) is woken by it, with no new luma device (luma keeps every one it makes
  alive in an `atexit` hook). `restart()` is luma's whole start-up again on the same
  device: the settings and contrast, a blank frame, display-on.
"""

from __future__ import annotations

from typing import Generator, TypeVar

from luma.core.error import DeviceNotFoundError
from luma.core.interface.serial import i2c
from luma.oled.const import ssd1306 as const
from luma.oled.device import ssd1306
from PIL import Image, ImageDraw

from drivers.errors import HardwareError

WIDTH_PX = 128
HEIGHT_PX = 64
PAGES = HEIGHT_PX // 8
BLOCK_BYTES = 32                       # SMBus block writes carry at most 32 bytes
COLUMN_ADDRESS, PAGE_ADDRESS = 0x21, 0x22
COMMANDS, NOP = 0x00, 0xE3             # the control byte before command bytes; the no-operation command
WINDOW = (COLUMN_ADDRESS, 0, WIDTH_PX - 1, PAGE_ADDRESS, 0, PAGES - 1)

# what luma's ssd1306 constructor sends a 128x64 panel, but its display-off (tests/test_ssd1306.py
# compares them with luma's start-up byte for byte, and the panel state they leave with luma's)
SETTINGS = (const.SETDISPLAYCLOCKDIV, 0x80, const.SETMULTIPLEX, 0x3F, const.SETDISPLAYOFFSET, 0x00,
            const.SETSTARTLINE, const.CHARGEPUMP, 0x14, const.MEMORYMODE, 0x00, const.SETSEGMENTREMAP,
            const.COMSCANDEC, const.SETCOMPINS, 0x12, const.SETPRECHARGE, 0xF1, const.SETVCOMDETECT, 0x40,
            const.DISPLAYALLON_RESUME, const.NORMALDISPLAY)
LUMA_CONTRAST = 0xCF                    # what luma's constructor sets

Transaction = tuple[bool, tuple[int, ...] | bytes]     # (is_command, bytes sent)
T = TypeVar("T")


class DisplayError(HardwareError):
    """The OLED is missing or an I2C write to it failed; the message names the address."""


def finish(steps: Generator[None, None, T]) -> T:
    """Run work done in steps (a generator that returns its result) to the end."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def pack_steps(image: Image.Image) -> Generator[None, None, bytes]:
    """A 128x64 mode '1' image as SSD1306 GDDRAM bytes -- page by page, one byte per
    column, its least significant bit the page's top row: what luma's `display()` sends,
    without touching every pixel in Python -- in three steps."""
    # transposed, each row is one column of the panel; "1;R" packs 8 of its pixels into
    # one byte LSB first, so byte 8 x + p is column x of page p
    columns = image.transpose(Image.Transpose.TRANSPOSE)
    yield
    packed = columns.tobytes("raw", "1;R")
    yield
    return b"".join(packed[page::PAGES] for page in range(PAGES))


def _page(data: bytes, page: int) -> bytes:
    """Page `page`'s bytes of a packed frame."""
    return data[page * WIDTH_PX:(page + 1) * WIDTH_PX]


class Oled:
    """A 128x64 SSD1306 on I2C. `smbus_like` is smbus2.SMBus on the Pi or SimI2CBus.smbus()."""

    def __init__(self, smbus_like, address: int = 0x3C, rotate: int = 0,
                 persist: bool = True) -> None:
        self.address = address
        try:
            # a no-operation first: luma keeps every device it makes alive (an atexit hook), one
            # whose start-up found no panel too
            smbus_like.write_i2c_block_data(address, COMMANDS, [NOP])
            serial = i2c(bus=smbus_like, address=address)
            # the constructor sends the init sequence and a blank frame
            self._device = ssd1306(serial, width=WIDTH_PX, height=HEIGHT_PX, rotate=rotate)
        except (DeviceNotFoundError, OSError) as e:   # (luma's name for a NACK on a command write)
            raise DisplayError(f"OLED not found at I2C address 0x{address:02X} "
                               f"(no answer: check wiring, power and the address jumper; {e})") from e
        self._device.persist = persist   # luma's atexit cleanup then leaves the screen alone
        self._contrast = LUMA_CONTRAST

    def packed_steps(self, image: Image.Image) -> Generator[None, None, bytes]:
        """`image` (a mode '1' image of `size`; luma turns it for a rotated panel) as the
        panel's GDDRAM bytes, page by page, worked out in steps."""
        if image.mode != "1" or image.size != self.size:
            raise ValueError(f"OLED needs a mode '1' image of {self.size[0]}x{self.size[1]}, "
                             f"got mode {image.mode!r} {image.size[0]}x{image.size[1]}")
        return (yield from pack_steps(self._device.preprocess(image)))

    @staticmethod
    def transactions(data: bytes, on_panel: bytes | None = None) -> tuple[Transaction, ...]:
        """The transactions that put the packed frame `data` on the panel: all of it, or,
        when the panel is known to show `on_panel`, only the pages from the first to the
        last that differ (a window command alone when none does). Nothing is sent yet."""
        first, last = 0, PAGES - 1
        if on_panel is not None:
            changed = [page for page in range(PAGES) if _page(data, page) != _page(on_panel, page)]
            if not changed:
                return ((True, WINDOW),)
            first, last = changed[0], changed[-1]
        window = (COLUMN_ADDRESS, 0, WIDTH_PX - 1, PAGE_ADDRESS, first, last)
        return ((True, window),) + tuple((False, data[i:i + BLOCK_BYTES])
                                         for i in range(first * WIDTH_PX, (last + 1) * WIDTH_PX, BLOCK_BYTES))

    def _configured(self) -> tuple[int, ...]:
        """The panel's settings and the contrast last set, as commands."""
        return SETTINGS + (const.SETCONTRAST, self._contrast)

    def settings(self) -> Transaction:
        """The panel's settings, its contrast and display-on, in one transaction: sent again,
        they wake a panel that lost power and change nothing on one that did not."""
        return True, self._configured() + (const.DISPLAYON,)

    def restart(self) -> None:
        """Luma's start-up again, on this device: the settings and the contrast, a blank frame,
        then display-on (about 25 ms of bus time). Raises `DisplayError` when the panel does
        not answer."""
        blank = self.frame(Image.new("1", self.size))
        for transaction in ((True, self._configured()),) + blank + ((True, (const.DISPLAYON,)),):
            self._put(transaction, "restarting")

    def frame(self, image: Image.Image) -> tuple[Transaction, ...]:
        """The transactions that put all of `image` on the panel."""
        return self.transactions(finish(self.packed_steps(image)))

    def send(self, transaction: Transaction) -> None:
        """Put one transaction of `frame()` or `transactions()` on the wire."""
        self._put(transaction, "sending a frame")

    def _put(self, transaction: Transaction, doing: str) -> None:
        is_command, payload = transaction
        try:
            if is_command:
                self._device.command(*payload)
            else:
                self._device.data(payload)
        except (DeviceNotFoundError, OSError) as e:
            raise self._write_failed(doing, e) from e

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels of the images `show()` takes: (64, 128) when rotated 1 or 3."""
        return self._device.size

    def _write_failed(self, doing: str, error: Exception) -> DisplayError:
        return DisplayError(f"OLED at I2C address 0x{self.address:02X}: {doing} failed ({error})")

    def show(self, image: Image.Image) -> None:
        """Send a whole frame now (about 25 ms of bus time at 400 kHz)."""
        for transaction in self.frame(image):
            self.send(transaction)

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
        self._contrast = level

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

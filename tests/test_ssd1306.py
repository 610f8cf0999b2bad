"""The real luma.oled ssd1306 driver against the register-level SSD1306 emulator."""

from __future__ import annotations

import gc
import random

import pytest
from luma.core.interface.serial import i2c
from luma.core.render import canvas
from luma.oled.device import ssd1306
from PIL import Image, ImageChops, ImageDraw

from device.screen import WHOLE_EVERY, Screen
from device.screens import WarningView, render_steps
from drivers.display import DisplayError, Oled, finish
from hw_sim.clock import VirtualClock
from hw_sim.i2c import SimI2CBus
from hw_sim.ssd1306 import HORIZONTAL, PAGE, VERTICAL, Ssd1306Emulator

ADDRESS = 0x3C
SIZE = (128, 64)


# --- helpers ---------------------------------------------------------------------------
def normalised(image: Image.Image) -> Image.Image:
    """PIL keeps fill=1 pixels as value 1 in mode '1'; repack so every lit pixel is 255."""
    return Image.frombytes("1", image.size, image.tobytes())


def assert_same(shown: Image.Image, expected: Image.Image) -> None:
    assert shown.mode == "1" and shown.size == expected.size
    bbox = ImageChops.difference(normalised(shown), normalised(expected)).getbbox()
    assert bbox is None, f"panel differs from the expected image inside {bbox}"


def lit_pixels(image: Image.Image) -> int:
    return sum(1 for v in normalised(image).getdata() if v)


class Bench:
    """Clock, bus and emulator; `luma()` builds the real driver on top."""

    def __init__(self, attach: bool = True) -> None:
        self.clock = VirtualClock()
        self.bus = SimI2CBus(self.clock)
        self.oled = Ssd1306Emulator(ADDRESS)
        if attach:
            self.bus.attach(self.oled)
        self.smbus = self.bus.smbus()

    def luma(self, rotate: int = 0):
        self.serial = i2c(bus=self.smbus, address=ADDRESS)
        device = ssd1306(self.serial, rotate=rotate)
        device.persist = True    # keep luma's atexit hook from writing to this bus at exit
        return device

    def write(self, *payload: int) -> None:
        """One raw I2C write to the chip (control byte first)."""
        self.bus.writeto(ADDRESS, bytes(payload))


def scene(size=SIZE, seed: int = 7) -> Image.Image:
    """Text, shapes and seeded random pixels: asymmetric in both axes."""
    image = Image.new("1", size)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle((0, 0, w - 1, h - 1), outline="white")
    draw.ellipse((5, 5, 30, 25), outline="white", fill="white")
    draw.line((0, h - 1, w - 1, 10), fill="white")
    draw.text((34, 6), "pf 123", fill="white")
    draw.polygon([(w - 20, h - 5), (w - 5, h - 30), (w - 2, h - 3)], fill="white")
    rng = random.Random(seed)
    for _ in range(300):
        image.putpixel((rng.randrange(w), rng.randrange(h)), 1)   # value 1 on purpose
    return image


@pytest.fixture
def bench() -> Bench:
    return Bench()


# --- luma's init -----------------------------------------------------------------------
def test_luma_init_sequence_decodes(bench):
    bench.luma()
    oled = bench.oled
    assert oled.unknown_commands == []
    assert oled.display_on and oled.charge_pump_on
    assert oled.contrast == 0xCF
    assert oled.addressing_mode == HORIZONTAL
    assert oled.segment_remap and oled.com_scan_reversed
    assert (oled.start_line, oled.display_offset, oled.multiplex) == (0, 0, 64)
    assert (oled.clock_div, oled.precharge, oled.vcomh, oled.com_pins) == (0x80, 0xF1, 0x40, 0x12)
    assert not oled.inverted and not oled.entire_on
    # init clears the screen: exactly one full frame of zeros
    assert oled.frames == 1 and oled.data_bytes == 128 * 64 // 8
    assert oled.image().getbbox() is None
    assert (oled.column, oled.page) == (0, 0)    # the pointer wrapped back to the window start


# --- (a) pixels ------------------------------------------------------------------------
def test_canvas_render_matches_pixel_for_pixel(bench):
    device = bench.luma()
    ref = scene()
    c = canvas(device, background=ref)
    with c as draw:
        draw.text((60, 40), "canvas", fill="white")
        draw.rectangle((90, 2, 120, 20), outline="white")
    assert lit_pixels(c.image) > 500
    assert_same(bench.oled.image(), c.image)
    assert_same(bench.oled.ram_image(), c.image)    # luma's init makes RAM == screen
    assert bench.oled.frames == 2


def test_display_random_frames_match(bench):
    device = bench.luma()
    rng = random.Random(1234)
    for _ in range(3):
        image = Image.frombytes("1", SIZE, rng.randbytes(128 * 64 // 8))
        device.display(image)
        assert_same(bench.oled.image(), image)


# --- (b) rotation ----------------------------------------------------------------------
@pytest.mark.parametrize("rotate, turn", [
    (1, Image.Transpose.ROTATE_270),   # luma: 90 degrees clockwise
    (2, Image.Transpose.ROTATE_180),
    (3, Image.Transpose.ROTATE_90),    # 270 degrees clockwise
])
def test_rotated_device_shows_the_turned_image(bench, rotate, turn):
    """The panel shows the logical image turned by `rotate` quarter turns clockwise, so a
    panel mounted turned the other way reads upright."""
    device = bench.luma(rotate=rotate)
    logical_size = SIZE if rotate == 2 else SIZE[::-1]
    assert device.size == logical_size
    image = scene(logical_size)
    device.display(image)
    shown = bench.oled.image()
    assert_same(shown, image.transpose(turn))
    if rotate == 2:
        # the scene is asymmetric: an emulator ignoring remap/scan would fail the line above,
        # and the raw picture must not already be upright
        assert ImageChops.difference(shown, normalised(image)).getbbox() is not None


# --- (c) settings ----------------------------------------------------------------------
def test_contrast_invert_off_and_on(bench):
    device = bench.luma()
    ref = scene()
    device.display(ref)

    device.contrast(0x42)
    assert bench.oled.contrast == 0x42
    assert_same(bench.oled.image(), ref)

    device.command(0xA7)                                     # luma has no invert(): raw command
    assert bench.oled.inverted
    inverted = Image.frombytes("1", SIZE, bytes(b ^ 0xFF for b in ref.tobytes()))
    assert_same(bench.oled.image(), inverted)
    assert_same(bench.oled.ram_image(), ref)                 # inversion is on the glass only
    device.command(0xA6)
    assert_same(bench.oled.image(), ref)

    device.hide()
    assert not bench.oled.display_on
    assert bench.oled.image().getbbox() is None
    device.show()
    assert bench.oled.display_on
    assert_same(bench.oled.image(), ref)


def test_entire_on_and_charge_pump(bench):
    device = bench.luma()
    device.display(scene())
    device.command(0xA5)
    assert bench.oled.entire_on
    assert lit_pixels(bench.oled.image()) == 128 * 64
    device.command(0xA4)
    device.command(0x8D, 0x10)                               # charge pump off: nothing lights
    assert not bench.oled.charge_pump_on
    assert bench.oled.image().getbbox() is None


@pytest.mark.parametrize("command, turn", [
    (0xA0, Image.Transpose.FLIP_LEFT_RIGHT),   # undo the segment remap
    (0xC0, Image.Transpose.FLIP_TOP_BOTTOM),   # normal COM scan
])
def test_remap_and_scan_direction(bench, command, turn):
    device = bench.luma()
    ref = scene()
    device.display(ref)
    device.command(command)
    assert_same(bench.oled.image(), ref.transpose(turn))


@pytest.mark.parametrize("command", [(0x40 | 8,), (0xD3, 8)])
def test_start_line_and_offset_move_the_picture_up(bench, command):
    device = bench.luma()
    ref = scene()
    device.display(ref)
    device.command(*command)
    # screen row y shows RAM row (y + 8) % 64: the picture moves up 8 rows and wraps
    expected = Image.new("1", SIZE)
    expected.paste(ref.crop((0, 8, 128, 64)), (0, 0))
    expected.paste(ref.crop((0, 0, 128, 8)), (0, 56))
    assert_same(bench.oled.image(), expected)


def test_multiplex_limits_the_rows_shown(bench):
    """MUX 32 with the reversed scan drives COM31..COM0 only: the bottom half of this
    module (COM63 is at the top), showing RAM rows 0-31 in order; the top half stays dark."""
    device = bench.luma()
    ref = scene()
    device.display(ref)
    device.command(0xA8, 31)                                  # MUX 32 (a 128x32 setting)
    shown = bench.oled.image()
    assert shown.crop((0, 0, 128, 32)).getbbox() is None
    assert_same(shown.crop((0, 32, 128, 64)), ref.crop((0, 0, 128, 32)))
    device.command(0xA8, 63)
    assert_same(bench.oled.image(), ref)


def test_sequential_com_pins_interleave_rows(bench):
    """DA 0x02 on a 128x64 module: the top half of RAM lands on every other screen row."""
    device = bench.luma()
    ref = scene()
    device.display(ref)
    device.command(0xDA, 0x02)
    shown = bench.oled.image()
    for y in range(64):
        src = y // 2 if y % 2 == 0 else 32 + y // 2
        assert_same(shown.crop((0, y, 128, y + 1)), ref.crop((0, src, 128, src + 1)))


# --- (d) addressing modes at register level ---------------------------------------------
def test_page_mode_writes_and_wraps_within_the_page(bench):
    device = bench.luma()
    device.display(Image.new("1", SIZE))
    serial = bench.serial
    # page mode, then reset the column window luma left at 0..127
    serial.command(0x20, 0x02, 0x21, 0, 127, 0xB3, 0x17, 0x0C)   # page 3, column 0x7C = 124
    assert bench.oled.addressing_mode == PAGE
    assert (bench.oled.page, bench.oled.column) == (3, 124)
    serial.data([0x11, 0x22, 0x33, 0x44, 0x55, 0x66])
    ram = bench.oled.gddram
    assert list(ram[3 * 128 + 124:3 * 128 + 128]) == [0x11, 0x22, 0x33, 0x44]
    assert list(ram[3 * 128:3 * 128 + 2]) == [0x55, 0x66]          # wrapped on the same page
    assert not any(ram[4 * 128:])                                   # page 4 untouched
    assert (bench.oled.page, bench.oled.column) == (3, 2)
    # the picture: bit 0 of 0x11 at (124, 24), bit 1 of 0x66 at (1, 25)
    ram_image = bench.oled.ram_image()
    assert ram_image.getpixel((124, 24)) and not ram_image.getpixel((124, 25))
    assert ram_image.getpixel((1, 25)) and ram_image.getpixel((1, 26))
    assert not ram_image.getpixel((1, 24))


def test_vertical_mode_fills_columns_and_wraps(bench):
    bench.luma()
    bench.write(0x00, 0x20, 0x01, 0x21, 10, 12, 0x22, 2, 4)        # window 3 columns x 3 pages
    assert bench.oled.addressing_mode == VERTICAL
    frames_before = bench.oled.frames
    bench.write(0x40, *range(1, 12))                                # 11 bytes: 9 + 2 wrapped
    ram = bench.oled.gddram
    cell = {(page, col): ram[page * 128 + col] for page in range(8) for col in range(128)}
    expected = {(2, 10): 10, (3, 10): 11, (4, 10): 3,               # wrapped and overwritten
                (2, 11): 4, (3, 11): 5, (4, 11): 6,
                (2, 12): 7, (3, 12): 8, (4, 12): 9}
    for key, value in expected.items():
        assert cell[key] == value, f"page/column {key}"
    assert sum(1 for v in cell.values() if v) == len(expected)
    assert bench.oled.frames == frames_before + 1
    assert (bench.oled.page, bench.oled.column) == (4, 10)


def test_horizontal_mode_window_wraps(bench):
    bench.luma()
    bench.write(0x00, 0x21, 120, 121, 0x22, 6, 7)                   # 2 columns x 2 pages
    bench.write(0x40, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5)
    ram = bench.oled.gddram
    assert [ram[6 * 128 + 120], ram[6 * 128 + 121], ram[7 * 128 + 120], ram[7 * 128 + 121]] \
        == [0xA5, 0xA2, 0xA3, 0xA4]
    assert ram[6 * 128 + 122] == 0 and ram[5 * 128 + 120] == 0


def test_control_byte_co_bit_and_split_commands(bench):
    oled = bench.oled
    # Co=1: one command byte per control byte, then a data byte, then Co=0 data to the end
    bench.write(0x80, 0xAF, 0x80, 0xB5, 0x80, 0x02, 0x80, 0x10, 0xC0, 0x7E, 0x40, 0x01, 0x02)
    assert oled.display_on
    assert [oled.gddram[5 * 128 + c] for c in range(2, 5)] == [0x7E, 0x01, 0x02]
    # a command split over transactions (Adafruit style): 81h then its argument
    bench.write(0x00, 0x81)
    assert oled.contrast == 0x7F
    bench.write(0x00, 0x10)
    assert oled.contrast == 0x10
    # unknown bytes are recorded and the parser stays in step
    bench.write(0x00, 0xAD, 0x30, 0xE3, 0xA7)
    assert oled.unknown_commands == [0xAD, 0x30]
    assert oled.inverted
    # scroll commands swallow their argument bytes
    bench.write(0x00, 0x26, 0x00, 0x00, 0x07, 0x07, 0x00, 0xFF, 0x2F, 0xA3, 0, 64, 0xA6)
    assert oled.scroll_setup == (0x26, 0x00, 0x00, 0x07, 0x07, 0x00, 0xFF)
    assert oled.scroll_active and oled.vertical_scroll_area == (0, 64)
    assert not oled.inverted and oled.unknown_commands == [0xAD, 0x30]


def test_reset_state_and_status_read(bench):
    oled = bench.oled
    assert not oled.display_on and oled.contrast == 0x7F and oled.addressing_mode == PAGE
    assert not oled.charge_pump_on and not oled.segment_remap and not oled.com_scan_reversed
    status = bytearray(2)
    bench.bus.readfrom_into(ADDRESS, status)
    assert status == bytearray([0x40, 0x40])                       # bit 6: display off
    bench.luma()
    bench.bus.readfrom_into(ADDRESS, status)
    assert status[0] & 0x40 == 0
    oled.reset()
    assert not oled.display_on and oled.addressing_mode == PAGE and oled.contrast == 0x7F
    assert oled.image().getbbox() is None


# --- (e)/(f) the Oled wrapper and bus cost ----------------------------------------------
def test_oled_missing_chip_raises_display_error():
    bench = Bench(attach=False)
    with pytest.raises(DisplayError, match="0x3C") as info:
        Oled(bench.smbus)
    assert isinstance(info.value, OSError)
    assert "not found" in str(info.value)


def test_oled_unplugged_after_start_raises_display_error(bench):
    oled = Oled(bench.smbus)
    bench.bus.detach(ADDRESS)
    with pytest.raises(DisplayError, match="0x3C"):
        oled.show(Image.new("1", SIZE))       # luma lets the data path's OSError through
    with pytest.raises(DisplayError, match="0x3C"):
        oled.contrast(10)


def test_oled_data_write_failure_raises_display_error(bench):
    """A NACK in the middle of the pixel data reaches luma as a bare OSError."""

    class FlakyData:
        def __init__(self, smbus, fail_after_blocks: int) -> None:
            self._smbus, self.fail_after_blocks, self.armed = smbus, fail_after_blocks, False

        def write_i2c_block_data(self, addr, register, data, force=None):
            if self.armed and register == 0x40:
                if self.fail_after_blocks == 0:
                    bench.bus.detach(addr)
                self.fail_after_blocks -= 1
            self._smbus.write_i2c_block_data(addr, register, data, force)

    flaky = FlakyData(bench.smbus, fail_after_blocks=5)
    oled = Oled(flaky)
    flaky.armed = True
    with pytest.raises(DisplayError, match="0x3C") as info:
        oled.show(scene())
    assert type(info.value.__cause__) is OSError          # not luma's DeviceNotFoundError
    assert bench.oled.data_bytes == 1024 + 5 * 32      # init frame + the blocks before the NACK


def test_oled_test_pattern_is_what_the_panel_shows(bench):
    oled = Oled(bench.smbus)
    image = oled.draw_test_pattern()
    assert lit_pixels(image) > 300
    assert_same(bench.oled.image(), image)


def test_oled_rotated_test_pattern_is_turned_on_the_panel(bench):
    oled = Oled(bench.smbus, rotate=2)
    image = oled.draw_test_pattern()
    assert_same(bench.oled.image(), image.transpose(Image.Transpose.ROTATE_180))


def test_oled_show_contrast_off_on_close(bench):
    oled = Oled(bench.smbus)
    ref = scene()
    oled.show(ref)
    assert_same(bench.oled.image(), ref)
    oled.contrast(0x20)
    assert bench.oled.contrast == 0x20
    with pytest.raises(ValueError):
        oled.contrast(256)
    with pytest.raises(ValueError):
        oled.show(Image.new("L", SIZE))
    oled.off()
    assert bench.oled.image().getbbox() is None
    oled.on()
    assert_same(bench.oled.image(), ref)
    oled.close()                                   # persist: the last screen stays
    assert bench.oled.display_on
    assert_same(bench.oled.image(), ref)


def test_oled_close_without_persist_blanks(bench):
    oled = Oled(bench.smbus, persist=False)
    oled.show(scene())
    oled.close()
    assert not bench.oled.display_on
    assert bench.oled.ram_image().getbbox() is None


def test_full_frame_bus_time(bench):
    device = bench.luma()
    bus = bench.bus

    def transaction_s(n_bytes: int) -> float:
        """SimI2CBus's cost: start + stop + 9 bits per byte including the address byte."""
        return (2 + 9 * (1 + n_bytes)) / bus.bus_hz + bus.overhead_s

    block = 32                                             # SMBus block limit luma obeys
    frame_bytes = 128 * 64 // 8
    n_blocks = frame_bytes // block
    command_bytes = 1 + 6                                  # control + 21h 0 127 22h 0 7
    expected_s = transaction_s(command_bytes) + n_blocks * transaction_s(1 + block)
    assert bus.bus_hz == 400_000
    # sanity: the pixel bits alone at 400 kHz are ~20 ms, framing makes it ~25 ms
    assert frame_bytes * 8 / bus.bus_hz < expected_s < 0.030

    t0, n0 = bench.clock.now(), bus.transactions
    frames0, bytes0 = bench.oled.frames, bench.oled.data_bytes
    image = scene()
    device.display(image)
    assert bus.transactions - n0 == 1 + n_blocks
    assert bench.clock.now() - t0 == pytest.approx(expected_s, rel=1e-9)
    assert bench.oled.frames - frames0 == 1
    assert bench.oled.data_bytes - bytes0 == frame_bytes
    assert_same(bench.oled.image(), image)


@pytest.mark.parametrize("rotate", [0, 1, 2, 3])
def test_frames_are_packed_into_exactly_the_bytes_luma_sends(rotate):
    """`Oled.frame` packs with Pillow what luma's `display()` packs pixel by pixel."""
    class Capture:
        def __init__(self):
            self.writes = []

        def write_i2c_block_data(self, address, register, data):
            self.writes.append((register, bytes(data)))

    size = (64, 128) if rotate % 2 else SIZE
    for seed in (1, 2):
        image = scene(size, seed)
        via_luma = Capture()
        ssd1306(i2c(bus=via_luma), rotate=rotate).display(image)
        ours = Capture()
        oled = Oled(ours, rotate=rotate)
        ours.writes.clear()
        for transaction in oled.frame(image):
            oled.send(transaction)
        assert ours.writes == via_luma.writes[-len(ours.writes):]
        assert len(ours.writes) == 1 + 32


def test_a_contrast_change_between_two_frames_is_kept(bench):
    oled = Oled(bench.smbus)
    first = oled.frame(Image.new("1", SIZE, 1))
    for transaction in first[:10]:                 # half a frame on the wire ...
        oled.send(transaction)
    oled.contrast(0x10)                            # ... a control command ...
    for transaction in oled.frame(Image.new("1", SIZE, 0)):   # ... and a newer frame instead
        oled.send(transaction)
    assert bench.oled.contrast == 0x10
    assert bench.oled.image().getbbox() is None


# --- frames sent through the device's screen: only what changed ----------------------------
def screen_on(bench):
    s = Screen(lambda: Oled(bench.smbus), log=lambda message: None)
    assert s.open()
    return s


def put(s, view, transactions: int | None = None) -> int:
    """Ask `s` for `view`, draw and pack it, and send up to `transactions` of its frame
    (all by default); returns how many the frame has."""
    s.show(view, force=True)
    while not s.render():
        pass
    while not s.pack():
        pass
    n = s.pending
    for _ in range(n if transactions is None else transactions):
        s.send_one()
    return n


def drawn(view) -> Image.Image:
    return finish(render_steps(view))


def pages_between(a: Image.Image, b: Image.Image) -> int:
    """How many pages (8-pixel bands) from the first to the last in which `a` and `b` differ."""
    bands = [p for p in range(8) if ImageChops.difference(normalised(a), normalised(b)).crop(
        (0, 8 * p, 128, 8 * p + 8)).getbbox() is not None]
    return bands[-1] - bands[0] + 1 if bands else 0


WARN_A, WARN_B = WarningView("Ontspan", "Laat los"), WarningView("Ontspan", "Adem door")


def test_after_a_whole_frame_only_the_pages_that_changed_are_sent(bench):
    s = screen_on(bench)
    assert put(s, WARN_A) == 1 + 1 + 32            # the panel's content unknown: its settings, all of it
    pages = pages_between(drawn(WARN_A), drawn(WARN_B))
    assert 0 < pages < 8
    n0, bytes0 = bench.bus.transactions, bench.oled.data_bytes
    assert put(s, WARN_B) == 1 + 4 * pages         # 4 blocks of 32 bytes a page
    assert bench.bus.transactions - n0 == 1 + 4 * pages
    assert bench.oled.data_bytes - bytes0 == 128 * pages
    assert_same(bench.oled.image(), drawn(WARN_B))
    assert put(s, WARN_B) == 1                     # nothing changed: the window alone
    assert_same(bench.oled.image(), drawn(WARN_B))


def test_a_frame_cut_short_leaves_the_panel_unknown_and_the_next_is_sent_whole(bench):
    s = screen_on(bench)
    put(s, WARN_A)
    put(s, WarningView("Stop", "Niet persen"), transactions=10)   # on pages 0-2, then replaced
    assert put(s, WARN_B) == 1 + 1 + 32
    assert_same(bench.oled.image(), drawn(WARN_B))


def test_a_frame_replaced_before_any_of_it_was_sent_leaves_the_panel_known(bench):
    s = screen_on(bench)
    put(s, WARN_A)
    put(s, WarningView("Stop", "Niet persen"), transactions=0)    # never on the wire
    assert put(s, WARN_B) == 1 + 4 * pages_between(drawn(WARN_A), drawn(WARN_B))
    assert_same(bench.oled.image(), drawn(WARN_B))


def test_every_so_many_frames_one_is_sent_whole_even_so(bench):
    """Panel memory changed behind the screen's back is put right within seconds."""
    s = screen_on(bench)
    put(s, WARN_A)
    bench.oled.gddram[:] = bytes(len(bench.oled.gddram))       # something else blanked it
    views = ([WARN_B, WARN_A] * WHOLE_EVERY)[:WHOLE_EVERY]
    sizes = [put(s, view) for view in views]
    partial = 1 + 4 * pages_between(drawn(WARN_A), drawn(WARN_B))
    assert sizes == [partial] * (WHOLE_EVERY - 1) + [1 + 1 + 32]     # the settings, the window, the pages
    assert_same(bench.oled.image(), drawn(views[-1]))


PANEL_SETTINGS = ("display_on", "charge_pump_on", "contrast", "addressing_mode", "segment_remap",
                  "com_scan_reversed", "start_line", "display_offset", "multiplex", "clock_div",
                  "precharge", "vcomh", "com_pins", "inverted", "entire_on")


class _Commands:
    """An smbus stand-in that keeps the command bytes written to it, in order."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def write_i2c_block_data(self, address, register, data):
        if register == 0x00:                    # luma's control byte for commands
            self.sent += data


def test_the_settings_are_lumas_start_up_but_its_display_off_then_the_contrast_and_display_on():
    at_start = _Commands()
    ssd1306(i2c(bus=at_start))               # AE, the settings, 81 CF, a blank frame's window, AF
    is_command, settings = Oled(_Commands()).settings()
    assert is_command and at_start.sent[0] == 0xAE and at_start.sent[-1] == settings[-1] == 0xAF
    assert list(settings[:-1]) == at_start.sent[1:len(settings)]


def test_the_settings_put_a_panel_just_powered_on_as_lumas_constructor_does():
    by_luma, by_settings = Bench(), Bench()
    by_luma.luma()
    is_command, settings = Oled(Bench().smbus).settings()
    assert is_command
    by_settings.bus.writeto(ADDRESS, bytes((0x00, *settings)))        # Co 0, D/C# 0: commands
    assert by_settings.oled.unknown_commands == []
    assert [getattr(by_settings.oled, k) for k in PANEL_SETTINGS] == \
        [getattr(by_luma.oled, k) for k in PANEL_SETTINGS]


def test_a_panel_that_lost_power_is_woken_within_so_many_frames_with_its_contrast(bench):
    s = Screen(lambda: _contrasted(Oled(bench.smbus)), log=lambda message: None)
    assert s.open()
    put(s, WARN_A)
    bench.oled.reset()                                         # power lost and back: off, page mode
    views = ([WARN_B, WARN_A] * WHOLE_EVERY)[:WHOLE_EVERY]
    for view in views[:-1]:
        put(s, view)
    assert not bench.oled.display_on                           # not before the whole frame is due
    put(s, views[-1])
    assert bench.oled.display_on and bench.oled.charge_pump_on and bench.oled.contrast == 0x30
    assert bench.oled.addressing_mode == HORIZONTAL
    assert_same(bench.oled.image(), drawn(views[-1]))


def test_a_panel_opened_again_after_it_lost_power_is_restarted_by_the_same_driver(bench):
    """After a fault the screen is opened again: luma's start-up on the panel it had, with its
    contrast (no new luma device: luma keeps each alive until the process ends)."""
    opened = []
    s = Screen(lambda: opened.append(1) or _contrasted(Oled(bench.smbus)), log=lambda message: None)
    assert s.open()
    put(s, WARN_A)
    bench.oled.reset()                                         # power lost and back
    assert s.open()
    assert opened == [1]
    assert bench.oled.display_on and bench.oled.charge_pump_on and bench.oled.contrast == 0x30
    assert bench.oled.addressing_mode == HORIZONTAL and bench.oled.image().getbbox() is None
    assert put(s, WARN_B) == 1 + 1 + 32
    assert_same(bench.oled.image(), drawn(WARN_B))


def test_a_panel_gone_at_a_reopen_leaves_the_screen_absent_and_one_back_is_restarted(bench):
    logged = []
    s = Screen(lambda: Oled(bench.smbus), log=logged.append)
    assert s.open()
    emulator = bench.oled
    bench.bus.detach(ADDRESS)
    assert not s.open("no screen after the fault") and not s.present
    assert logged and logged[-1].startswith("no screen after the fault (") and "0x3C" in logged[-1]
    bench.bus.attach(emulator)
    assert s.open() and s.present
    assert put(s, WARN_A) == 1 + 1 + 32
    assert_same(emulator.image(), drawn(WARN_A))
    bench.bus.detach(ADDRESS)
    assert not s.open("no screen after the fault") and "restarting failed" in logged[-1]


@pytest.mark.parametrize("rotate", [0, 1, 2, 3])
def test_a_restart_leaves_the_panel_as_lumas_start_up_does_at_any_rotation(rotate):
    by_luma, restarted = Bench(), Bench()
    by_luma.luma(rotate)
    oled = Oled(restarted.smbus, rotate=rotate)
    oled.show(scene(oled.size))
    restarted.oled.reset()                                     # power lost and back
    oled.restart()
    assert [getattr(restarted.oled, k) for k in PANEL_SETTINGS] == \
        [getattr(by_luma.oled, k) for k in PANEL_SETTINGS]
    assert restarted.oled.image().getbbox() is None


@pytest.mark.slow
def test_a_panel_that_is_not_there_leaves_no_luma_device_behind():
    """Luma keeps every device it makes alive until the process ends: none is made for a panel
    that does not answer (a device run without one opens its screen after every fault)."""
    def lumas() -> int:
        gc.collect()
        return sum(isinstance(o, ssd1306) for o in gc.get_objects())
    bench, before = Bench(attach=False), lumas()
    for _ in range(3):
        with pytest.raises(DisplayError, match="not found at I2C address 0x3C"):
            Oled(bench.smbus)
    assert lumas() == before


def _contrasted(oled: Oled) -> Oled:
    oled.contrast(0x30)
    return oled


def test_a_panel_opened_again_gets_a_whole_frame(bench):
    """Opening sends luma's start-up and a blank frame: what was known of the panel is gone."""
    s = screen_on(bench)
    put(s, WARN_A)
    assert s.open()
    assert put(s, WARN_B) == 1 + 1 + 32
    assert_same(bench.oled.image(), drawn(WARN_B))

"""SSD1306 128x64 OLED controller, emulated at register level on the simulated I2C bus.

Decodes exactly what a driver puts on the wire: the control byte (Co and D/C# bits),
a command parser that knows every command's argument count (commands may be split
across transactions, as Adafruit-style drivers do), and GDDRAM writes with the
datasheet's pointer auto-increment for horizontal, vertical and page addressing.

`ram_image()` is GDDRAM as stored; `image()` is what the glass shows. The panel model
is the common 0.96" 128x64 module: its rows are wired for the alternative COM pin
configuration (DA 0x12) and it is mounted so that SEG0 is at the right edge and COM0
at the bottom. With the init sequence luma and Adafruit send (A1 segment remap, C8
COM scan, start line 0, offset 0) RAM column x / RAM row y is drawn at screen (x, y),
so luma's upright image comes out upright.

One pointer, one window: 21h/22h load the column/page window and move the pointer
to its start; 00h-1Fh and B0h-B7h load the pointer directly; the addressing mode
only changes how the pointer advances. In page mode the column wraps at the window
end to the window start on the same page (the datasheet's "column start/end address";
the window is 0-127 unless 21h changed it). Scrolling is parsed and recorded but the
scrolled picture is not rendered.
"""

from __future__ import annotations

from collections import deque
from itertools import islice
from typing import NamedTuple

from PIL import Image

WIDTH_PX = 128
HEIGHT_PX = 64
PAGES = HEIGHT_PX // 8

HORIZONTAL, VERTICAL, PAGE = 0x00, 0x01, 0x02

# Argument bytes following each command byte; -1 = not an SSD1306 command.
_ARG_COUNT = [-1] * 256
for _op in range(0x00, 0x20):          # page-mode column start, low/high nibble
    _ARG_COUNT[_op] = 0
for _op in range(0x40, 0x80):          # display start line
    _ARG_COUNT[_op] = 0
for _op in range(0xB0, 0xB8):          # page-mode page start
    _ARG_COUNT[_op] = 0
for _op in (0xAE, 0xAF, 0xA4, 0xA5, 0xA6, 0xA7, 0xA0, 0xA1, 0xC0, 0xC8,
            0x2E, 0x2F, 0xE3):
    _ARG_COUNT[_op] = 0
for _op in (0x81, 0x20, 0xA8, 0xD3, 0xDA, 0xD5, 0xD9, 0xDB, 0x8D):
    _ARG_COUNT[_op] = 1
for _op, _n in ((0x21, 2), (0x22, 2), (0xA3, 2), (0x26, 6), (0x27, 6), (0x29, 5), (0x2A, 5)):
    _ARG_COUNT[_op] = _n
del _op, _n

STATUS_DISPLAY_OFF = 0x40   # bit 6 of the status byte read back over I2C


class PanelState(NamedTuple):
    """What the panel shows is a function of these (`Ssd1306Emulator.panel_state()`)."""
    gddram: bytes
    display_on: bool
    charge_pump_on: bool
    entire_on: bool
    inverted: bool
    segment_remap: bool
    com_scan_reversed: bool          # from here on: the row wiring
    multiplex: int
    display_offset: int
    start_line: int
    com_pins: int


def _ram_row(y: int, state: PanelState) -> int | None:
    """Which GDDRAM row screen row `y` (0 = top) shows in `state`, or None when it is dark."""
    com_pins, multiplex = state.com_pins, state.multiplex
    module_row = HEIGHT_PX - 1 - y      # COM63 side is the top of the module
    # the module's rows alternate between the left and right COM pin banks
    bank_index, right_bank = module_row >> 1, module_row & 1
    if com_pins & 0x20:                 # COM left/right remap swaps the banks
        right_bank ^= 1
    if com_pins & 0x10:                 # alternative: left = even COMs, right = odd COMs
        com = 2 * bank_index + right_bank
    else:                               # sequential: left = COM0-31, right = COM32-63
        com = bank_index + 32 * right_bank
    step = (multiplex - 1 - com) % 64 if state.com_scan_reversed else com
    step = (step + state.display_offset) % 64
    if step >= multiplex:
        return None
    return (state.start_line + step) % 64


# a byte of "1" pixels read the other way round, and/or with every pixel flipped
_REVERSED_BITS = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))
_MIRRORED = _REVERSED_BITS
_INVERTED = bytes(b ^ 0xFF for b in range(256))
_MIRRORED_INVERTED = bytes(r ^ 0xFF for r in _REVERSED_BITS)


def _ram_rows(ram: bytes) -> list[bytes]:
    """GDDRAM's 64 pixel rows, top first, each 16 bytes of "1" pixels (the leftmost pixel in the
    first byte's top bit): pixel (x, y) = bit y%8 of column x in page y//8."""
    # each byte becomes one 8-pixel row, LSB first; transposing makes it a column: a strip of
    # 8 rows (one per bit), all pages side by side, page p in bytes 16p to 16p+15 of each
    strip = Image.frombytes("1", (8, WIDTH_PX * PAGES), ram, "raw", "1;R").transpose(
        Image.Transpose.TRANSPOSE).tobytes()
    strip_row, row = WIDTH_PX * PAGES // 8, WIDTH_PX // 8
    return [strip[bit * strip_row + page * row:bit * strip_row + (page + 1) * row]
            for page in range(PAGES) for bit in range(8)]


class Ssd1306Emulator:
    """An SSD1306 on I2C (write-only apart from the status byte) driving a 128x64 panel."""

    def __init__(self, address: int = 0x3C) -> None:
        self.address = address
        self.gddram = bytearray(WIDTH_PX * PAGES)     # page-major: index = page * 128 + column
        ram = memoryview(self.gddram)
        # one view per page keeps every index in the per-byte loop below 256 (no int objects)
        self._page_views = [ram[p * WIDTH_PX:(p + 1) * WIDTH_PX] for p in range(PAGES)]
        self.unknown_commands: list[int] = []
        self.command_log: deque[tuple[int, ...]] = deque(maxlen=512)
        self.frames = 0
        self.data_bytes = 0
        self.on_frame: list = []            # called after each completed frame (the simulator's recorder)
        self._args = bytearray(6)
        self.reset()

    # --- power-on state -----------------------------------------------------------------
    def reset(self) -> None:
        """Power-on register values (datasheet command table). GDDRAM is kept."""
        self.display_on = False
        self.contrast = 0x7F
        self.entire_on = False
        self.inverted = False
        self.addressing_mode = PAGE
        self.col_start, self.col_end = 0, WIDTH_PX - 1
        self.page_start, self.page_end = 0, PAGES - 1
        self.column = 0
        self.page = 0
        self.start_line = 0
        self.segment_remap = False
        self.com_scan_reversed = False
        self.multiplex = 64                 # MUX ratio (rows scanned)
        self.display_offset = 0
        self.com_pins = 0x12                # A[4]=1 alternative, A[5]=0 no left/right remap
        self.clock_div = 0x80
        self.precharge = 0x22
        self.vcomh = 0x20
        self.charge_pump_on = False
        self.scroll_active = False
        self.scroll_setup: tuple[int, ...] = ()
        self.vertical_scroll_area = (0, 64)
        self._shown: tuple[PanelState, Image.Image] | None = None    # the last picture, and what it showed
        self._rows: tuple[tuple, list] | None = None             # which RAM row each screen row shows
        # parser / transaction state
        self._op = -1                       # command waiting for arguments, -1 = none
        self._need = 0
        self._have = 0

    # --- I2C target protocol ---------------------------------------------------------------
    def i2c_write(self, data, start: int, end: int) -> None:
        """One I2C write: control byte(s), then command or data bytes."""
        i = start
        while i < end:
            control = data[i]
            i += 1
            if control & 0x80:              # Co = 1: exactly one byte, then another control byte
                if i >= end:
                    return
                if control & 0x40:
                    self._write_data(data, i, i + 1)
                else:
                    self._command_byte(data[i])
                i += 1
                continue
            if control & 0x40:              # Co = 0, D/C# = 1: the rest is GDDRAM data
                self._write_data(data, i, end)
            else:                           # Co = 0, D/C# = 0: the rest is commands
                command_byte = self._command_byte
                while i < end:
                    command_byte(data[i])
                    i += 1
            return

    def i2c_read_into(self, buf, start: int, end: int) -> None:
        """Every byte read is the status register: bit 6 set while the display is off."""
        status = 0 if self.display_on else STATUS_DISPLAY_OFF
        for i in range(start, end):
            buf[i] = status

    # --- GDDRAM ----------------------------------------------------------------------------
    def _write_data(self, data, start: int, end: int) -> None:
        first = start
        pages = self._page_views
        mode = self.addressing_mode
        col, page = self.column, self.page
        c0, c1, p0, p1 = self.col_start, self.col_end, self.page_start, self.page_end
        frames = 0
        if mode == HORIZONTAL and c0 <= col <= c1:
            # the common case, run by run: as the loop below would, a page's columns at a time
            i = start
            while i < end:
                run = c1 - col + 1
                if run > end - i:
                    run = end - i
                pages[page][col:col + run] = bytes(data[i:i + run])
                i += run
                col += run
                if col > c1:
                    col = c0
                    if page != p1:
                        page = (page + 1) & 0x07
                    else:
                        page = p0
                        frames += 1
            start = end                      # nothing left for the loop
        for byte in islice(data, start, end):
            pages[page][col] = byte
            if mode == HORIZONTAL:
                if col != c1:
                    col = (col + 1) & 0x7F
                else:
                    col = c0
                    if page != p1:
                        page = (page + 1) & 0x07
                    else:
                        page = p0
                        frames += 1
            elif mode == VERTICAL:
                if page != p1:
                    page = (page + 1) & 0x07
                else:
                    page = p0
                    if col != c1:
                        col = (col + 1) & 0x7F
                    else:
                        col = c0
                        frames += 1
            else:                            # page mode: the column wraps, the page stays
                if col != c1:
                    col = (col + 1) & 0x7F
                else:
                    col = c0
                    if page == PAGES - 1:
                        frames += 1
        self.column, self.page = col, page
        self.frames += frames
        self.data_bytes += end - first
        if frames:
            for listener in self.on_frame:
                listener()

    # --- commands --------------------------------------------------------------------------
    def _command_byte(self, byte: int) -> None:
        if self._op >= 0:                   # collecting arguments
            self._args[self._have] = byte
            self._have += 1
            if self._have == self._need:
                op, self._op = self._op, -1
                self._execute(op)
            return
        need = _ARG_COUNT[byte]
        if need < 0:
            self.unknown_commands.append(byte)
            return
        if need == 0:
            self._execute(byte)
            return
        self._op, self._need, self._have = byte, need, 0

    def _execute(self, op: int) -> None:
        a = self._args
        self.command_log.append((op, *a[:_ARG_COUNT[op]]))
        if op < 0x10:
            self.column = (self.column & 0xF0) | op
        elif op < 0x20:
            self.column = (self.column & 0x0F) | ((op & 0x07) << 4)
        elif 0x40 <= op < 0x80:
            self.start_line = op & 0x3F
        elif 0xB0 <= op < 0xB8:
            self.page = op & 0x07
        elif op == 0xAE or op == 0xAF:
            self.display_on = op == 0xAF
        elif op == 0x81:
            self.contrast = a[0]
        elif op == 0xA4 or op == 0xA5:
            self.entire_on = op == 0xA5
        elif op == 0xA6 or op == 0xA7:
            self.inverted = op == 0xA7
        elif op == 0x20:
            if a[0] & 0x03 != 0x03:         # 11b is invalid: ignored
                self.addressing_mode = a[0] & 0x03
        elif op == 0x21:
            self.col_start, self.col_end = a[0] & 0x7F, a[1] & 0x7F
            self.column = self.col_start
        elif op == 0x22:
            self.page_start, self.page_end = a[0] & 0x07, a[1] & 0x07
            self.page = self.page_start
        elif op == 0xA0 or op == 0xA1:
            self.segment_remap = op == 0xA1
        elif op == 0xC0 or op == 0xC8:
            self.com_scan_reversed = op == 0xC8
        elif op == 0xA8:
            if a[0] & 0x3F >= 15:           # MUX 1..15 are invalid entries: ignored
                self.multiplex = (a[0] & 0x3F) + 1
        elif op == 0xD3:
            self.display_offset = a[0] & 0x3F
        elif op == 0xDA:
            self.com_pins = a[0] & 0x32
        elif op == 0xD5:
            self.clock_div = a[0]
        elif op == 0xD9:
            self.precharge = a[0]
        elif op == 0xDB:
            self.vcomh = a[0]
        elif op == 0x8D:
            self.charge_pump_on = bool(a[0] & 0x04)
        elif op in (0x26, 0x27, 0x29, 0x2A):
            self.scroll_setup = (op, *a[:_ARG_COUNT[op]])
        elif op == 0xA3:
            self.vertical_scroll_area = (a[0] & 0x3F, a[1] & 0x7F)
        elif op == 0x2E or op == 0x2F:
            self.scroll_active = op == 0x2F
        # 0xE3 NOP: nothing

    # --- pictures --------------------------------------------------------------------------
    def ram_image(self, ram: bytes | None = None) -> Image.Image:
        """GDDRAM as stored (or `ram`, a copy of it): pixel (x, y) = bit y%8 of column x in
        page y//8."""
        return Image.frombytes("1", (WIDTH_PX, HEIGHT_PX), b"".join(_ram_rows(bytes(self.gddram) if ram is None else ram)))

    def panel_state(self) -> PanelState:
        """All that what the panel shows depends on, the GDDRAM copied: a frame kept as this
        costs a 1 KB copy, and its picture (`image(state)`) is made only when it is needed."""
        return PanelState(bytes(self.gddram), self.display_on, self.charge_pump_on, self.entire_on,
                          self.inverted, self.segment_remap, self.com_scan_reversed, self.multiplex,
                          self.display_offset, self.start_line, self.com_pins)

    def image(self, state: PanelState | None = None) -> Image.Image:
        """What the panel shows (or showed, in `state`), upright, as a '1' image (white = lit
        pixel). The simulated user glances at it and the recorder keeps every frame: the
        same state as the last picture gives a copy of that one."""
        if state is None:
            state = self.panel_state()
        if self._shown is None or self._shown[0] != state:
            self._shown = (state, self._picture(state))
        return self._shown[1].copy()

    def _picture(self, state: PanelState) -> Image.Image:
        if not (state.display_on and state.charge_pump_on):
            return Image.new("1", (WIDTH_PX, HEIGHT_PX), 0)
        if state.entire_on:
            return Image.new("1", (WIDTH_PX, HEIGHT_PX), 1)
        ram_rows = _ram_rows(state.gddram)
        # column 0 drives SEG0, which sits at the right: without the remap each row is mirrored
        # (its bytes in reverse order, each byte's bits reversed); inverted, every bit flipped
        mirror = not state.segment_remap
        table = (_MIRRORED_INVERTED if mirror else _INVERTED) if state.inverted else (_MIRRORED if mirror else None)
        dark = bytes(WIDTH_PX // 8)         # rows outside the MUX range are not driven
        rows_key = state[6:]                # the row wiring: set once at start-up
        if self._rows is None or self._rows[0] != rows_key:
            self._rows = (rows_key, [_ram_row(y, state) for y in range(HEIGHT_PX)])
        shown = b"".join(dark if src is None else ram_rows[src] if table is None
                         else (ram_rows[src][::-1] if mirror else ram_rows[src]).translate(table)
                         for src in self._rows[1])
        return Image.frombytes("1", (WIDTH_PX, HEIGHT_PX), shown)

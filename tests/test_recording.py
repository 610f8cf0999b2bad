"""Recording format v1: round trip, strict reading (cells, values, time, markers), the file
layer (gzip, bounded lines, OS errors), and one clear error naming the file and line."""

import gzip
import io
import os
import threading
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session import recording_file
from session.recording import (ABORTED, KG_DECIMALS, KG_STEPS, KPA_DECIMALS, KPA_STEPS, MAXIMUM, NOTHING, PAUSED,
                               RESUMED, SAMPLE, T_DECIMALS, T_STEPS, RecordingError, RecordingParser,
                               RecordingWriter, SampleLimits, open_rows, read_rows)
from session.recording_arrays import load_arrays
from session.recording_file import MAX_LINE_BYTES
from session.replay import analyze_file


def test_round_trip_with_metadata_and_missing_seat_cells(tmp_path):
    path = tmp_path / "r.csv"
    with open(path, "w") as f:
        w = RecordingWriter(f, {"rate_hz": 250, "source": "test"})
        w.write(0.0, 2.512345, 27.1, 26.8)
        w.write(0.004, 2.5, None, 26.7)
    text = path.read_text()
    assert text.splitlines()[:4] == ["# pftrainer-recording v1", "# rate_hz=250", "# source=test",
                                     "t,perineal_kpa,seat_left_kg,seat_right_kg"]
    assert list(open_rows(path)) == [(0.0, 2.51234, 27.1, 26.8), (0.004, 2.5, None, 26.7)]


def test_perineal_only_recordings_are_read():
    rows = list(read_rows(iter(["# pftrainer-recording v1\n", "t,perineal_kpa\n", "0.1,2.0\n"])))
    assert rows == [(0.1, 2.0, None, None)]


HEAD = "# pftrainer-recording v1\nt,perineal_kpa,seat_left_kg,seat_right_kg\n"


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"t,perineal_kpa\n0,1\n", "line 1: missing header"),
    (HEAD.encode() + b"0.0,2.5,1,1\n0.1,abc,1,1\n", "line 4: perineal_kpa is not a number"),
    (HEAD.encode() + b"0.2,2.5,1,1\n0.1,2.5,1,1\n", "line 4: time goes backwards"),
    (HEAD.encode() + b"0.2,2.5,1\n", "line 3: 3 fields, expected 4"),
    (HEAD.encode() + b"0.2,2.5,1,1\n0.3", "line 4: 1 field, expected 4 (the file ends in the middle of this line: "
                                          "cut short?)"),
    (HEAD.encode() + b"0.2,nan,1,1\n", "line 3: perineal_kpa is not a finite number"),
    (b"# pftrainer-recording v1\ntime,p\n", "line 2: expected the column line"),
    (b"# pftrainer-recording v1\n# only metadata\n", "no column line"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8", "line 1: not UTF-8 text"),
    (HEAD.encode() + b"0.1,2\x00,1,1\n", "line 3: binary data"),
])
def test_malformed_input_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(RecordingError) as err:
        list(open_rows(path))
    assert str(err.value).startswith(str(path))
    assert message in str(err.value)


def test_missing_file_is_a_recording_error(tmp_path):
    with pytest.raises(RecordingError, match="cannot open"):
        list(open_rows(tmp_path / "nope.csv"))


def test_writer_refuses_multiline_metadata():
    with pytest.raises(ValueError):
        RecordingWriter(io.StringIO(), {"note": "two\nlines"})


# --- strict reading: every cell, value and time checked ---------------------------------------

@pytest.mark.parametrize("cell", ["2_5", "\u0662.\u0665", "\uff12.\uff15", "2.5e0", "+2.5", " 2.5",
                                  "2.", ".5", "0x2"])
def test_a_cell_must_be_a_plain_ascii_decimal(cell):
    # float() accepts most of these ('2_5', Arabic-Indic and fullwidth digits, exponents, signs, spaces)
    with pytest.raises(RecordingError, match="line 3: perineal_kpa is not a number"):
        list(read_rows([*HEAD.splitlines(keepends=True), f"0.0,{cell},1,1\n"]))


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "9" * 400])
def test_a_non_finite_value_is_refused(cell):
    with pytest.raises(RecordingError, match="line 3: seat_left_kg is not a finite number"):
        list(read_rows([*HEAD.splitlines(keepends=True), f"0.0,2.5,{cell},1\n"]))


def test_plain_decimals_crlf_line_ends_and_empty_seat_cells_are_read():
    rows = list(read_rows([*HEAD.splitlines(keepends=True), "0,2.5,,\r\n", "0.5,-0.25,-1.000,70\r\n",
                           "1.0,2,,"]))
    assert rows == [(0.0, 2.5, None, None), (0.5, -0.25, -1.0, 70.0), (1.0, 2.0, None, None)]


@pytest.mark.parametrize("times, message", [
    (["-0.5"], "line 3: negative time t=-0.5"),
    (["0.0", "0.0"], "line 4: time goes backwards or repeats"),
    (["1.0", "0.5"], "line 4: time goes backwards"),
    (["0.0", "3600.5"], "line 4: time jumps 3600 s"),
    (["4000.0"], "line 3: time jumps 4000 s"),
    (["0.0", "0.0004"], "line 4: t=0.0004 is less than 0.5 ms after the sample before it"),
    (["0.0", "0." + "0" * 24 + "1"], "line 4: t=0.0000000000000000000000001 is less than 0.5 ms after"),
])
def test_time_must_start_at_or_after_zero_increase_and_not_jump_absurdly(times, message):
    lines = [*HEAD.splitlines(keepends=True), *(f"{t},2.5,1,1\n" for t in times)]
    with pytest.raises(RecordingError, match=message):
        list(read_rows(lines))


def test_a_gap_of_up_to_an_hour_is_a_pause_not_an_error():
    lines = [*HEAD.splitlines(keepends=True), "0.0,2.5,1,1\n", "3600.0,2.5,1,1\n"]
    assert [r[0] for r in read_rows(lines)] == [0.0, 3600.0]


def test_the_input_chain_limits_come_from_the_configured_calibration():
    from device.config import Config, LoadCalibration
    cfg = Config()
    limits = SampleLimits.from_calibration(cfg.calibration, cfg.adc.full_scale_v)
    # 0 V .. 3.3 V at the inputs: 0.33 V = 0 kPa at 0.264 V/kPa; 0.25 V = 0 kg at 0.04 V/kg,
    # widened by a few ADC codes (125 uV each at +-4.096 V)
    assert limits.perineal_kpa == pytest.approx((-1.25, 11.25), abs=0.003)
    assert limits.seat_left_kg == limits.seat_right_kg == pytest.approx((-6.25, 76.25), abs=0.02)
    from dataclasses import replace
    doubled = replace(cfg.calibration, seat_right=LoadCalibration(zero_v=0.25, v_per_kg=0.02))
    assert SampleLimits.from_calibration(doubled, 4.096).seat_right_kg[1] == pytest.approx(152.5, abs=0.03)
    assert SampleLimits.from_calibration(cfg.calibration, 2.048).perineal_kpa[1] == \
        pytest.approx((2.048 - 0.33) / 0.264, abs=0.003)        # the ADC's full scale below the supply


LIMITS = SampleLimits(perineal_kpa=(-1.25, 11.25), seat_left_kg=(-6.25, 76.25),
                      seat_right_kg=(-6.25, 76.25))


@pytest.mark.parametrize("row, column", [
    ("0.0,11.3,30,30", "perineal_kpa = 11.3"), ("0.0,-1.3,30,30", "perineal_kpa = -1.3"),
    ("0.0,2.5,76.3,30", "seat_left_kg = 76.3"), ("0.0,2.5,30,-6.3", "seat_right_kg = -6.3"),
])
def test_a_value_the_sensor_cannot_produce_is_refused(row, column):
    with pytest.raises(RecordingError, match=f"line 3: {column} is outside what the sensor can produce"):
        list(read_rows([*HEAD.splitlines(keepends=True), row + "\n"], limits=LIMITS))
    inside = "0.0,11.2,76.2,-6.2\n0.1,-1.2,-6.2,76.2\n"          # the rails themselves are fine
    assert len(list(read_rows([*HEAD.splitlines(keepends=True), *inside.splitlines(True)],
                              limits=LIMITS))) == 2


def test_pause_resume_and_abort_lines_are_reported_by_the_parser():
    parser = RecordingParser("r.csv")
    found = [parser.feed(line) for line in [*HEAD.splitlines(keepends=True), "0.0,2.5,30,30\n",
                                            "# paused=0.0000 stood_up\n", "# resumed=20.5000\n",
                                            "# note=ignorable\n", "21.0,2.7,30,30\n",
                                            "# aborted=stopped by SIGTERM\n"]]
    assert found == [NOTHING, NOTHING, SAMPLE, PAUSED, RESUMED, NOTHING, SAMPLE, ABORTED]
    assert parser.aborted == "stopped by SIGTERM" and parser.samples == 2
    parser.finish()


def test_the_maximum_line_is_reported_and_a_bad_one_refused_naming_its_line():
    """`# max_drop_kpa=` says from where on a session knew the user's maximum (`analyze` takes it
    from there); a maximum that is no number above 0 is refused, not silently ignored."""
    parser = RecordingParser("r.csv")
    found = [parser.feed(line) for line in [*HEAD.splitlines(keepends=True), "# max_drop_kpa=0.8473625\n",
                                            "0.0,2.5,30,30\n"]]
    assert found == [NOTHING, NOTHING, MAXIMUM, SAMPLE] and parser.max_drop_kpa == 0.8473625
    for bad in ("# max_drop_kpa=\n", "# max_drop_kpa=0\n", "# max_drop_kpa=1,2\n", "# max_drop_kpa=-0.5\n"):
        parser = RecordingParser("r.csv")
        with pytest.raises(RecordingError, match=r"r\.csv, line 3: expected '# max_drop_kpa=<kPa above 0>'"):
            for line in [*HEAD.splitlines(keepends=True), bad]:
                parser.feed(line)


def test_a_sample_converted_just_before_its_resume_was_stamped_is_read():
    """A review: the resume is stamped when the device handles it, the next sample when its
    conversion began; on a busy Pi the loop can run tens of ms late, and a recording refused
    for it could be neither analysed nor exported."""
    body = "0.0,2.5,1,1\n# paused=0.0 button\n# resumed=20.30\n20.0,2.5,1,1\n20.004,2.5,1,1\n"
    rows = list(read_rows((HEAD + body).splitlines(keepends=True), "r.csv"))
    assert [row[0] for row in rows if isinstance(row, tuple)][-2:] == [20.0, 20.004]


@pytest.mark.parametrize("body, message", [
    ("", "a header and no samples"),
    ("# aborted=sensor fault\n", "a header and no samples (aborted: sensor fault)"),
    ("0.0,2.5,1,1\n# paused=0.0 button\n1.0,2.5,1,1\n", "line 5: a sample between '# paused=' and"),
    ("0.0,2.5,1,1\n# resumed=1.0\n", "line 4: '# resumed=' without a '# paused='"),
    ("0.0,2.5,1,1\n# paused=0.0 a\n# paused=1.0 b\n", "line 5: '# paused=' while already paused"),
    ("0.0,2.5,1,1\n# paused=soon\n", "line 4: expected '# paused=<seconds> <reason>'"),
    ("0.0,2.5,1,1\n# aborted=x\n1.0,2.5,1,1\n", "line 5: a sample after '# aborted='"),
    # the bad-input campaign: marks whose times contradict the samples were analysed and exported
    ("0.0,2.5,1,1\n1.0,2.5,1,1\n# paused=0.5 a\n", "line 5: '# paused=0.5' is before the sample above it (t=1)"),
    ("0.0,2.5,1,1\n1.0,2.5,1,1\n# paused=0.94 a\n", "line 5: '# paused=0.94' is before the sample above it (t=1)"),
    # (a resume may come up to 0.5 s after the sample below it, but that sample not before the pause)
    ("9.99,2.5,1,1\n# paused=10.0 a\n# resumed=10.2\n9.995,2.5,1,1\n", "line 6: t=9.995 is before the '# resumed=10.2'"),
    ("0.0,2.5,1,1\n# paused=50.0 a\n# resumed=2.0\n", "line 5: '# resumed=2.0' is before its '# paused=50'"),
    ("0.0,2.5,1,1\n# paused=0.0 a\n# resumed=3000.0\n19.956,2.5,1,1\n",
     "line 6: t=19.956 is before the '# resumed=3000' above it"),
])
def test_markers_and_samples_must_make_sense_together(body, message):
    with pytest.raises(RecordingError) as err:
        list(read_rows((HEAD + body).splitlines(keepends=True), "r.csv"))
    assert str(err.value).startswith("r.csv") and message in str(err.value)


# --- the file: plain or gzip, bounded lines -----------------------------------------------------

def _recording_text(n: int = 50) -> str:
    return HEAD + "".join(f"{i / 100:.4f},2.50000,30.000,30.000\n" for i in range(n))


def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(tmp_path):
    text = _recording_text()
    for name in ("a.csv.gz", "a.csv"):
        with gzip.open(tmp_path / name, "wt", compresslevel=6) as f:
            f.write(text)
        assert len(list(open_rows(tmp_path / name))) == 50
    (tmp_path / "plain.csv.gz").write_text(text)                    # named .gz, but plain text
    assert len(list(open_rows(tmp_path / "plain.csv.gz"))) == 50


def test_a_truncated_or_corrupt_gzip_file_is_refused_with_the_line_it_reached(tmp_path):
    whole = gzip.compress(_recording_text(2000).encode(), compresslevel=6)
    for cut, message in [(len(whole) // 2, "the gzip data stops before its end"),
                         (len(whole) - 4, "the gzip data stops before its end"),   # only the size missing
                         (10, "the gzip data stops before its end")]:
        (tmp_path / "t.csv.gz").write_bytes(whole[:cut])
        with pytest.raises(RecordingError, match=rf"t\.csv\.gz, line \d+: {message}"):
            list(open_rows(tmp_path / "t.csv.gz"))
    crc = bytearray(whole)
    crc[-6] ^= 0xFF                                                  # the CRC-32 in the trailer
    (tmp_path / "c.csv.gz").write_bytes(bytes(crc))
    with pytest.raises(RecordingError, match=r"line 2003: corrupt gzip data \(CRC check failed"):
        list(open_rows(tmp_path / "c.csv.gz"))


@pytest.mark.parametrize("read", [lambda p: list(open_rows(p)), analyze_file, load_arrays],
                         ids=["rows", "analyze", "arrays"])
def test_garbled_gzip_data_is_reported_as_damage_not_as_the_nonsense_line_it_decompresses_to(tmp_path, read):
    """Bytes flipped mid-file decompress into nonsense lines before the CRC at the end shows
    the damage: the damage is what is reported, at the line where the nonsense began."""
    whole = gzip.compress(_recording_text(20000).encode(), compresslevel=6)
    garbled = bytearray(whole)
    middle = len(garbled) // 2
    garbled[middle:middle + 8] = bytes(b ^ 0x5A for b in garbled[middle:middle + 8])
    (tmp_path / "g.csv.gz").write_bytes(bytes(garbled))
    with pytest.raises(RecordingError, match=r"g\.csv\.gz, line \d+: corrupt gzip data \((CRC check failed|"
                                             r"invalid|Error -3)"):
        read(tmp_path / "g.csv.gz")


def test_a_bad_line_names_a_path_with_a_colon_and_its_line_also_when_the_gzip_is_damaged(tmp_path):
    folder = tmp_path / "a: b"
    folder.mkdir()
    whole = bytearray(gzip.compress(_recording_text(20000).encode(), compresslevel=6))
    whole[len(whole) // 2] ^= 0x5A
    (folder / "g.csv.gz").write_bytes(bytes(whole))
    with pytest.raises(RecordingError, match=rf"^{folder}/g\.csv\.gz, line \d+: corrupt gzip data"):
        list(open_rows(folder / "g.csv.gz"))


def test_a_bad_line_read_from_a_pipe_is_reported_not_read_again(tmp_path):
    """Checking a bad line against the gzip stream reads the file again: a pipe cannot be,
    and opening it again would wait for a writer for ever."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(_recording_text(50) + "1.0,2.5\n"))
    writer.start()
    outcome = []

    def read():
        try:
            list(open_rows(fifo))
        except RecordingError as e:
            outcome.append(str(e))
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10.0)
    writer.join(timeout=1.0)
    assert outcome and outcome[0].endswith("fifo, line 53: 2 fields, expected 4")


def test_a_huge_line_is_refused_after_reading_at_most_a_little_of_it(tmp_path):
    path = tmp_path / "long.csv"
    with open(path, "wb") as f:
        f.write(HEAD.encode() + b"0.0,2.5,1,1\n0.1," + b"1" * (16 << 20) + b",1,1\n")
    tracemalloc.start()
    try:
        with pytest.raises(RecordingError, match=f"line 4: longer than {MAX_LINE_BYTES} bytes"):
            list(open_rows(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024                                         # not the 16 MiB line


def test_a_directory_and_an_unreadable_file_are_named(tmp_path, monkeypatch):
    with pytest.raises(RecordingError, match=f"^{tmp_path}: is a directory, not a recording file$"):
        list(open_rows(tmp_path))

    def refused(path, mode):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(recording_file, "open", refused, raising=False)
    with pytest.raises(RecordingError, match="r.csv: cannot open: Permission denied$"):
        list(open_rows(tmp_path / "r.csv"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_is_named(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(_recording_text())
    path.chmod(0)
    with pytest.raises(RecordingError, match="r.csv: cannot open: Permission denied$"):
        list(open_rows(path))


def test_a_gzip_recording_streams_through_a_pipe(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = gzip.compress(_recording_text(500).encode(), compresslevel=6)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(data)
    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert len(list(open_rows(fifo))) == 500
    finally:
        writer.join(5)


# --- long files: read a chunk at a time, samples converted a block at a time -----------------
def _long(n: int, bad_at: int | None = None, bad: bytes = b"") -> bytes:
    rows = [b"%.4f,%.5f,30.000,30.125\n" % (i * 0.004, 2.5 + 0.001 * (i % 13)) for i in range(n)]
    if bad_at is not None:
        rows[bad_at] = bad
    return HEAD.encode() + b"".join(rows)


@pytest.mark.parametrize("bad_at", [1, 1500, 4097, 7999])       # near a block's and a chunk's ends
@pytest.mark.parametrize("bad, message", [
    (b"0.0000,2.5,30,30\n", "time goes backwards"),
    (b"9.0,2.5,30\n", "3 fields, expected 4"),
    (b"9.0,2\x00,30,30\n", "binary data"),
    (b"9.0,2.5,30,30" + b"0" * 2000 + b"\n", f"longer than {MAX_LINE_BYTES} bytes"),
    (b"9.0,\xff\xfe,30,30\n", "not UTF-8 text"),
], ids=["backwards", "fields", "binary", "long", "not-utf8"])
@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
@pytest.mark.sweep
def test_a_bad_line_deep_in_a_long_recording_is_named_alike_by_every_reader(tmp_path, bad_at, bad, message,
                                                                             compress):
    """The bulk paths (chunks of bytes, blocks of samples) fall back to a line at a time
    wherever a line is bad: the same error, at the same line, as the line-by-line parser."""
    content = _long(8000, bad_at, bad)
    path = tmp_path / "r.csv"
    path.write_bytes(gzip.compress(content) if compress else content)
    expected = f"line {bad_at + 3}: {message}"
    for read in (lambda p: list(open_rows(p)), load_arrays):
        with pytest.raises(RecordingError) as err:
            read(path)
        assert expected in str(err.value)


@pytest.mark.parametrize("bad_at", [1, 4097])
def test_samples_closer_than_the_adc_converts_are_refused_by_every_reader(tmp_path, bad_at):
    """A sample 0.1 ms after the one before it (a rate of 10 kHz; the ADS1115 converts 860 times
    a second at most) is a broken clock, in the bulk paths as line by line; 0.6 ms is taken."""
    close = b"%.4f,2.5,30,30\n" % ((bad_at - 1) * 0.004 + 0.0001)
    path = tmp_path / "r.csv"
    path.write_bytes(_long(8000, bad_at, close))
    for read in (lambda p: list(open_rows(p)), load_arrays):
        with pytest.raises(RecordingError) as err:
            read(path)
        assert f"line {bad_at + 3}: t={close.split(b',')[0].decode()} is less than 0.5 ms after" in str(err.value)
    path.write_bytes(_long(8000, bad_at, b"%.4f,2.5,30,30\n" % ((bad_at - 1) * 0.004 + 0.0006)))
    assert len(load_arrays(path).t_s) == len(list(open_rows(path))) == 8000


def test_a_long_recording_reads_the_same_in_arrays_as_row_by_row(tmp_path):
    content = _long(9000).replace(b"\n8.0000,", "\n# opmerking: één pauze\n# paused=7.998 knop\n"
                                  "# resumed=8.0\n8.0000,".encode())
    path = tmp_path / "r.csv.gz"
    path.write_bytes(gzip.compress(content))
    rows = list(open_rows(path))
    arrays = load_arrays(path)
    assert len(rows) == len(arrays.t_s) == 9000
    assert [r[0] for r in rows] == arrays.t_s.tolist() and [r[1] for r in rows] == arrays.perineal_kpa.tolist()
    assert [r[3] for r in rows] == arrays.seat_right_kg.tolist()
    assert arrays.stretch[1999] == 0 and arrays.stretch[2000] == 1 and len(arrays.pauses) == 1


def test_steps_of_exactly_half_a_millisecond_are_taken_however_their_times_were_rounded(tmp_path):
    """The review: 0.0035, 0.0040, 0.0045 -- 0.5 ms apart as written -- was refused (0.0045 - 0.0040
    is a little under 0.0005 in floating point), one step in five."""
    rows = [b"%.4f,2.5,30,30\n" % (i * 0.0005) for i in range(20_000)]
    path = tmp_path / "r.csv"
    path.write_bytes(HEAD.encode() + b"".join(rows))
    assert len(list(open_rows(path))) == len(load_arrays(path).t_s) == 20_000
    assert [r[0] for r in read_rows([*HEAD.splitlines(keepends=True), "0.0035,2.5,1,1\n", "0.0040,2.5,1,1\n",
                                     "0.0045,2.5,1,1\n"])] == [0.0035, 0.004, 0.0045]


@given(st.floats(-1e4, 1e4), st.sampled_from([(T_STEPS, T_DECIMALS), (KPA_STEPS, KPA_DECIMALS),
                                                (KG_STEPS, KG_DECIMALS)]))
def test_a_value_kept_to_a_rows_steps_is_what_its_row_reads_back(x, steps_decimals):
    """The device analyses round(x * STEPS) / STEPS and writes it to `decimals`: the row's text
    reads back as the very value analysed (`analyze` replays what the device saw)."""
    steps, decimals = steps_decimals
    kept = round(x * steps) / steps
    assert float(f"{kept:.{decimals}f}") == kept
    assert abs(kept - x) <= 0.5 / steps * (1 + 1e-9)

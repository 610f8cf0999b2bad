"""Recording format v1: round trip, and one clear error naming the line for bad input."""

import io

import pytest

from session.recording import RecordingError, RecordingWriter, open_rows, read_rows


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

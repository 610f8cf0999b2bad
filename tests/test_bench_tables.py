"""The benchmark's tables by condition: every sampling rate a corpus draws has a row of its own."""

import io

from bench.analysis import RATE_BINS, RATES_HZ, _recall_table
from bench.oracle.person import RATES_HZ as ORACLE_RATES_HZ
from hw_sim.corpus import RATES_HZ as OWN_RATES_HZ


def test_each_sampling_rate_the_corpora_draw_has_its_own_row():
    assert set(OWN_RATES_HZ) == set(ORACLE_RATES_HZ) == set(RATES_HZ)
    out = io.StringIO()
    # at each rate one lift found and, but at 128 Hz, one missed: the rows tell them apart
    outcomes = [(rate, True, True) for rate in RATES_HZ] + [(rate, False, True) for rate in RATES_HZ if rate != 128]
    _recall_table("by rate", outcomes, RATE_BINS, out, names=tuple(str(rate) for rate in RATES_HZ))
    rows = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()[2:]}
    assert list(rows) == [str(rate) for rate in RATES_HZ]
    assert rows["128"] == ["1", "1.000", "1", "1.000"]
    assert all(rows[str(rate)] == ["2", "0.500", "2", "0.500"] for rate in RATES_HZ if rate != 128)

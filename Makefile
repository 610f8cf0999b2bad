# Two entry points: `make sim` and `make test`. Both create or reuse a venv ($(VENV)) and
# install the pinned dependencies (pyproject.toml + constraints.txt) first; the test targets add
# the `[test]` extras (pytest and its plugins, hypothesis, fake-rpi), which the simulator needs not.
#
#   make test PYTHON=python3.13 VENV=.venv-3.13    the tests on another Python, in its own venv
#
# Python 3.11 (Debian 12 bookworm) and 3.13 (Debian 13 trixie) are the two we test.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SIM_OUT ?= sim-out
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
# $(PYTHON) (a command, with arguments if given), or where it does not run but is a pyenv shim of
# a version not selected, pyenv's own copy of it from 3.11-3.13 (as .ci/run finds it)
ASKVER := -c 'import sys; print("%d.%d" % sys.version_info[:2])'
PYRUN  := $(shell p='$(PYTHON)'; if $$p $(ASKVER) >/dev/null 2>&1; then echo "$$p"; else \
            for c in "$$(pyenv root 2>/dev/null)"/versions/3.1[123]*/bin/"$$p"; do \
              "$$c" $(ASKVER) >/dev/null 2>&1 && { echo "$$c"; break; }; done; fi)
# "3.11" etc., or empty when it does not run
PYVER  := $(shell $(or $(PYRUN),$(PYTHON)) $(ASKVER) 2>/dev/null)
# the venv is rebuilt from scratch when the pins change or it was made by another Python
STAMP  := $(VENV)/.installed-$(PYVER)
# ... and the test extras added to it (gone with it when it is rebuilt)
TEST_STAMP := $(VENV)/.installed-test-$(PYVER)

.PHONY: sim test test-slow test-all bench faults reference-screens check-wheels library-costs pi-rehearsal clean

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYVER)" || { echo "pftrainer needs Python 3.11 to 3.13: '$(PYTHON)' does not run (sudo apt-get install python3, or make PYTHON=...)"; exit 2; }
	@$(PYRUN) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' || { \
	  echo "pftrainer needs Python 3.11 to 3.13; $(PYTHON) is $(PYVER) (make PYTHON=python3.11 ...)"; exit 2; }
	@$(PYRUN) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Python's venv module is missing: sudo apt-get install python3-venv"; exit 2; }
	$(PYRUN) -m venv --clear $(VENV)
	@# the build backend is pinned too: install it first and build without isolation
	$(PIP) install -c constraints.txt setuptools
	$(PIP) install --no-build-isolation -c constraints.txt -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP) install --no-build-isolation -c constraints.txt -e '.[test]'
	@touch $(TEST_STAMP)

sim: $(STAMP)
	$(BIN)/pftrainer selftest --sim
	mkdir -p $(SIM_OUT)
	$(BIN)/pftrainer sim --program kracht --persona bears_down_tired --seed 1 --out $(SIM_OUT)/session
	$(BIN)/pftrainer analyze $(SIM_OUT)/session/recording.csv.gz
	rm -rf $(SIM_OUT)/state
	$(BIN)/pftrainer run --sim --persona strong --program kracht --sessions 2 --stand-up 50 --state-dir $(SIM_OUT)/state
	$(BIN)/pftrainer history --state-dir $(SIM_OUT)/state

# make test: the tests not marked slow (about a minute on a 2-core PC); make test-slow: the slow
# ones (sweeps over programmes, personas and seeds, whole sessions of the simulated device,
# Chromium; about five minutes); make test-all: both in one run. CI (.ci/run) runs test and test-slow.
# TESTS: pytest arguments, e.g. make test TESTS=tests/test_install.py (default: all files)
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not slow" $(TESTS)

test-slow: $(TEST_STAMP)
	$(BIN)/python -m pytest -m slow $(TESTS)

test-all: $(TEST_STAMP)
	$(BIN)/python -m pytest $(TESTS)

bench: $(STAMP)
	$(BIN)/python -m bench.analysis
	$(BIN)/python -m bench.analysis --rate-hz 250
	$(BIN)/python -m bench.breath_holds
	$(BIN)/python -m bench.fresh_seeds
	$(BIN)/python -m bench.session
	$(BIN)/python -m bench.weeks

# the screens' reference PNGs (tests/reference/), rewritten from what the screens look like now:
# only on purpose, after a change meant to show (then look at them before committing)
reference-screens: $(STAMP)
	$(BIN)/python -m tools.reference_screens --yes-overwrite

# what the I2C libraries the simulator stands in for cost a call here (hw_sim/i2c.py LIBRARY_COST_S)
library-costs: $(STAMP)
	$(BIN)/python -m tools.library_costs

# the fault campaign, before a release (a few minutes; not part of `make test`): kills, a full
# filesystem, a damaged and a locked database, fuzzed loaders; prints a table, exits 1 if
# anything was lost. Longer: make faults FAULTS_ARGS="--kills 300 --fuzz-seconds 1800"
faults: $(STAMP)
	$(BIN)/python -m tools.faults $(FAULTS_ARGS)

# every pin has a wheel (or is pure Python) for CPython 3.11 and 3.13 on x86_64 and aarch64
check-wheels:
	$(PYTHON) tools/check_wheels.py constraints.txt

# bookworm and trixie arm64 roots under qemu-user: make sim, make test, install.sh (slow;
# root). Settings: REHEARSAL_DIR RELEASES PARALLEL TESTS EMULATION (see the script's header)
pi-rehearsal:
	tools/pi_rehearsal.sh

clean:
	rm -rf $(VENV) .venv-* $(SIM_OUT) .pytest_cache

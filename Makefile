# Two entry points: `make sim` and `make test`. Both create or reuse .venv and
# install the pinned dependencies (pyproject.toml + constraints.txt) first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SIM_OUT ?= sim-out

.PHONY: sim test bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "pftrainer needs Python 3.11 (python3.11 or python3 on the PATH)."; exit 2; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "Python's venv module is missing: sudo apt-get install python3-venv"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

sim: $(STAMP)
	$(BIN)/pftrainer selftest --sim
	$(BIN)/pftrainer sim --program kracht --persona bears_down_tired --seed 1 --out $(SIM_OUT)/session
	$(BIN)/pftrainer analyze $(SIM_OUT)/session/recording.csv
	rm -rf $(SIM_OUT)/state
	$(BIN)/pftrainer run --sim --persona strong --program kracht --sessions 2 --stand-up 50 --state-dir $(SIM_OUT)/state
	$(BIN)/pftrainer history --state-dir $(SIM_OUT)/state

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench.analysis
	$(BIN)/python -m bench.session

clean:
	rm -rf $(VENV) $(SIM_OUT) .pytest_cache

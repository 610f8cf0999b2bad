"""The fault campaign (`make faults`, `python -m tools.faults`): run before a release, not
part of `make test`.

It runs the real `pftrainer` command as the service would run it and does to it what
the field will: kills it at random moments (SIGKILL and SIGTERM) and starts it again on
the same state directory, fills its filesystem, damages and locks its database, and
feeds its loaders (config, programme files, recordings) mutated input. Then it checks
what the device promised: every rep it reported is in the database, every recording
the database names can be read, no traceback, no hang, one clear line for bad input.

Parts, one job each:
- `runs`: one `pftrainer run --sim` subprocess: start, signal, wait, what it said;
- `ledger`: what a run reported against what its state directory holds;
- `kills`: the kill campaign;
- `storage`: full filesystem, damaged database, locked database;
- `mutate`: mutated and random inputs; `fuzz_worker` feeds them to the loaders in a
  limited process, `fuzz` runs that process;
- `table`: the tally and the table printed at the end.
"""

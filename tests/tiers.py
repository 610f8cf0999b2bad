"""The two tiers of the suite: `make test` leaves out the tests marked `slow`, `make test-slow`
runs them. A `sweep` (one check over many programmes, personas, seeds or files) is in both: its
first case in `make test`, the others slow."""

import pytest


@pytest.hookimpl(tryfirst=True)                # before `-m` chooses
def pytest_collection_modifyitems(items):
    """Every case of a `sweep` after its first is `slow`."""
    seen = set()
    for item in items:
        if item.get_closest_marker("sweep") is not None:
            function = item.nodeid.partition("[")[0]
            if function in seen:
                item.add_marker(pytest.mark.slow)
            seen.add(function)

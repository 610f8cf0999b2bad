"""Developer tools: `reference_screens` (make reference-screens), `check_wheels.py` (make check-wheels)."""

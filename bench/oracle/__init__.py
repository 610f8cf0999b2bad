"""An independent model of a person sitting on the pftrainer cushion, written from the clinical
brochures and published physiology, for benchmarking the analyzer. See README.md in this folder."""

from .recording import make_recording
from .records import Recording, Truth
from .scenarios import SCENARIOS

__all__ = ["make_recording", "Recording", "Truth", "SCENARIOS"]

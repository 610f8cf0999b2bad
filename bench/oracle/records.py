"""What a generated recording is: the rows a sensor chain delivers, and what the body really did."""

from __future__ import annotations

from dataclasses import dataclass, field

TRUTH_KINDS = (
    "contraction",
    "bear_down",
    "cough",
    "glute",
    "posture",
    "breath_hold",
    "stand_up",
    "sit_down",
)


@dataclass(frozen=True)
class Truth:
    """One thing the body did.

    kind: one of TRUTH_KINDS. start_s: first movement. end_s: the action is over (pressure back to
    within its residual). size: signed peak perineal change at the sensor in kPa after gain
    (negative: lift, positive: push or cough; 0.0 when the action has no perineal effect).
    details: kind-specific facts (see README.md).
    """

    kind: str
    start_s: float
    end_s: float
    size: float
    details: dict = field(default_factory=dict)


@dataclass
class Recording:
    """rows: (t_s, perineal_kpa, seat_left_kg, seat_right_kg), strictly increasing t.
    truth: what the body did, sorted by start. info: the parameters in force (see README.md)."""

    rows: list
    truth: list
    info: dict

    def write_csv(self, path) -> None:
        """Write the rows as a pftrainer v1 recording, the truth as `# eventN=` metadata lines."""
        with open(path, "w", encoding="utf-8") as out:
            out.write("# pftrainer-recording v1\n")
            out.write("# source=bench.oracle\n")
            for key in ("scenario", "seed", "rate_hz", "gain", "rest_kpa", "strength_kpa"):
                if key in self.info:
                    out.write(f"# {key}={self.info[key]}\n")
            for n, truth in enumerate(self.truth):
                out.write(f"# event{n}={truth.kind},{truth.start_s:.3f},{truth.end_s:.3f}\n")
            out.write("t,perineal_kpa,seat_left_kg,seat_right_kg\n")
            for t_s, p_kpa, left_kg, right_kg in self.rows:
                out.write(f"{t_s:.4f},{p_kpa:.5f},{left_kg:.3f},{right_kg:.3f}\n")

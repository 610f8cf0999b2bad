"""A cough's spike that holds its compression, for the tests that guard pushes against coughs."""


def flat_top_cough(top_kpa: float, flat_s: float, start_s: float):
    """The pressure change of a cough begun at `start_s`: up in 0.1 s, `flat_s` at `top_kpa`,
    out in 0.15 s (smooth steps)."""
    def shape(t):
        u = t - start_s
        if u <= 0.0 or u >= 0.25 + flat_s:
            return 0.0
        if u < 0.1:
            return top_kpa * (3.0 - 2.0 * u / 0.1) * (u / 0.1) ** 2
        if u < 0.1 + flat_s:
            return top_kpa
        x = (u - 0.1 - flat_s) / 0.15
        return top_kpa * (1.0 - (3.0 - 2.0 * x) * x * x) ** 2
    return shape

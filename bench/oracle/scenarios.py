"""Scenario scripts: which exercises (from the brochures) and which mistakes and distractions.

Exercise doses follow the brochures: maximal lifts held 3-12 s (6-8 counts, >= 5 s, Kegel 3-5 s),
relaxing at least as long as the hold (16 counts after 6-8; "twice as long"); quick flicks "fast
squeeze and full release, repeat until tired, at least 5"; half-maximal endurance holds "as long as
possible" (20-60 s here), relax >= 10 s; the lift exercise with its floors; breathe on throughout.
"""

from __future__ import annotations


def _rest(sc, lo=5.0, hi=12.0):
    if sc.brief:
        lo, hi = 0.6 * lo, 0.6 * hi
    sc.wait(sc.rng.uniform(lo, hi))


def _reps(sc, lo, hi, brief_lo=1, brief_hi=2):
    """How many repetitions: a set as prescribed, or a short taste of it in the mixed scenario."""
    return sc.rng.randint(brief_lo, brief_hi) if sc.brief else sc.rng.randint(lo, hi)


def strength_set(sc) -> bool:
    rng, placed = sc.rng, False
    for _ in range(_reps(sc, 3, 6)):
        hold_s = rng.uniform(3.0, 12.0)
        if sc.lift("hold", rng.uniform(0.6, 1.0), hold_s, incomplete=rng.random() < 0.15) is None:
            break
        placed = True
        sc.wait(hold_s * rng.uniform(1.0, 1.8) + rng.uniform(0.5, 1.5))
    return placed


def submax_set(sc) -> bool:
    """Lower floors of the lift: 20-60 % held 3-10 s."""
    rng, placed = sc.rng, False
    for _ in range(_reps(sc, 2, 4)):
        hold_s = rng.uniform(3.0, 10.0)
        if sc.lift("hold", rng.uniform(0.2, 0.6), hold_s, incomplete=rng.random() < 0.15) is None:
            break
        placed = True
        sc.wait(hold_s * rng.uniform(1.0, 1.8) + rng.uniform(0.5, 1.5))
    return placed


def flick_set(sc) -> bool:
    """Quick flicks until tired (at least 5): the level sags a little each time."""
    rng, placed = sc.rng, False
    level = rng.uniform(0.6, 1.0)
    for _ in range(_reps(sc, 5, 10, 3, 5)):
        if sc.lift("flick", level, 0.0, cue=False) is None:
            break
        placed = True
        level = max(0.2, level - rng.uniform(0.01, 0.06))
        sc.wait(rng.uniform(0.8, 2.5))
    return placed


def endurance_hold(sc) -> bool:
    """Half-maximal hold as long as possible, then a long relax."""
    rng = sc.rng
    hold_s = rng.uniform(20.0, 35.0 if sc.brief else 60.0)
    if sc.lift("endurance", rng.uniform(0.3, 0.6), hold_s, incomplete=rng.random() < 0.2) is None:
        return False
    sc.wait(max(10.0, hold_s * rng.uniform(1.0, 1.2 if sc.brief else 1.5)))
    return True


def lift_exercise(sc) -> bool:
    """Brochure 001 oefening 5: lightly, a bit further, then maximal, breathing on."""
    rng = sc.rng
    floors = [rng.uniform(0.25, 0.4), rng.uniform(0.55, 0.7), 1.0]
    hold_s = 3 * rng.uniform(2.0, 3.5)
    if sc.lift("hold", rng.uniform(0.8, 1.0), hold_s, floors=floors) is None:
        return False
    sc.wait(hold_s * rng.uniform(1.0, 2.0))
    return True


def breath_hold_set(sc) -> bool:
    """Holds of 5-14 s; in about half of them the person holds the breath."""
    rng, placed = sc.rng, False
    n = _reps(sc, 4, 8, 2, 3)
    held = [k < n // 2 for k in range(n)]
    if n % 2 and rng.random() < 0.5:
        held[n // 2] = True
    rng.shuffle(held)
    for breath_held in held:
        hold_s = rng.uniform(5.0, 14.0)
        if sc.lift("hold", rng.uniform(0.4, 1.0), hold_s, breath_held=breath_held) is None:
            break
        placed = True
        sc.wait(hold_s * rng.uniform(1.0, 1.6) + rng.uniform(1.0, 2.5))
    return placed


def push_set(sc, n_lo=2, n_hi=5) -> bool:
    rng, placed = sc.rng, False
    for _ in range(_reps(sc, n_lo, n_hi)):
        dur_s = rng.uniform(0.3, 5.0)
        valsalva = dur_s >= 1.5 and rng.random() < 0.5
        if sc.push(rng.uniform(0.1, 2.0), dur_s, valsalva=valsalva) is None:
            break
        placed = True
        _rest(sc, 5.0, 15.0)
    return placed


def push_after_release(sc) -> bool:
    """The release done by pushing (brochure 002: let go *without* pushing): a hold, then a push."""
    rng = sc.rng
    hold_s = rng.uniform(3.0, 8.0)
    c = sc.lift("hold", rng.uniform(0.5, 1.0), hold_s)
    if c is None:
        return False
    sc.push(rng.uniform(0.1, 1.0), rng.uniform(0.3, 1.5), start_s=c.end_s + rng.uniform(0.0, 0.5))
    sc.wait(hold_s * rng.uniform(1.0, 2.0))
    return True


def cough_set(sc) -> bool:
    rng, placed = sc.rng, False
    for _ in range(_reps(sc, 1, 3, 1, 1)):
        if not sc.cough_bout(rng.choice((1, 1, 2, 2, 3))):
            break
        placed = True
        _rest(sc, 4.0, 12.0)
    return placed


def glute_set(sc) -> bool:
    rng, placed = sc.rng, False
    extra = 0 if sc.brief else rng.randint(0, 2)
    kinds = [False, True] + [rng.random() < 0.5 for _ in range(extra)]
    rng.shuffle(kinds)
    for with_lift in kinds:
        g = sc.glute(with_lift)
        if g is None:
            break
        placed = True
        sc.wait(max(4.0, (g.end_s - g.start_s) * rng.uniform(1.0, 2.0)))
    return placed


def posture_set(sc) -> bool:
    rng, placed = sc.rng, False
    n = _reps(sc, 2, 3)
    lasting = rng.randrange(n)          # one of them for good, the others for a while
    for k in range(n):
        permanent = k == lasting if not sc.brief else rng.random() < 0.35
        if sc.posture(rng.choice(("side", "forward", "back")), permanent) is None:
            break
        placed = True
        _rest(sc, 4.0, 12.0)
    return placed


def stand_block(sc) -> bool:
    if sc.stand_and_sit() is None:
        return False
    _rest(sc, 4.0, 8.0)
    return True


def few_lifts(sc) -> bool:
    rng, placed = sc.rng, False
    for _ in range(rng.randint(1, 3)):
        hold_s = rng.uniform(3.0, 10.0)
        if sc.lift("hold", rng.uniform(0.3, 1.0), hold_s) is None:
            break
        placed = True
        sc.wait(hold_s * rng.uniform(1.0, 2.0) + 1.0)
    return placed


def few_pushes(sc) -> bool:
    return push_set(sc, 1, 2)


def tense_lifts(sc) -> bool:
    """An over-tense floor lifting: modest levels, slow and partial release."""
    rng, placed = sc.rng, False
    for _ in range(rng.randint(2, 4)):
        hold_s = rng.uniform(3.0, 8.0)
        if sc.lift("hold", rng.uniform(0.3, 0.8), hold_s) is None:
            break
        placed = True
        sc.wait(hold_s * rng.uniform(1.5, 2.5))
    return placed


def let_go_block(sc) -> bool:
    """Cued to let go (ontspannen, long exhales): partly and slowly."""
    placed = False
    for _ in range(sc.rng.randint(1, 2)):
        if not sc.let_go():
            break
        placed = True
        _rest(sc, 3.0, 8.0)
    return placed


def run_blocks(sc, blocks, once=(), early=()):
    """Run the blocks in a shuffled order, again and again, until none fits any more; blocks in
    `once` run at most once, blocks in `early` come first in the first round (give or take one)."""
    done_once = set()
    first = True
    while True:
        order = [b for b in blocks if b not in done_once]
        sc.rng.shuffle(order)
        if first:
            early_first = [b for b in order if b in early]
            order = early_first + [b for b in order if b not in early]
            if len(order) > len(early_first):      # one other block may come in between
                order.insert(sc.rng.randint(0, len(early_first)), order.pop(len(early_first)))
            first = False
        placed_any = False
        for block in order:
            if block in done_once:
                continue
            if block(sc):
                placed_any = True
                if block in once:
                    done_once.add(block)
                _rest(sc)
        if not placed_any:
            return


def lifts(sc):
    run_blocks(sc, [strength_set, submax_set, flick_set, endurance_hold, lift_exercise])


def pushes(sc):
    run_blocks(sc, [push_set, cough_set, few_lifts, push_after_release])


def breath_holds(sc):
    run_blocks(sc, [breath_hold_set])


def distractors(sc):
    run_blocks(sc, [glute_set, posture_set, cough_set, stand_block, few_lifts, few_pushes],
               once=(stand_block,), early=(stand_block, glute_set))


def overtense(sc):
    run_blocks(sc, [tense_lifts, let_go_block])


def mixed(sc):
    """Everything, in short sets: one or two of each, in a random order."""
    sc.brief = True
    blocks = [strength_set, sc.rng.choice((submax_set, lift_exercise)), flick_set, endurance_hold,
              breath_hold_set, sc.rng.choice((push_set, push_after_release)), cough_set, glute_set,
              posture_set, stand_block]
    if sc.tone is not None:
        blocks.append(let_go_block)
    run_blocks(sc, blocks, once=(stand_block, endurance_hold))


def quiet(sc):
    pass


# posture_mix: when a partner action begins, relative to a posture shift. "start": the lean's
# first movement; "arrive": the loads reach the new posture (start + the movement's move_s).
POSTURE_OFFSETS = {
    "start-2": ("start", -2.0),
    "start+0": ("start", 0.0),
    "arrive+0": ("arrive", 0.0),
    "arrive+0.3": ("arrive", 0.3),
    "arrive+1.5": ("arrive", 1.5),
    "arrive+3": ("arrive", 3.0),
    "arrive+6": ("arrive", 6.0),
}
POSTURE_PARTNERS = ("push", "hold", "flick", "cough")
ALONE = "alone"                   # the offset of a posture shift with nothing near it
ALONE_PER_DECK = 4
SETUP_QUIET_S = (8.0, 12.0)       # before every set-up: nothing happens then
LEAD_S = 4.0                      # the lean after the quiet: room for a start-2 partner's inhale
SETUP_SPAN_S = 24.0               # the longest set-up: the lead, a 2 s move, +6 s, an 11.3 s lift
LASTING_SHARE = 1.0 / 3.0         # of shifts away; each lasting one is undone by the next set-up
REVERSE_WAY = {"side": "side", "forward": "back", "back": "forward"}


def _partner(sc, partner, start_s) -> list:
    """The action near a posture shift, begun at start_s: a push (0.1-2 kPa, 1-5 s), a held lift
    (30-100 %, 3-8 s), a flick or a cough (a bout of 1-2)."""
    rng = sc.rng
    if partner == "push":
        dur_s = rng.uniform(1.0, 5.0)
        valsalva = dur_s >= 1.5 and rng.random() < 0.5
        return [sc.push(rng.uniform(0.1, 2.0), dur_s, valsalva=valsalva, start_s=start_s)]
    if partner == "hold":
        return [sc.lift("hold", rng.uniform(0.3, 1.0), rng.uniform(3.0, 8.0), start_s=start_s)]
    if partner == "flick":
        return [sc.lift("flick", rng.uniform(0.6, 1.0), 0.0, start_s=start_s)]
    return sc.cough_bout(rng.choice((1, 1, 2)), start_s=start_s)


def posture_setup(sc, partner, offset, setup, lasting):
    """One posture shift with `partner` begun at `offset` (a POSTURE_OFFSETS key, or ALONE): any
    way, temporary or lasting, or, when a lasting shift is in force, back from it (so shifts never
    pile up). Returns the shift."""
    rng = sc.rng
    lean_s = sc.t + LEAD_S
    way = rng.choice(("side", "forward", "back"))
    permanent = rng.random() < LASTING_SHARE
    if lasting is not None:
        way, permanent = REVERSE_WAY[lasting.details["way"]], True
    shift = sc.posture(way, permanent, start_s=lean_s, undo=lasting)
    tags = {"posture_offset": offset, "setup": setup}
    shift.details.update(tags, posture_with=partner, move_s=round(shift.move_s, 3))
    if offset == ALONE:
        return shift
    anchor, offset_s = POSTURE_OFFSETS[offset]
    anchor_s = lean_s + (shift.move_s if anchor == "arrive" else 0.0)
    for action in _partner(sc, partner, anchor_s + offset_s):
        action.details.update(tags, posture_offset_s=round(action.start_s - anchor_s, 3))
    return shift


def posture_mix(sc):
    """Posture shifts with a push, a held lift, a flick, a cough or nothing begun at a set offset
    from each (POSTURE_OFFSETS), every combination dealt in a shuffled order, again and again;
    8-12 s of quiet before every set-up. A lasting shift away stays until the next set-up goes
    back."""
    rng = sc.rng
    deck = [(p, o) for p in POSTURE_PARTNERS for o in POSTURE_OFFSETS]
    deck += [("none", ALONE)] * ALONE_PER_DECK
    lasting, setup = None, 0
    while True:
        if setup % len(deck) == 0:
            rng.shuffle(deck)
        quiet_s = rng.uniform(*SETUP_QUIET_S)
        if not sc.fits(quiet_s + SETUP_SPAN_S):
            return
        sc.wait(quiet_s)
        partner, offset = deck[setup % len(deck)]
        shift = posture_setup(sc, partner, offset, setup, lasting)
        lasting = shift if shift.permanent and lasting is None else None
        setup += 1


SCRIPTS = {
    "lifts": lifts,
    "pushes": pushes,
    "breath_holds": breath_holds,
    "distractors": distractors,
    "overtense": overtense,
    "mixed": mixed,
    "quiet": quiet,
    "posture_mix": posture_mix,
}
SCENARIOS = tuple(SCRIPTS)

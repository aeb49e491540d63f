"""A part of the roster sees the forbidden successions across its edges.

The part model states successions only on the pairs of days that touch the part's
window (the plan's own pairs elsewhere already keep the rule). One employee, fourteen
days, its runs short enough that the model is cropped to a margin around a one-day
window (day 7). L cannot be followed by E. The plan fixes one shift next to the window;
cover on day 7 wants one person on a shift type, 100 per person short. By hand: where
the fixed neighbour forbids that type on day 7 nothing can be gained (the person stays
short, 100 either way); where it allows it the part fills the cell and gains 100.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roster.curtois import lns
from roster.curtois.evaluate import evaluate
from roster.curtois.model import Part
from roster.curtois.parser import read_instance

WINDOW_DAY = 7

TWO_WEEKS = """\
SECTION_HORIZON
14

SECTION_SHIFTS
E,480,
L,600,E

SECTION_STAFF
A,E=14|L=14,10000,0,3,1,1,2

SECTION_DAYS_OFF

SECTION_SHIFT_ON_REQUESTS

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
7,{wanted},1,100,1
"""


@pytest.mark.parametrize(
    ("fixed_day", "fixed_shift", "wanted", "gain"),
    [
        (6, "L", "E", 0),  # L on day 6 forbids E on day 7
        (6, "E", "E", 100),  # E after E is allowed
        (8, "E", "L", 0),  # L on day 7 would be followed by E on day 8
        (8, "L", "L", 100),  # L after L is allowed
    ],
)
def test_a_one_day_part_keeps_the_successions_with_its_fixed_neighbours(
    tmp_path: Path, fixed_day: int, fixed_shift: str, wanted: str, gain: int
):
    path = tmp_path / "TwoWeeks.txt"
    path.write_text(TWO_WEEKS.format(wanted=wanted), encoding="utf-8")
    instance = read_instance(path)
    roster = [("A", fixed_day, fixed_shift)]
    assert evaluate(instance, roster).objective == 100
    plan = lns.plan_of(instance, roster)
    part = Part((0,), WINDOW_DAY, WINDOW_DAY)
    result = lns.solve_part(instance, plan, part, "test", seconds=10, seed=0)
    assert result.closed
    assert result.gain == gain
    lns._apply(plan, result)
    after = evaluate(instance, lns.roster_of(instance, plan))
    assert after.violations == []
    assert after.objective == 100 - gain

"""The Curtois-Qu constructive roster: each employee takes the cells the others cannot.

One day, two cells short (X and Y, one person each). A can work X or Y and asks for Y
(weight 1); B can work Y, Z or W (no cover on Z and W). A has fewer shift types open,
so A is scheduled first. Pricing every missing person alike, A takes Y (its request)
and nobody is left for X: 100 short. Both are covered only if A leaves Y to the one
other employee who could fill it: objective 1, A's request, by hand.
"""

from __future__ import annotations

from pathlib import Path

from roster.curtois.construct import construct
from roster.curtois.evaluate import evaluate
from roster.curtois.parser import read_instance

ONE_DAY = """\
SECTION_HORIZON
1

SECTION_SHIFTS
X,480,
Y,480,
Z,480,
W,480,

SECTION_STAFF
A,Z=0|W=0,480,0,1,1,1,0
B,X=0,480,0,1,1,1,0

SECTION_DAYS_OFF

SECTION_SHIFT_ON_REQUESTS
A,0,Y,1

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
0,X,1,100,1
0,Y,1,100,1
"""


def test_the_first_employee_leaves_a_cell_to_the_only_other_who_can_fill_it(tmp_path: Path):
    path = tmp_path / "OneDay.txt"
    path.write_text(ONE_DAY, encoding="utf-8")
    instance = read_instance(path)
    roster = construct(instance, budget_seconds=5)
    assert roster == [("A", 0, "X"), ("B", 0, "Y")]
    evaluation = evaluate(instance, roster)
    assert evaluation.violations == []
    assert evaluation.objective == 1


def _thirteen_weeks_of_one_employee() -> str:
    """13 weeks (over the horizon the whole employee model takes at once, so the days
    come first, then the types). E works between 1,920 and 2,160 minutes, short S (480)
    or long L (720) shifts; only L is wanted, one person on days 0, 2 and 4."""
    cover = "\n".join(f"{day},L,1,100,1" for day in (0, 2, 4))
    return (
        "SECTION_HORIZON\n91\n\n"
        "SECTION_SHIFTS\nS,480,\nL,720,\n\n"
        "SECTION_STAFF\nE,S=91|L=91,2160,1920,91,1,1,13\n\n"
        "SECTION_DAYS_OFF\n\n"
        "SECTION_SHIFT_ON_REQUESTS\n\n"
        "SECTION_SHIFT_OFF_REQUESTS\n\n"
        f"SECTION_COVER\n{cover}\n"
    )


def test_a_long_horizon_trades_a_day_for_long_shifts_where_only_those_are_wanted(
    tmp_path: Path,
):
    """The days step takes as many days as short shifts fill (4 x 480 = 1,920), and on 4
    days the minutes allow one L at most: two L cells short, 200. Three L and no other
    day make 2,160 minutes and cover all: objective 0, by hand."""
    path = tmp_path / "ThirteenWeeks.txt"
    path.write_text(_thirteen_weeks_of_one_employee(), encoding="utf-8")
    instance = read_instance(path)
    roster = construct(instance, budget_seconds=5)
    evaluation = evaluate(instance, roster)
    assert evaluation.violations == []
    assert roster == [("E", 0, "L"), ("E", 2, "L"), ("E", 4, "L")]
    assert evaluation.objective == 0

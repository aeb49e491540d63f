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
from roster.curtois.evaluate import Evaluation, evaluate
from roster.curtois.model import Assignment
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
    roster, evaluation = _constructed(tmp_path / "OneDay.txt", ONE_DAY)
    assert roster == [("A", 0, "X"), ("B", 0, "Y")]
    assert evaluation.violations == []
    assert evaluation.objective == 1


def _constructed(path: Path, text: str) -> tuple[list[Assignment], Evaluation]:
    """The constructive roster of the instance `text` (written to `path`), evaluated."""
    path.write_text(text, encoding="utf-8")
    instance = read_instance(path)
    roster = construct(instance, budget_seconds=5)
    return roster, evaluate(instance, roster)


HALF_YEAR = """\
SECTION_HORIZON
182

SECTION_SHIFTS
X,480,
Y,480,
Z,480,
W,480,

SECTION_STAFF
A,X=182|Y=182|Z=0|W=0,480,480,182,1,1,26
B,X=0|Y=182|Z=182|W=182,480,480,182,1,1,26

SECTION_DAYS_OFF

SECTION_SHIFT_ON_REQUESTS
A,0,Y,1
B,0,Y,2

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
0,X,1,100,1
0,Y,1,100,1
"""


def test_a_half_year_is_re_solved_against_the_others_too(tmp_path: Path):
    """Each works exactly one shift. A goes first (fewer types) and takes Y on day 0:
    B spreads its one shift over 182 days and three types, so it is expected to bring
    nearly nobody to Y, and Y's request tips the tie with X. B, whose request for Y
    weighs 2, then takes Y as well (over by one, 1, against 2 for a free Z or W). X is
    left short: 101. Re-solved against B, A moves to X: objective 1, A's request, by
    hand. (Over twelve weeks each employee is solved in two steps, days then types.)"""
    roster, evaluation = _constructed(tmp_path / "HalfYear.txt", HALF_YEAR)
    assert evaluation.violations == []
    assert roster == [("A", 0, "X"), ("B", 0, "Y")]
    assert evaluation.objective == 1


ONE_WEEK = """\
SECTION_HORIZON
7

SECTION_SHIFTS
X,480,
Y,480,

SECTION_STAFF
A,X=7|Y=0,480,480,1,1,1,1
B,X=7|Y=7,480,0,1,1,1,0

SECTION_DAYS_OFF

SECTION_SHIFT_ON_REQUESTS
A,4,X,1

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
4,X,1,100,1
5,X,1,100,1
"""


def test_the_first_employee_takes_the_weekend_the_others_may_not_work(tmp_path: Path):
    """X is one short on Friday (day 4) and on Saturday (day 5); each employee has one
    shift. A goes first (fewer types) and asks for Friday. B may work no weekend, so
    Saturday is A's or nobody's, and A takes it: objective 1, A's request, by hand.
    Expecting B's one shift spread over all seven days, Friday and Saturday look alike
    and A's request sends A to Friday, leaving Saturday short (100); re-solving A
    against B does not help, since A holds Friday's cover either way."""
    roster, evaluation = _constructed(tmp_path / "OneWeek.txt", ONE_WEEK)
    assert evaluation.violations == []
    assert roster == [("A", 5, "X"), ("B", 4, "X")]
    assert evaluation.objective == 1

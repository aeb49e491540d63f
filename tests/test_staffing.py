"""Required staff (contract "Required staff") and the Erlang C helpers behind it.

Expected values come from the published oracle table, from closed forms of Erlang C for one
and two agents, and from Erlang B written as a ratio of Poisson probabilities (scipy), a
formula independent of the recursion the code uses.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import poisson

from roster.model import OpenHours, Queue, Rules, Scenario, Staffing
from roster.staffing import (
    RECURSION_UP_TO,
    agents_needed,
    arrivals,
    erlang_b,
    erlang_c,
    predicted_service_level,
    required_agents,
    service_level,
)

ORACLES = Path(__file__).parents[2] / "shared/data/erlang_oracles.csv"
WEEK_START = date(2026, 11, 30)  # a Monday; Europe/Paris is at +01:00 all that week


def make_scenario(
    queues: list[Queue],
    forecast: dict[tuple[str, str], np.ndarray],
    *,
    interval_minutes: int = 30,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    escalation_rate: float = 0.0,
    planning_timezone: str = "UTC",
) -> Scenario:
    return Scenario(
        name="test",
        week_start=WEEK_START,
        planning_timezone=planning_timezone,
        interval_minutes=interval_minutes,
        staffing=Staffing(shrinkage, max_occupancy, escalation_rate),
        rules=Rules((8,), 30, 11, 6),
        queues=tuple(queues),
        agents=(),
        forecast=forecast,
    )


def one_interval_forecast(tickets: float, interval_minutes: int) -> np.ndarray:
    """A week with `tickets` arriving in the first interval only."""
    series = np.zeros(7 * 24 * 60 // interval_minutes)
    series[0] = tickets
    return series


def oracle_rows() -> list[dict[str, str]]:
    if not ORACLES.exists():
        pytest.skip(f"oracle table {ORACLES} is absent; cannot check published Erlang values")
    table = pd.read_csv(ORACLES, dtype=str, keep_default_na=False)
    return table.to_dict("records")


def published_tolerance(text: str) -> float:
    """Half a unit in the last published decimal place (never looser than 5e-4)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return min(5e-4, 0.5 * 10.0**-decimals)


def oracle_load(row: dict[str, str]) -> float:
    return float(row["tickets"]) * float(row["aht_seconds"]) / float(row["interval_seconds"])


def oracle_queue(row: dict[str, str]) -> Queue:
    return Queue(
        "en",
        "L1",
        aht_seconds=float(row["aht_seconds"]),
        service_level=float(row["service_level"]),
        answer_seconds=float(row["answer_seconds"]),
    )


# --- the published oracle table ------------------------------------------------------------


def test_agents_needed_matches_every_published_oracle() -> None:
    for row in oracle_rows():
        needed = agents_needed(
            oracle_load(row),
            float(row["service_level"]),
            float(row["answer_seconds"]),
            float(row["aht_seconds"]),
            float(row["max_occupancy"]),
        )
        assert needed == int(row["agents"]), row["case"]


def test_required_on_shift_matches_every_published_oracle() -> None:
    for row in oracle_rows():
        interval_minutes = int(row["interval_seconds"]) // 60
        scenario = make_scenario(
            [oracle_queue(row)],
            {("en", "L1"): one_interval_forecast(float(row["tickets"]), interval_minutes)},
            interval_minutes=interval_minutes,
            shrinkage=float(row["shrinkage"]),
            max_occupancy=float(row["max_occupancy"]),
        )
        required = required_agents(scenario)[("en", "L1")]
        assert round(required[0], 2) == pytest.approx(float(row["required_on_shift"])), row["case"]


def test_service_level_at_published_agents_matches_to_published_decimals() -> None:
    checked = 0
    for row in oracle_rows():
        if not row["sl_at_agents"]:
            continue
        level = service_level(
            int(row["agents"]),
            oracle_load(row),
            float(row["answer_seconds"]),
            float(row["aht_seconds"]),
        )
        published = row["sl_at_agents"]
        assert level == pytest.approx(float(published), abs=published_tolerance(published)), row[
            "case"
        ]
        checked += 1
    assert checked > 0


def test_probability_of_waiting_matches_published_where_given() -> None:
    checked = 0
    for row in oracle_rows():
        if not row["prob_wait_at_agents"]:
            continue
        published = row["prob_wait_at_agents"]
        wait = erlang_c(int(row["agents"]), oracle_load(row))
        assert wait == pytest.approx(float(published), abs=published_tolerance(published)), row[
            "case"
        ]
        checked += 1
    assert checked > 0


# --- Erlang C against independent closed forms ---------------------------------------------


@pytest.mark.parametrize("load", [0.05, 0.3, 0.5, 0.9])
def test_erlang_c_with_one_agent_equals_the_load(load: float) -> None:
    # M/M/1: an arrival waits exactly when the server is busy, which it is a share A of time.
    assert erlang_c(1, load) == pytest.approx(load, rel=1e-12)


@pytest.mark.parametrize("load", [0.4, 1.0, 1.7])
def test_erlang_c_with_two_agents_equals_closed_form(load: float) -> None:
    assert erlang_c(2, load) == pytest.approx(load**2 / (2 + load), rel=1e-12)


def test_erlang_c_is_one_when_agents_do_not_exceed_load() -> None:
    assert erlang_c(10, 10.0) == 1.0
    assert erlang_c(3, 7.5) == 1.0
    assert service_level(10, 10.0, 20, 180) == 0.0


def test_large_load_neither_overflows_nor_drifts() -> None:
    load, agents = 500.0, 520
    blocking = poisson.pmf(agents, load) / poisson.cdf(agents, load)
    expected = agents * blocking / (agents - load * (1 - blocking))
    assert erlang_c(agents, load) == pytest.approx(expected, rel=1e-9)


def test_large_load_needs_the_first_agent_count_that_meets_target() -> None:
    needed = agents_needed(500.0, 0.80, 20, 180, 1.0)
    assert 500 < needed < 560
    assert service_level(needed, 500.0, 20, 180) >= 0.80
    assert service_level(needed - 1, 500.0, 20, 180) < 0.80


def test_occupancy_cap_alone_can_set_the_count() -> None:
    # For A = 0.1 one agent answers 1 - 0.1 e^(-0.9 x 20/180) = 91 % in time, but
    # 0.1 / N <= 0.04 needs N = 3.
    assert agents_needed(0.1, 0.5, 20, 180, 1.0) == 1
    assert agents_needed(0.1, 0.5, 20, 180, 0.04) == 3


def test_occupancy_exactly_at_cap_is_allowed() -> None:
    # 10.5 / 15 = 0.7 exactly on paper, but 10.5 / 0.7 is 15.000000000000002 in floats;
    # that must not push the count to 16 agents.
    assert agents_needed(10.5, 0.0, 20, 180, 0.7) == 15


# --- required per interval -----------------------------------------------------------------


def en_l1(min_agents: int = 0, open_hours: OpenHours | None = None) -> Queue:
    return Queue(
        "en",
        "L1",
        aht_seconds=180,
        service_level=0.80,
        answer_seconds=20,
        min_agents=min_agents,
        open_hours=open_hours or OpenHours("24/7"),
    )


def test_zero_arrivals_need_no_agents_but_min_agents_still_applies() -> None:
    assert agents_needed(0.0, 0.80, 20, 180, 0.85) == 0
    forecast = {("en", "L1"): np.zeros(336)}
    bare = required_agents(make_scenario([en_l1()], forecast, shrinkage=0.3))
    floored = required_agents(make_scenario([en_l1(min_agents=2)], forecast, shrinkage=0.3))
    assert np.all(bare[("en", "L1")] == 0.0)
    assert np.all(floored[("en", "L1")] == 2.0)


def test_queue_with_no_forecast_rows_has_zero_arrivals() -> None:
    scenario = make_scenario([en_l1(min_agents=1)], {})
    assert np.all(arrivals(scenario)[("en", "L1")] == 0.0)
    assert np.all(required_agents(scenario)[("en", "L1")] == 1.0)


def test_closed_queue_requires_nobody_despite_arrivals_and_min_agents() -> None:
    weekdays_7_to_21 = OpenHours(
        "Mon-Fri 07:00-21:00 Europe/Paris",
        always=False,
        weekdays=frozenset({1, 2, 3, 4, 5}),
        start_minute=7 * 60,
        end_minute=21 * 60,
        timezone="Europe/Paris",
    )
    forecast = {("en", "L1"): np.full(336, 100.0)}  # A = 10 everywhere: N = 14
    scenario = make_scenario(
        [en_l1(min_agents=3, open_hours=weekdays_7_to_21)],
        forecast,
        max_occupancy=0.85,
        planning_timezone="Europe/Paris",
    )
    required = required_agents(scenario)[("en", "L1")]
    # Grid starts Mon 00:00 Paris = Sun 23:00 UTC; interval k starts at Paris k/2 hours.
    assert required[0] == 0.0  # Mon 00:00 Paris, closed
    assert required[13] == 0.0  # Mon 06:30 Paris, closed
    assert required[14] == 14.0  # Mon 07:00 Paris, open
    assert required[41] == 14.0  # Mon 20:30 Paris, open
    assert required[42] == 0.0  # Mon 21:00 Paris, closed
    assert required[5 * 48 + 20] == 0.0  # Sat 10:00 Paris, closed


def test_shrinkage_makes_required_fractional() -> None:
    # A = 1 Erlang (10 tickets x 180 s / 1800 s), 80 % in 20 s. By hand: C(2, 1) = 1/3, so
    # SL(2) = 1 - e^(-1/9) / 3 = 0.70; C(3, 1) = 1/11, so SL(3) = 1 - e^(-2/9) / 11 = 0.93.
    assert agents_needed(1.0, 0.80, 20, 180, 0.85) == 3
    forecast = {("en", "L1"): one_interval_forecast(10, 30)}
    scenario = make_scenario([en_l1(min_agents=1)], forecast, shrinkage=0.3, max_occupancy=0.85)
    required = required_agents(scenario)[("en", "L1")]
    assert required[0] == pytest.approx(3 / 0.7)
    assert round(required[0], 4) == 4.2857
    assert required[1] == 1.0  # no arrivals: the min_agents floor, not divided by shrinkage


def test_l2_is_derived_from_escalation_rate_without_l2_rows() -> None:
    l2 = Queue("en", "L2", aht_seconds=600, service_level=0.8, answer_seconds=60)
    l1_rows = np.zeros(336)
    l1_rows[[0, 5]] = [50.0, 10.0]
    scenario = make_scenario([en_l1(), l2], {("en", "L1"): l1_rows}, escalation_rate=0.2)
    lambdas = arrivals(scenario)
    assert lambdas[("en", "L2")][0] == pytest.approx(10.0)
    assert lambdas[("en", "L2")][5] == pytest.approx(2.0)
    assert lambdas[("en", "L2")].sum() == pytest.approx(12.0)
    assert lambdas[("en", "L1")].sum() == pytest.approx(60.0)


def test_l2_rows_in_forecast_win_over_escalation_rate() -> None:
    l2 = Queue("en", "L2", aht_seconds=600, service_level=0.8, answer_seconds=60)
    fr_l2 = Queue("fr", "L2", aht_seconds=600, service_level=0.8, answer_seconds=60)
    en_rows, en_l2_rows, fr_rows = np.zeros(336), np.zeros(336), np.zeros(336)
    en_rows[0], en_l2_rows[3], fr_rows[0] = 50.0, 7.0, 20.0
    forecast = {("en", "L1"): en_rows, ("en", "L2"): en_l2_rows, ("fr", "L1"): fr_rows}
    scenario = make_scenario([en_l1(), l2, fr_l2], forecast, escalation_rate=0.2)
    lambdas = arrivals(scenario)
    assert lambdas[("en", "L2")][0] == 0.0
    assert lambdas[("en", "L2")][3] == 7.0
    # French gives no L2 rows, so its L2 is still derived from its own L1.
    assert lambdas[("fr", "L2")][0] == pytest.approx(4.0)


def test_full_week_of_15_minute_intervals_and_20_queues() -> None:
    n_intervals = 7 * 24 * 4
    rng = np.random.default_rng(7)
    languages = [f"l{i}" for i in range(10)]
    queues, forecast = [], {}
    for language in languages:
        queues.append(Queue(language, "L1", aht_seconds=180, service_level=0.8, answer_seconds=20))
        queues.append(Queue(language, "L2", aht_seconds=600, service_level=0.8, answer_seconds=60))
        forecast[(language, "L1")] = rng.integers(0, 120, n_intervals).astype(float)
    # Pin a few intervals to hand-known loads: 50 x 180 s / 900 s = 10 Erlangs -> 14 agents.
    forecast[("l0", "L1")][[0, 300]] = 50.0
    forecast[("l3", "L1")][100] = 0.0
    scenario = make_scenario(
        queues,
        forecast,
        interval_minutes=15,
        shrinkage=0.3,
        max_occupancy=0.85,
        escalation_rate=0.2,
    )
    required = required_agents(scenario)
    assert set(required) == {q.key for q in queues}
    assert all(series.shape == (n_intervals,) for series in required.values())
    assert required[("l0", "L1")][0] == pytest.approx(20.0)  # 14 / 0.7
    assert required[("l0", "L1")][300] == pytest.approx(20.0)
    assert required[("l3", "L1")][100] == 0.0
    # L2 there: 0.2 x 50 = 10 tickets x 600 s / 900 s = 6.67 Erlangs.
    assert arrivals(scenario)[("l0", "L2")][0] == pytest.approx(10.0)


# --- predicted service level ---------------------------------------------------------------


def test_predicted_service_level_weights_intervals_by_tickets() -> None:
    # Interval 0: A = 10, floor(20 x 0.7) = 14 effective -> published SL 0.88835.
    # Interval 1: no tickets, ignored. Interval 2: floor(10 x 0.7) = 7 <= A = 10 -> 0.
    level = predicted_service_level(
        en_l1(),
        np.array([100.0, 0.0, 100.0]),
        np.array([20, 5, 10]),
        interval_minutes=30,
        shrinkage=0.3,
    )
    assert level == pytest.approx(0.88835 / 2, abs=5e-6)


def test_predicted_service_level_floors_effective_agents_without_float_loss() -> None:
    # 10 x (1 - 0.9) is 1 agent; A = 5 x 180 / 1800 = 0.5, so SL = 1 - 0.5 e^(-0.5 x 20/180).
    level = predicted_service_level(
        en_l1(), np.array([5.0]), np.array([10]), interval_minutes=30, shrinkage=0.9
    )
    assert level == pytest.approx(1 - 0.5 * math.exp(-0.5 * 20 / 180), rel=1e-12)


def test_predicted_service_level_is_none_without_arrivals() -> None:
    level = predicted_service_level(
        en_l1(), np.zeros(4), np.array([1, 2, 3, 4]), interval_minutes=30, shrinkage=0.3
    )
    assert level is None


@pytest.mark.parametrize(("agents", "load"), [(1_001, 999.99), (1_500, 1_400.7), (3_000, 2_500.0)])
def test_erlang_b_past_the_recursion_matches_the_recursion_from_one_server(agents, load):
    # B(n) = A B(n-1) / (n + A B(n-1)) from B(0) = 1, written out here: the textbook
    # definition the closed form used beyond RECURSION_UP_TO agents must agree with.
    blocking = 1.0
    for servers in range(1, agents + 1):
        blocking = load * blocking / (servers + load * blocking)
    assert agents > RECURSION_UP_TO
    assert erlang_b(agents, load) == pytest.approx(blocking, rel=1e-10)

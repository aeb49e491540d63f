"""The coverage chart, drawn on the server as inline SVG (no script, no external assets).

For one queue and every interval of the week: scheduled agents as a filled step area,
required agents as a step line, and every interval short of the requirement in red, with
a pale band behind each run of short intervals (so a shortfall shows even where it is too
thin to see, and not by colour alone: the bands carry a hatched strip under the axis).
Days are the planning zone's local dates. Colours come from the page's stylesheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from markupsafe import Markup, escape

from roster.kpi import SHORTAGE_EPSILON
from roster.timegrid import TimeGrid, local_dates_touched, local_datetime, local_midnight_utc

WIDTH, HEIGHT = 1200, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 46
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class ShortRun:
    """Consecutive short intervals [first, last] of one queue."""

    first: int
    last: int
    agent_hours: float


def short_runs(
    required: np.ndarray, scheduled: np.ndarray, interval_minutes: int
) -> list[ShortRun]:
    """Runs of intervals whose shortage exceeds the KPI summary's rounding tolerance."""
    shortage = np.maximum(0.0, required - scheduled)
    short = shortage > SHORTAGE_EPSILON
    runs: list[ShortRun] = []
    start = None
    for i, is_short in enumerate([*short.tolist(), False]):
        if is_short and start is None:
            start = i
        elif not is_short and start is not None:
            hours = float(shortage[start:i].sum()) * interval_minutes / 60
            runs.append(ShortRun(start, i - 1, hours))
            start = None
    return runs


def coverage_svg(
    *,
    chart_id: str,
    title: str,
    required: np.ndarray,
    scheduled: np.ndarray,
    grid: TimeGrid,
) -> Markup:
    """An accessible SVG chart of required vs scheduled agents per interval."""
    scale = _Scale(len(required), _y_max(required, scheduled))
    runs = short_runs(required, scheduled, grid.interval_minutes)
    parts = [
        f'<svg class="coverage-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(runs, grid))}</desc>',
        _day_bands(grid, scale),
        _y_axis(scale),
        *(_short_band(run, grid, scale) for run in runs),
        _step_area(scheduled, scale, "scheduled"),
        _shortage_path(required, scheduled, scale),
        _step_line(required, scale, "required"),
        f'<line class="axis" x1="{LEFT}" y1="{TOP + PLOT_H}" x2="{LEFT + PLOT_W}" '
        f'y2="{TOP + PLOT_H}"/>',
        "</svg>",
    ]
    return Markup("".join(parts))


@dataclass(frozen=True)
class _Scale:
    n: int
    y_max: float

    def x(self, index: float) -> float:
        return LEFT + PLOT_W * index / self.n

    def y(self, agents: float) -> float:
        return TOP + PLOT_H - PLOT_H * agents / self.y_max


def _y_max(required: np.ndarray, scheduled: np.ndarray) -> float:
    top = max(float(required.max(initial=0)), float(scheduled.max(initial=0)), 1.0)
    step = _tick_step(top)
    return step * math.ceil(top / step)


def _tick_step(top: float) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if top / step <= 6:
            return step
    return 1000


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _y_axis(scale: _Scale) -> str:
    step = _tick_step(scale.y_max)
    ticks = []
    for value in range(0, int(scale.y_max) + 1, step):
        y = _f(scale.y(value))
        ticks.append(
            f'<line class="grid" x1="{LEFT}" y1="{y}" x2="{LEFT + PLOT_W}" y2="{y}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y}" dy="0.35em" text-anchor="end">{value}'
            "</text>"
        )
    label = (
        f'<text class="axis-label" transform="translate(12 {TOP + PLOT_H / 2}) rotate(-90)" '
        'text-anchor="middle">agents</text>'
    )
    return "".join(ticks) + label


def _index_of(grid: TimeGrid, instant_minutes: int) -> float:
    return instant_minutes / grid.interval_minutes


def _day_bands(grid: TimeGrid, scale: _Scale) -> str:
    """Alternate shading per local date of the planning zone, with the date below."""
    tz = grid.planning_timezone
    parts = []
    for k, day in enumerate(local_dates_touched(grid, tz)):
        begin = max(grid.start, local_midnight_utc(day, tz))
        end = min(grid.end, local_midnight_utc(day + timedelta(days=1), tz))
        x0 = scale.x(_index_of(grid, grid.minutes_from_start(begin)))
        x1 = scale.x(_index_of(grid, grid.minutes_from_start(end)))
        if k % 2:
            parts.append(
                f'<rect class="day-band" x="{_f(x0)}" y="{TOP}" width="{_f(x1 - x0)}" '
                f'height="{PLOT_H}"/>'
            )
        parts.append(
            f'<text class="day-label" x="{_f((x0 + x1) / 2)}" y="{TOP + PLOT_H + 30}" '
            f'text-anchor="middle">{day:%a} {day.day}</text>'
        )
    return "".join(parts)


def _short_band(run: ShortRun, grid: TimeGrid, scale: _Scale) -> str:
    x0, x1 = scale.x(run.first), scale.x(run.last + 1)
    start = local_datetime(grid.interval_start(run.first), grid.planning_timezone)
    end = local_datetime(grid.interval_start(run.last + 1), grid.planning_timezone)
    label = (
        f"short {start:%a %H:%M} – {end:%a %H:%M}: "
        f"{run.agent_hours:.1f} agent-hours below the requirement"
    )
    width = _f(max(x1 - x0, 1.5))
    return (
        f'<g class="short-run"><title>{escape(label)}</title>'
        f'<rect class="short-band" x="{_f(x0)}" y="{TOP}" width="{width}" height="{PLOT_H}"/>'
        f'<rect class="short-mark" x="{_f(x0)}" y="{TOP + PLOT_H + 3}" width="{width}" '
        'height="8"/></g>'
    )


def _steps(values: np.ndarray, scale: _Scale) -> str:
    """Path commands tracing a step function from the first interval to the last."""
    commands = [f"M{_f(scale.x(0))} {_f(scale.y(values[0]))}"]
    for i, value in enumerate(values.tolist()):
        if i:
            commands.append(f"V{_f(scale.y(value))}")
        commands.append(f"H{_f(scale.x(i + 1))}")
    return "".join(commands)


def _step_line(values: np.ndarray, scale: _Scale, css_class: str) -> str:
    if not len(values):
        return ""
    return f'<path class="{css_class}" d="{_steps(values, scale)}"/>'


def _step_area(values: np.ndarray, scale: _Scale, css_class: str) -> str:
    if not len(values):
        return ""
    base = _f(scale.y(0))
    d = f"{_steps(values, scale)}V{base}H{_f(scale.x(0))}Z"
    return f'<path class="{css_class}" d="{d}"/>'


def _shortage_path(required: np.ndarray, scheduled: np.ndarray, scale: _Scale) -> str:
    """One rectangle per short interval, from the scheduled level up to the required one."""
    rects = []
    for i in np.flatnonzero(required - scheduled > SHORTAGE_EPSILON).tolist():
        x0, x1 = scale.x(i), scale.x(i + 1)
        top, bottom = scale.y(required[i]), scale.y(scheduled[i])
        rects.append(f"M{_f(x0)} {_f(top)}H{_f(x1)}V{_f(bottom)}H{_f(x0)}Z")
    return f'<path class="shortage" d="{"".join(rects)}"/>' if rects else ""


def _description(runs: list[ShortRun], grid: TimeGrid) -> str:
    if not runs:
        return "Scheduled agents meet the requirement in every interval of the week."
    hours = sum(run.agent_hours for run in runs)
    return (
        f"Short of the requirement in {len(runs)} period{'s' if len(runs) != 1 else ''}, "
        f"{hours:.1f} agent-hours in all; the table below lists each period and why. "
        f"Times in {grid.planning_timezone}."
    )

"""Geometry of the dashboard's charts, drawn as inline SVG by templates/_charts.html: no
script and no CDN, readable offline and on a phone (the SVG scales with its viewBox)."""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 640
COLUMN_HEIGHT = 200
LABEL_WIDTH = 200
ROW_HEIGHT = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float
    part: float = 0  # a share of the bar drawn in another colour (no-shows of the bookings)
    part_height: float = 0


def _nice_max(value):
    """A round number at or above value for the axis: 1, 2, 5 × 10^n."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def columns(points: Iterable[tuple[str, float]], parts: Iterable[float] | None = None) -> dict:
    """Vertical bars for (label, value) pairs in order, e.g. acceptances per day; parts, when
    given, are the share of each bar to draw apart (e.g. the no-shows among the bookings)."""
    points = list(points)
    parts = list(parts) if parts is not None else [0] * len(points)
    top = _nice_max(max((value for _label, value in points), default=0))
    slot = WIDTH / max(len(points), 1)
    bars = [
        Bar(
            label,
            value,
            index * slot + slot * 0.15,
            COLUMN_HEIGHT - value / top * COLUMN_HEIGHT,
            slot * 0.7,
            value / top * COLUMN_HEIGHT,
            part,
            part / top * COLUMN_HEIGHT,
        )
        for index, ((label, value), part) in enumerate(zip(points, parts, strict=True))
    ]
    return {
        "bars": bars,
        "top": top,
        "width": WIDTH,
        "height": COLUMN_HEIGHT,
        "every": max(1, len(points) // 8),
    }


def rows(points: Iterable[tuple[str, float]]) -> dict:
    """Horizontal bars for (label, value) pairs, e.g. the amount per school."""
    points = list(points)
    top = _nice_max(max((value for _label, value in points), default=0))
    span = WIDTH - LABEL_WIDTH - 120
    bars = [
        Bar(label, value, LABEL_WIDTH, index * ROW_HEIGHT + 4, value / top * span, ROW_HEIGHT - 8)
        for index, (label, value) in enumerate(points)
    ]
    return {
        "bars": bars,
        "top": top,
        "width": WIDTH,
        "height": max(len(points), 1) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
    }

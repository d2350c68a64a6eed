from datetime import date

import pytest

from contracts.admin import Interval
from shared.domain.calendar import AnchoredDate, add_interval

MONTH = Interval(unit="month", count=1)


@pytest.mark.parametrize(
    ("anchor", "interval", "steps", "expected"),
    [
        (date(2027, 1, 31), MONTH, 1, date(2027, 2, 28)),
        (date(2027, 1, 31), MONTH, 2, date(2027, 3, 31)),
        (date(2027, 1, 31), MONTH, 3, date(2027, 4, 30)),
        (date(2028, 1, 31), MONTH, 1, date(2028, 2, 29)),
        (date(2027, 1, 30), MONTH, 1, date(2027, 2, 28)),
        (date(2027, 1, 29), MONTH, 13, date(2028, 2, 29)),
        (date(2027, 12, 31), MONTH, 2, date(2028, 2, 29)),
        (date(2027, 11, 30), Interval(unit="month", count=3), 1, date(2028, 2, 29)),
        (date(2027, 1, 31), Interval(unit="month", count=12), 1, date(2028, 1, 31)),
        (date(2027, 1, 15), MONTH, 0, date(2027, 1, 15)),
        (date(2027, 3, 31), MONTH, -1, date(2027, 2, 28)),
        (date(2027, 1, 31), Interval(unit="day", count=1), 1, date(2027, 2, 1)),
        (date(2027, 2, 27), Interval(unit="day", count=3), 2, date(2027, 3, 5)),
        (date(2027, 12, 28), Interval(unit="week", count=1), 1, date(2028, 1, 4)),
        (date(2027, 1, 1), Interval(unit="week", count=4), 3, date(2027, 3, 26)),
    ],
)
def test_add_interval(anchor: date, interval: Interval, steps: int, expected: date) -> None:
    assert add_interval(anchor, interval, steps) == expected


def test_month_steps_from_a_clamped_date_return_to_the_anchor_day() -> None:
    shipped = AnchoredDate.first(date(2027, 1, 31))
    dates = []
    for _ in range(4):
        shipped = shipped.advance(MONTH)
        dates.append(shipped.on)
    assert dates == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31)]


def test_a_day_step_re_anchors_the_month_steps_after_it() -> None:
    shipped = AnchoredDate.first(date(2027, 1, 31)).advance(Interval(unit="day", count=10))
    assert shipped == AnchoredDate(date(2027, 2, 10), 10)
    assert shipped.advance(MONTH).on == date(2027, 3, 10)


def test_a_month_step_keeps_the_anchor_it_found() -> None:
    shipped = AnchoredDate.first(date(2027, 1, 31)).advance(MONTH)
    assert shipped == AnchoredDate(date(2027, 2, 28), 31)


@pytest.mark.parametrize(
    ("start", "interval", "limit", "expected"),
    [
        (date(2027, 1, 31), MONTH, date(2027, 1, 30), -1),
        (date(2027, 1, 31), MONTH, date(2027, 1, 31), 0),
        (date(2027, 1, 31), MONTH, date(2027, 2, 27), 0),
        (date(2027, 1, 31), MONTH, date(2027, 2, 28), 1),
        (date(2027, 1, 31), MONTH, date(2027, 3, 30), 1),
        (date(2027, 1, 31), MONTH, date(2027, 3, 31), 2),
        (date(2027, 1, 31), Interval(unit="month", count=2), date(2037, 1, 30), 59),
        (date(2027, 1, 1), Interval(unit="week", count=2), date(2027, 1, 28), 1),
        (date(2027, 1, 1), Interval(unit="week", count=2), date(2027, 1, 29), 2),
        (date(2027, 1, 1), Interval(unit="day", count=1), date(2037, 1, 1), 3653),
    ],
)
def test_steps_until(start: date, interval: Interval, limit: date, expected: int) -> None:
    assert AnchoredDate.first(start).steps_until(interval, limit) == expected

"""Stepping dates by program intervals (days, weeks, months) without drift.

The rule for a sequence of shipments, each one interval after the previous:

- A day or week step adds a plain number of days.
- A month step moves to the month `count` months after the previous shipment's month
  and ships on the *anchor day*, clamped to the month's length. So a sequence anchored
  on the 31st ships on 31 Jan, 28/29 Feb, 31 Mar, 30 Apr: the date is always computed
  from the anchor day, never from a previous clamped date, and never drifts.
- The anchor day is the day of month of the first shipment. A day or week step
  re-anchors: the date it reaches becomes the new anchor day (one month after 10 Feb
  is 10 Mar, whatever came before). Month steps keep the anchor they found.

`AnchoredDate` carries a date together with its anchor day, so that a sequence of
steps with different intervals (one per event) stays well defined.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.admin import Interval


def _days_per_step(interval: Interval) -> int:
    return interval.count * (7 if interval.unit == "week" else 1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _on_month(month_index: int, anchor_day: int) -> date:
    year, month0 = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(anchor_day, last_day))


@dataclass(frozen=True)
class AnchoredDate:
    """A shipment date and the day of month that month steps from it aim for."""

    on: date
    anchor_day: int

    @classmethod
    def first(cls, on: date) -> "AnchoredDate":
        """The first shipment of a sequence: anchored on its own day."""
        return cls(on, on.day)

    def advance(self, interval: Interval, steps: int = 1) -> "AnchoredDate":
        """The date `steps` intervals later (the same as `steps` single steps)."""
        if interval.unit == "month":
            moved = _on_month(_month_index(self.on) + steps * interval.count, self.anchor_day)
            return AnchoredDate(moved, self.anchor_day)
        moved = self.on + timedelta(days=steps * _days_per_step(interval))
        return AnchoredDate(moved, moved.day)

    def steps_until(self, interval: Interval, limit: date) -> int:
        """The most steps n >= 0 with `advance(interval, n).on <= limit`; -1 if `self.on > limit`.

        Constant time, so a calendar can be jumped through without iterating it.
        `interval.count` must be at least 1.
        """
        if self.on > limit:
            return -1
        if interval.unit != "month":
            return (limit - self.on).days // _days_per_step(interval)
        steps = (_month_index(limit) - _month_index(self.on)) // interval.count
        if self.advance(interval, steps).on > limit:
            steps -= 1
        return steps


def add_interval(anchor: date, interval: Interval, steps: int = 1) -> date:
    """`anchor` plus `steps` intervals; month steps land on `anchor`'s day, clamped.

    add_interval(31 Jan 2027, 1 month, n) for n = 1, 2, 3: 28 Feb, 31 Mar, 30 Apr.
    """
    return AnchoredDate.first(anchor).advance(interval, steps).on


def last_day_of_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]

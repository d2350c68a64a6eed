import calendar
import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contracts.admin import Event, Interval, Program
from contracts.base import ProductLine
from contracts.events import ScheduledLine
from shared.domain.errors import Rejected
from shared.domain.program import program_problems, program_total, shippable_events
from shared.domain.schedule import (
    current_event_id,
    extend_lines,
    has_more_occurrences,
    initial_lines,
    start_date_for,
)

MONTHLY = Interval(unit="month", count=1)
DAILY = Interval(unit="day", count=1)


def event(event_id: int, **fields: Any) -> Event:
    fields.setdefault(
        "lines", [ProductLine(item_id=f"BOOK-{event_id}", quantity=1, unit_price=Decimal("9.99"))]
    )
    fields.setdefault("interval", MONTHLY)
    return Event(event_id=event_id, **fields)


def program(*events: Event, **fields: Any) -> Program:
    return Program(
        program_id="P1", name="club", parent_item_id="CLUB", currency="EUR", events=list(events), **fields
    )


intervals = st.one_of(
    st.builds(Interval, unit=st.just("day"), count=st.integers(1, 45)),
    st.builds(Interval, unit=st.just("week"), count=st.integers(1, 8)),
    st.builds(Interval, unit=st.just("month"), count=st.integers(1, 12)),
)
product_lines = st.builds(
    ProductLine,
    item_id=st.sampled_from(["A", "B", "C", "D"]),
    quantity=st.integers(1, 5),
    unit_price=st.decimals(min_value=0, max_value=100, places=2),
)
dates = st.dates(date(2000, 1, 1), date(2100, 12, 31))


@st.composite
def programs(draw: st.DrawFn, evergreen: bool | None = None, unit: str | None = None) -> Program:
    """Valid programs: 1-6 events; only the last may be unlimited (then no end event before it)."""
    count = draw(st.integers(1, 6))
    actions = draw(
        st.lists(
            st.sampled_from(["normal", "normal", "normal", "skip", "end"]), min_size=count, max_size=count
        )
    )
    if all(action == "skip" for action in actions):
        actions[0] = "normal"
    could_be_evergreen = actions[-1] == "normal" and "end" not in actions
    unlimited = could_be_evergreen and (draw(st.booleans()) if evergreen is None else evergreen)
    if evergreen and not could_be_evergreen:
        actions = [("normal" if a == "end" else a) for a in actions[:-1]] + ["normal"]
        unlimited = True
    events = []
    for event_id, action in enumerate(actions, start=1):
        interval = Interval(unit=unit, count=draw(st.integers(1, 3))) if unit else draw(intervals)
        events.append(
            Event(
                event_id=event_id,
                action=action,
                occurrences=None if unlimited and event_id == count else draw(st.integers(1, 15)),
                interval=interval,
                lines=draw(st.lists(product_lines, min_size=1, max_size=3)),
            )
        )
    return program(
        *events,
        days_after_order=draw(st.integers(0, 40)),
        bill_up_front=not unlimited and draw(st.booleans()),
    )


def everything(p: Program, start: date, quantity: int = 1, starting_event_id: int = 1) -> list[ScheduledLine]:
    """All lines of a finite program at once (as when billed up front)."""
    return initial_lines(p.model_copy(update={"bill_up_front": True}), start, quantity, 1, starting_event_id)


def event_of(p: Program, line: ScheduledLine) -> Event:
    return p.events[line.event_id - 1]


def assert_follows_event_order(p: Program, lines: list[ScheduledLine]) -> None:
    assert [line.line_no for line in lines] == list(range(1, len(lines) + 1))
    shippable = [e.event_id for e in shippable_events(p)]
    for before, after in itertools.pairwise(lines):
        assert after.ship_date >= before.ship_date
        if after.event_id == before.event_id:
            assert after.occurrence == before.occurrence + 1
        else:
            assert after.occurrence == 1
            assert shippable.index(after.event_id) == shippable.index(before.event_id) + 1
    assert all(event_of(p, line).action != "skip" for line in lines)


def assert_calendar_rule(p: Program, lines: list[ScheduledLine], first: date) -> None:
    """Day/week steps add days and re-anchor; month steps land on the anchor day, clamped."""
    assert lines[0].ship_date == first
    anchor = first.day
    for before, after in itertools.pairwise(lines):
        interval = event_of(p, after).interval
        if interval.unit == "month":
            months = (
                (after.ship_date.year - before.ship_date.year) * 12
                + after.ship_date.month
                - before.ship_date.month
            )
            assert months == interval.count
            last_day = calendar.monthrange(after.ship_date.year, after.ship_date.month)[1]
            assert after.ship_date.day == min(anchor, last_day)
        else:
            step = interval.count * (7 if interval.unit == "week" else 1)
            assert after.ship_date - before.ship_date == timedelta(days=step)
            anchor = after.ship_date.day


@given(programs(), dates, st.integers(1, 20), st.integers(1, 3))
def test_initial_lines_follow_event_order_and_the_calendar(
    p: Program, start: date, threshold: int, qty: int
) -> None:
    assert program_problems(p, set(), set()) == []
    lines = initial_lines(p, start, qty, threshold)
    assert_follows_event_order(p, lines)
    assert_calendar_rule(p, lines, start + timedelta(days=p.days_after_order))
    for line in lines:
        assert line.lines == [
            product.model_copy(update={"quantity": product.quantity * qty})
            for product in event_of(p, line).lines
        ]


@given(programs(), dates, st.integers(1, 20))
def test_initial_lines_cap_each_event_and_stop_after_the_first_incomplete_one(
    p: Program, start: date, threshold: int
) -> None:
    counts: dict[int, int] = {}
    for line in initial_lines(p, start, 1, threshold):
        counts[line.event_id] = counts.get(line.event_id, 0) + 1
    expected: dict[int, int] = {}
    for e in shippable_events(p):
        if p.bill_up_front:
            assert e.occurrences is not None
            expected[e.event_id] = e.occurrences
            continue
        expected[e.event_id] = threshold if e.occurrences is None else min(e.occurrences, threshold)
        if e.occurrences is None or e.occurrences > threshold:
            break
    assert counts == expected


@given(programs(unit="month"), dates)
def test_monthly_dates_sit_on_the_first_shipments_day_or_the_months_last_day(p: Program, start: date) -> None:
    lines = initial_lines(p, start, 1, repeat_threshold=15)
    anchor = lines[0].ship_date.day
    for line in lines:
        last_day = calendar.monthrange(line.ship_date.year, line.ship_date.month)[1]
        assert line.ship_date.day == min(anchor, last_day)


@given(programs(evergreen=False), dates, st.integers(1, 3), st.integers(1, 6))
def test_program_total_is_what_a_fully_scheduled_order_ships(p: Program, start: date, qty: int, k: int) -> None:
    """From whichever event the order starts at: a `current_event` order pays only for what it gets."""
    assume(any(e.event_id >= k for e in shippable_events(p)))
    shipped = sum(
        (
            product.quantity * product.unit_price
            for line in everything(p, start, qty, k)
            for product in line.lines
        ),
        Decimal("0"),
    )
    assert program_total(p, qty, k) == shipped


@settings(max_examples=200)
@given(
    programs(evergreen=False), dates, st.integers(1, 20), st.lists(st.integers(1, 10), min_size=1, max_size=5)
)
def test_extending_until_done_gives_the_all_at_once_schedule(
    p: Program, start: date, threshold: int, chunks: list[int]
) -> None:
    p = p.model_copy(update={"bill_up_front": False})
    lines = initial_lines(p, start, 2, threshold)
    turn = 0
    while has_more_occurrences(p, lines):
        chunk = chunks[turn % len(chunks)]
        added = extend_lines(p, lines, chunk, 2)
        assert 1 <= len(added) <= chunk
        lines += added
        turn += 1
    assert lines == everything(p, start, 2)
    assert extend_lines(p, lines, 5, 2) == []


@given(programs(evergreen=True), dates, st.integers(1, 20), st.integers(1, 10))
def test_an_evergreen_program_keeps_extending(p: Program, start: date, threshold: int, chunk: int) -> None:
    lines = initial_lines(p, start, 1, threshold)
    for _ in range(5):
        assert has_more_occurrences(p, lines)
        added = extend_lines(p, lines, chunk, 1)
        assert len(added) == chunk
        lines += added
    assert_follows_event_order(p, lines)
    assert_calendar_rule(p, lines, start + timedelta(days=p.days_after_order))


@given(programs(), dates, st.integers(1, 6))
def test_an_order_starting_at_a_later_event_ships_from_its_first_occurrence(
    p: Program, start: date, k: int
) -> None:
    later = [e for e in shippable_events(p) if e.event_id >= k]
    if not later:
        with pytest.raises(Rejected):
            initial_lines(p, start, 1, 12, starting_event_id=k)
        return
    lines = initial_lines(p, start, 1, 12, starting_event_id=k)
    assert (lines[0].event_id, lines[0].occurrence) == (later[0].event_id, 1)
    assert lines[0].ship_date == start + timedelta(days=p.days_after_order)
    assert all(line.event_id >= k for line in lines)


def test_the_domain_example_ships_on_month_ends() -> None:
    p = program(event(1), event(2), event(3))
    lines = initial_lines(p, date(2027, 1, 31), 2, 12)
    assert [line.ship_date for line in lines] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    assert [line.lines[0].quantity for line in lines] == [2, 2, 2]


def test_extending_keeps_the_first_shipments_anchor() -> None:
    p = program(event(1, occurrences=4))
    lines = initial_lines(p, date(2027, 1, 31), 1, 2)
    assert [line.ship_date for line in lines] == [date(2027, 1, 31), date(2027, 2, 28)]
    more = extend_lines(p, lines, 5, 1)
    assert [(line.line_no, line.ship_date) for line in more] == [
        (3, date(2027, 3, 31)),
        (4, date(2027, 4, 30)),
    ]
    assert not has_more_occurrences(p, lines + more)


def test_skip_events_take_no_time_and_nothing_follows_an_end_event() -> None:
    p = program(event(1), event(2, action="skip", lines=[]), event(3, action="end", occurrences=2), event(4))
    lines = initial_lines(p, date(2027, 1, 10), 1, 12)
    assert [(line.event_id, line.occurrence, line.ship_date) for line in lines] == [
        (1, 1, date(2027, 1, 10)),
        (3, 1, date(2027, 2, 10)),
        (3, 2, date(2027, 3, 10)),
    ]
    assert not has_more_occurrences(p, lines)


def test_first_shipment_waits_days_after_order() -> None:
    p = program(event(1, occurrences=2, interval=Interval(unit="week", count=2)), days_after_order=3)
    lines = initial_lines(p, date(2027, 1, 1), 1, 12)
    assert [line.ship_date for line in lines] == [date(2027, 1, 4), date(2027, 1, 18)]


CLUB = program(
    event(1), event(2), event(3), order_start="current_event", program_start_date=date(2027, 1, 31)
)


@pytest.mark.parametrize(
    ("business_date", "expected"),
    [
        (date(2026, 12, 1), 1),
        (date(2027, 1, 31), 1),
        (date(2027, 2, 27), 1),
        (date(2027, 2, 28), 2),
        (date(2027, 3, 30), 2),
        (date(2027, 3, 31), 3),
        (date(2037, 1, 1), 3),
    ],
)
def test_current_event_of_the_domain_example(business_date: date, expected: int) -> None:
    assert current_event_id(CLUB, business_date) == expected


def test_a_first_event_program_always_starts_at_event_1() -> None:
    assert current_event_id(program(event(1), event(2)), date(2030, 1, 1)) == 1


def test_current_event_skips_skip_events() -> None:
    p = program(event(1, action="skip", lines=[]), event(2), event(3, action="skip", lines=[]), event(4))
    p = p.model_copy(update={"order_start": "current_event", "program_start_date": date(2027, 1, 1)})
    assert [current_event_id(p, d) for d in (date(2026, 1, 1), date(2027, 1, 31), date(2027, 2, 1))] == [
        2,
        2,
        4,
    ]


def test_current_event_is_computed_not_iterated_for_long_programs() -> None:
    p = program(
        event(1, occurrences=10**9, interval=DAILY),
        event(2, occurrences=None, interval=DAILY),
        order_start="current_event",
        program_start_date=date(2027, 1, 1),
    )
    assert current_event_id(p, date(2037, 1, 1)) == 1
    evergreen = p.model_copy(
        update={"events": [event(1, occurrences=3), event(2, occurrences=None, interval=DAILY)]}
    )
    assert current_event_id(evergreen, date(2037, 1, 1)) == 2


@settings(max_examples=200)
@given(programs(), dates, st.integers(-40, 1200))
def test_current_event_is_the_event_of_the_calendars_last_shipment_so_far(
    p: Program, start: date, days: int
) -> None:
    p = p.model_copy(
        update={"order_start": "current_event", "program_start_date": start, "bill_up_front": False}
    )
    business_date = start + timedelta(days=days)
    calendar_lines = initial_lines(p.model_copy(update={"days_after_order": 0}), start, 1, 50)
    while calendar_lines[-1].ship_date <= business_date and has_more_occurrences(p, calendar_lines):
        calendar_lines += extend_lines(p, calendar_lines, 50, 1)
    shipped = [line for line in calendar_lines if line.ship_date <= business_date]
    expected = shipped[-1].event_id if shipped else shippable_events(p)[0].event_id
    assert current_event_id(p, business_date) == expected


def test_start_date_is_the_order_date_by_default() -> None:
    assert start_date_for(program(event(1)), date(2027, 5, 1), None, date(2027, 4, 1)) == date(2027, 5, 1)


def test_a_requested_start_date_is_used_when_the_program_prompts_for_it() -> None:
    p = program(event(1), prompt_for_start_date=True)
    assert start_date_for(p, date(2027, 5, 1), date(2027, 6, 15), date(2027, 5, 1)) == date(2027, 6, 15)


def test_a_start_date_before_the_business_date_becomes_the_business_date() -> None:
    p = program(event(1), prompt_for_start_date=True)
    assert start_date_for(p, date(2027, 5, 1), date(2027, 4, 1), date(2027, 5, 3)) == date(2027, 5, 3)
    assert start_date_for(p, date(2027, 5, 1), None, date(2027, 5, 3)) == date(2027, 5, 3)


def test_a_requested_start_date_is_rejected_when_the_program_does_not_prompt() -> None:
    with pytest.raises(Rejected) as raised:
        start_date_for(program(event(1)), date(2027, 5, 1), date(2027, 6, 1), date(2027, 5, 1))
    assert raised.value.reason == "program does not accept a requested start date"


def test_an_order_quantity_below_1_is_rejected() -> None:
    with pytest.raises(Rejected):
        initial_lines(program(event(1)), date(2027, 1, 1), 0, 12)

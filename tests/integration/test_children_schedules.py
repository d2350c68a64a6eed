"""Child orders over long stretches of business time: a year of a book club, a two-year clock jump
with and without consolidation, an evergreen program kept above its repeat threshold, and the
per-tick cap on child orders."""

from decimal import Decimal
from functools import partial

import pytest

from contracts import topics
from tests.integration import messages as m
from tests.integration.children_support import (
    CORE,
    admit,
    advance,
    children_of,
    items,
    line_nos,
    place,
    scheduled,
    set_parameters,
    ship_dates,
    wait_for_children,
)
from tests.integration.system import System

BOOK_DATES = ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30",
              "2027-07-31", "2027-08-31", "2027-09-30", "2027-10-31", "2027-11-30", "2027-12-31"]


SERVICES_UNDER_TEST = CORE


def book_club() -> m.Record:
    events = [m.event(n, f"BOOK-{n}", action="end" if n == 12 else "normal") for n in range(1, 13)]
    return m.program("BOOKS", events)


def coffee(consolidate: bool = False) -> m.Record:
    return m.program("COFFEE", [m.event(1, "BEANS", price="9.00", occurrences=None)],
                     consolidate_past_orders=consolidate)


def open_lines_at_least(system: System, order_id: str, count: int) -> bool:
    shipped = {n for child in children_of(system, order_id) for n in child["scheduled_line_nos"]}
    return len(set(scheduled(system, order_id)) - shipped) >= count


def months(first_year: int, count: int, day: int = 1) -> list[str]:
    return [f"{first_year + (n // 12)}-{n % 12 + 1:02d}-{day:02d}" for n in range(count)]


@pytest.mark.parametrize("threshold", [12, 4])
async def test_a_twelve_book_club_ships_each_book_once_in_order_over_a_year(
    system: System, threshold: int
) -> None:
    await set_parameters(system, repeat_threshold=threshold)
    await admit(system, book_club())
    await advance(system, "2027-01-31")
    order_id = (await place(system, "SO-B", "2027-01-31", "BOOKS-PARENT"))["continuity_order_id"]
    await wait_for_children(system, order_id, 1)

    for count, day in enumerate(BOOK_DATES[1:], start=2):
        await advance(system, day)
        await wait_for_children(system, order_id, count)
    for day in ("2028-01-31", "2028-02-29", "2028-06-30"):
        await advance(system, day)
    await system.settle()

    children = children_of(system, order_id)
    assert ship_dates(children) == BOOK_DATES
    assert [items(child) for child in children] == [[f"BOOK-{n}"] for n in range(1, 13)]
    assert line_nos(children) == [[n] for n in range(1, 13)]
    assert len({child["child_order_id"] for child in children}) == 12
    assert all(child["total"] == {"amount": "12.50", "currency": "EUR"} for child in children)
    generated = system.of(topics.EVENTS, "child_order.generated", continuity_order_id=order_id)
    assert [event["final"] for event in generated] == [False] * 11 + [True]
    assert sorted(scheduled(system, order_id)) == list(range(1, 13))


async def test_a_two_year_jump_makes_one_child_order_per_missed_shipment(system: System) -> None:
    await admit(system, coffee())
    await advance(system, "2027-01-01")
    order_id = (await place(system, "SO-C", "2027-01-01", "COFFEE-PARENT"))["continuity_order_id"]
    await wait_for_children(system, order_id, 1)

    await advance(system, "2029-01-01")
    await wait_for_children(system, order_id, 25)
    await system.settle()

    children = children_of(system, order_id)
    assert ship_dates(children) == months(2027, 25)
    assert line_nos(children) == [[n] for n in range(1, 26)]
    assert len({child["child_order_id"] for child in children}) == 25
    assert system.of(topics.EVENTS, "lines.extended", continuity_order_id=order_id)
    lines = scheduled(system, order_id)
    assert sorted(lines) == list(range(1, len(lines) + 1))
    assert len(lines) - 25 >= 12, "the open lines stay at the repeat threshold after the jump"
    assert [lines[n]["ship_date"] for n in sorted(lines)] == months(2027, len(lines))


async def test_a_two_year_jump_of_a_consolidating_program_makes_one_child_order_of_every_due_line(
    system: System,
) -> None:
    await admit(system, coffee(consolidate=True))
    await advance(system, "2027-01-01")
    order_id = (await place(system, "SO-K", "2027-01-01", "COFFEE-PARENT"))["continuity_order_id"]
    await wait_for_children(system, order_id, 1)

    await advance(system, "2029-01-01")
    await wait_for_children(system, order_id, 2)
    await system.settle()

    first, caught_up = children_of(system, order_id)
    assert first["scheduled_line_nos"] == [1]
    assert caught_up["scheduled_line_nos"] == list(range(2, 26))
    assert items(caught_up) == ["BEANS"] * 24
    assert caught_up["ship_date"] == "2029-01-01"
    assert Decimal(caught_up["total"]["amount"]) == Decimal("9.00") * 24
    lines = scheduled(system, order_id)
    assert len(lines) - 25 >= 12, "the open lines stay at the repeat threshold after the jump"

    await advance(system, "2029-02-01")
    assert line_nos(await wait_for_children(system, order_id, 3))[-1] == [26]


async def test_an_evergreen_program_is_extended_and_never_falls_below_the_threshold(system: System) -> None:
    await set_parameters(system, repeat_threshold=3)
    await admit(system, coffee())
    await advance(system, "2027-01-01")
    created = await place(system, "SO-E", "2027-01-01", "COFFEE-PARENT")
    order_id = created["continuity_order_id"]
    assert len(created["scheduled_lines"]) == 3
    await wait_for_children(system, order_id, 1)

    for count, day in enumerate(months(2027, 11)[1:], start=2):
        await advance(system, day)
        children = await wait_for_children(system, order_id, count)
        await system.wait_for(partial(open_lines_at_least, system, order_id, 3), description=f"open lines on {day}")
    await system.settle()

    children = children_of(system, order_id)
    assert ship_dates(children) == months(2027, 11)
    assert line_nos(children) == [[n] for n in range(1, 12)]
    assert len(system.of(topics.EVENTS, "lines.extended", continuity_order_id=order_id)) >= 10
    lines = scheduled(system, order_id)
    assert sorted(lines) == list(range(1, 15)), "exactly three lines stay open"
    assert [lines[n]["ship_date"] for n in sorted(lines)] == months(2027, 14)


async def test_the_cap_per_tick_makes_the_oldest_due_children_first_and_the_rest_on_later_ticks(
    system: System,
) -> None:
    await set_parameters(system, max_child_orders_per_run=2)
    events = [m.event(n, f"BOX-{n}", action="end" if n == 6 else "normal") for n in range(1, 7)]
    await admit(system, m.program("BOXES", events, days_after_order=1))
    await advance(system, "2027-01-01")
    order_id = (await place(system, "SO-M", "2027-01-01", "BOXES-PARENT"))["continuity_order_id"]

    await advance(system, "2027-05-02")
    assert line_nos(await wait_for_children(system, order_id, 2)) == [[1], [2]]
    await advance(system, "2027-05-03")
    assert line_nos(await wait_for_children(system, order_id, 4)) == [[1], [2], [3], [4]]
    await advance(system, "2027-05-04")
    await advance(system, "2027-05-05")
    await system.settle()

    children = children_of(system, order_id)
    assert line_nos(children) == [[1], [2], [3], [4], [5]]
    assert ship_dates(children) == ["2027-01-02", "2027-02-02", "2027-03-02", "2027-04-02", "2027-05-02"]
    assert [items(child) for child in children] == [[f"BOX-{n}"] for n in range(1, 6)]


async def test_the_cap_per_tick_takes_the_oldest_ship_dates_across_orders(system: System) -> None:
    await set_parameters(system, max_child_orders_per_run=2)
    events = [m.event(n, f"BOX-{n}", action="end" if n == 6 else "normal") for n in range(1, 7)]
    await admit(system, m.program("BOXES", events, days_after_order=1))
    await advance(system, "2027-01-01")
    early = (await place(system, "SO-A", "2027-01-01", "BOXES-PARENT"))["continuity_order_id"]
    late = (await place(system, "SO-B", "2027-01-01", "BOXES-PARENT", start="2027-03-15"))["continuity_order_id"]

    def made() -> list[tuple[str, str]]:
        return sorted((child["ship_date"], child["continuity_order_id"])
                      for child in system.of(topics.CHILD_ORDERS, "child_order.created"))

    def made_at_least(count: int) -> bool:
        return len(made()) >= count

    expected = [("2027-01-02", early), ("2027-02-02", early), ("2027-03-02", early), ("2027-03-16", late),
                ("2027-04-02", early), ("2027-04-16", late), ("2027-05-02", early)]
    for tick, day in enumerate(["2027-05-02", "2027-05-03", "2027-05-04", "2027-05-05"], start=1):
        await advance(system, day)
        count = min(2 * tick, len(expected))
        await system.wait_for(partial(made_at_least, count), description=f"tick {tick}")
        await system.settle(quiet=0.5)
        assert made() == expected[: 2 * tick]

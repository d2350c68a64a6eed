from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from contracts.admin import Event, Interval, Parameters, PaymentSchedule, Program
from contracts.base import ProductLine
from shared.domain.program import parameters_problems, program_problems, program_total, shippable_events

MONTHLY = Interval(unit="month", count=1)


def line(item: str = "BOOK", quantity: int = 1, price: str = "10.00") -> ProductLine:
    return ProductLine.model_construct(item_id=item, quantity=quantity, unit_price=Decimal(price))


def event(event_id: int, **fields: Any) -> Event:
    fields.setdefault("lines", [line(f"BOOK-{event_id}")])
    fields.setdefault("interval", MONTHLY)
    return Event(event_id=event_id, **fields)


def program(**fields: Any) -> Program:
    fields.setdefault("events", [event(1), event(2), event(3)])
    base = Program(program_id="P1", name="Book club", parent_item_id="CLUB", currency="EUR", events=[])
    return base.model_copy(update=fields)


def test_a_valid_program_has_no_problems() -> None:
    assert program_problems(program(), {"OTHER"}, {"OTHER", "CLUB"}) == []


def test_a_valid_evergreen_program_with_skip_and_schedule_options_has_no_problems() -> None:
    evergreen = program(
        order_start="current_event",
        program_start_date=date(2027, 1, 1),
        events=[event(1, action="skip", lines=[]), event(2, occurrences=3), event(3, occurrences=None)],
    )
    assert program_problems(evergreen, set(), set()) == []


def test_an_inactive_program_may_reuse_the_parent_of_an_active_one() -> None:
    assert program_problems(program(active=False), {"CLUB"}, {"CLUB"}) == []


UP_FRONT = {"bill_up_front": True}
ROWS: list[tuple[str, Program, set[str], str]] = [
    ("no events", program(events=[]), set(), "has no events"),
    ("ids with a gap", program(events=[event(1), event(3)]), set(), "event ids must run"),
    ("ids not from 1", program(events=[event(2), event(3)]), set(), "event ids must run"),
    (
        "only skip events",
        program(events=[event(1, action="skip", lines=[])]),
        set(),
        "at least one shippable",
    ),
    ("normal event without lines", program(events=[event(1), event(2, lines=[])]), set(), "has no lines"),
    (
        "end event without lines",
        program(events=[event(1), event(2, action="end", lines=[])]),
        set(),
        "no lines",
    ),
    ("zero occurrences", program(events=[event(1, occurrences=0)]), set(), "occurrences must be at least 1"),
    (
        "zero interval",
        program(events=[event(1, interval=Interval(unit="day", count=0))]),
        set(),
        "interval count",
    ),
    (
        "unlimited billed up front",
        program(events=[event(1, occurrences=None)], **UP_FRONT),
        set(),
        "not allowed when billed up front",
    ),
    (
        "event after unlimited",
        program(events=[event(1, occurrences=None), event(2)]),
        set(),
        "nothing can follow",
    ),
    (
        "unlimited after end",
        program(events=[event(1, action="end"), event(2, occurrences=None)]),
        set(),
        "unlimited occurrences after end event 1",
    ),
    (
        "unlimited end event",
        program(events=[event(1, action="end", occurrences=None)]),
        set(),
        "finite number",
    ),
    ("current event without start date", program(order_start="current_event"), set(), "program_start_date"),
    (
        "negative days after order",
        program(days_after_order=-1),
        set(),
        "days_after_order must not be negative",
    ),
    (
        "schedule without bill up front",
        program(payment_schedule=PaymentSchedule(count=3, interval=MONTHLY)),
        set(),
        "only allowed when the program is billed up front",
    ),
    (
        "schedule without installments",
        program(payment_schedule=PaymentSchedule(count=0, interval=MONTHLY), **UP_FRONT),
        set(),
        "at least 1 installment",
    ),
    (
        "schedule with zero interval",
        program(
            payment_schedule=PaymentSchedule(count=2, interval=Interval(unit="week", count=0)), **UP_FRONT
        ),
        set(),
        "schedule's interval count",
    ),
    ("negative price", program(events=[event(1, lines=[line(price="-0.01")])]), set(), "unit price"),
    ("price below a cent", program(events=[event(1, lines=[line(price="3.333")])]), set(), "whole cents"),
    (
        "zero quantity",
        program(events=[event(1, lines=[line(quantity=0)])]),
        set(),
        "quantity must be at least 1",
    ),
    ("own parent as line item", program(events=[event(1, lines=[line("CLUB")])]), set(), "cannot be nested"),
    (
        "other parent as line item",
        program(events=[event(1, lines=[line("OTHER")])]),
        set(),
        "cannot be nested",
    ),
    (
        "parent taken by an active program",
        program(),
        {"CLUB"},
        "already the parent of another active program",
    ),
    ("lower-case currency", program(currency="eur"), set(), "currency must be a 3-letter code"),
    ("long currency", program(currency="EURO"), set(), "currency must be a 3-letter code"),
]


@pytest.mark.parametrize(("case", "bad", "taken", "fragment"), ROWS, ids=[row[0] for row in ROWS])
def test_each_broken_rule_is_reported_once(case: str, bad: Program, taken: set[str], fragment: str) -> None:
    problems = program_problems(bad, taken, {"OTHER"} | taken)
    assert len(problems) == 1, problems
    assert fragment in problems[0]


def test_every_problem_is_reported_at_once() -> None:
    bad = program(currency="eu", days_after_order=-2, events=[event(1, occurrences=0), event(3, lines=[])])
    assert len(program_problems(bad, set(), set())) == 5


def test_shippable_events_drop_skips_and_stop_at_the_end_event() -> None:
    events = [event(1), event(2, action="skip", lines=[]), event(3, action="end"), event(4)]
    assert [e.event_id for e in shippable_events(program(events=events))] == [1, 3]


def test_program_total_counts_occurrences_quantity_and_lines() -> None:
    events = [
        event(1, occurrences=2, lines=[line("A", 2, "5.00"), line("B", 1, "1.50")]),
        event(2, action="skip", occurrences=9),
        event(3, action="end", occurrences=3, lines=[line("C", 1, "4.00")]),
        event(4, occurrences=5),
    ]
    assert program_total(program(events=events), 2) == (2 * Decimal("11.50") + 3 * Decimal("4.00")) * 2


def test_program_total_is_unknown_for_an_evergreen_program() -> None:
    assert program_total(program(events=[event(1), event(2, occurrences=None)]), 1) is None


def test_default_parameters_are_valid() -> None:
    assert parameters_problems(Parameters()) == []


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"delivery_lead_days": -1}, "delivery_lead_days must not be negative"),
        ({"max_child_orders_per_run": -1}, "max_child_orders_per_run must not be negative"),
        ({"on_account_bill_days": -1}, "on_account_bill_days must not be negative"),
        ({"repeat_threshold": 0}, "repeat_threshold must be at least 1"),
        ({"payment_retry_days": [0, 3]}, "must all be positive"),
        ({"payment_retry_days": [1, 3, 3]}, "strictly increasing"),
        ({"payment_retry_days": [5, 2]}, "strictly increasing"),
    ],
)
def test_each_broken_parameter_rule_is_reported(fields: dict[str, Any], fragment: str) -> None:
    problems = parameters_problems(Parameters(**fields))
    assert len(problems) == 1, problems
    assert fragment in problems[0]


def test_no_retries_is_allowed() -> None:
    assert parameters_problems(Parameters(payment_retry_days=[])) == []

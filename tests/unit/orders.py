"""Builders of small programs and continuity orders for the order aggregate's unit tests."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from contracts.admin import Event, Interval, Program
from contracts.base import PaymentMethod, ProductLine, ShipTo
from contracts.events import ContinuityOrderCreated
from shared.domain.order import Order, new_order
from shared.domain.schedule import initial_lines

MONTHLY = Interval(unit="month", count=1)
START = date(2027, 1, 31)


def event(event_id: int, occurrences: int | None = 1, price: str = "10.00", **fields: Any) -> Event:
    lines = [ProductLine(item_id=f"BOOK-{event_id}", quantity=1, unit_price=Decimal(price))]
    fields.setdefault("interval", MONTHLY)
    return Event(event_id=event_id, occurrences=occurrences, lines=lines, **fields)


def program(*events: Event, **fields: Any) -> Program:
    return Program(program_id="P1", name="club", parent_item_id="CLUB", currency="EUR", events=list(events), **fields)


def make_order(p: Program, start: date = START, quantity: int = 1, threshold: int = 12) -> Order:
    created = ContinuityOrderCreated(
        message_id="m1",
        occurred_at=datetime(2027, 1, 1),
        continuity_order_id="SO1-1",
        sales_order_id="SO1",
        line_id="1",
        customer_id="C1",
        program_id=p.program_id,
        program_version=1,
        intake_date=start,
        start_date=start,
        quantity=quantity,
        ship_to=ShipTo(name="Ann", line1="Main St 1", city="Town", postal_code="1000", country="NL"),
        payment=PaymentMethod(method="card", token="tok"),
        bill_up_front=p.bill_up_front,
        payment_schedule=None,
        program_total=None,
        scheduled_lines=initial_lines(p, start, quantity, threshold),
    )
    return new_order(created, p)

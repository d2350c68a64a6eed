"""The continuity order aggregate of the children service: its state and the questions asked of it.

State changes live in `children` (child orders, extension, holds) and `commands`
(customer-service and program commands). Every function here is pure: the business
date and the parameters are passed in, never read.
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import Field

from contracts.admin import Program
from contracts.base import Frozen, Money, PaymentMethod, ProductLine, ShipTo
from contracts.events import ContinuityOrderCreated, ScheduledLine
from shared.domain.calendar import AnchoredDate
from shared.domain.program import lines_total
from shared.domain.schedule import Cursor, has_more_occurrences, lines_after

LineState = Literal["open", "generated", "cancelled", "forfeited"]
OrderStatus = Literal["active", "paused", "cancelled", "closed"]


class Line(Frozen):
    """One scheduled shipment. `lines` already carry the order's quantity multiplier.

    `anchor_day` is the day of month that a month step from this line aims for (see
    `shared.domain.calendar`). It is kept because a deferred line takes another slot's
    date: re-deriving the anchor from the dates would then drift (31st -> 28th).
    """

    line_no: int
    event_id: int
    occurrence: int
    ship_date: date
    anchor_day: int
    lines: list[ProductLine]
    state: LineState = "open"
    child_order_id: str | None = None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


class Child(Frozen):
    """A child order made from one line, or from several when the order consolidates."""

    child_order_id: str
    line_nos: list[int]
    ship_date: date
    total: Money
    prepaid: bool
    released: bool


class Order(Frozen):
    continuity_order_id: str
    customer_id: str
    ship_to: ShipTo
    payment: PaymentMethod
    program_id: str
    program_version: int
    currency: str
    quantity: int
    start_date: date
    prepaid: bool
    consolidate: bool
    status: OrderStatus = "active"
    paused_until: date | None = None
    held_from: date | None = None  # billing's hold: no child orders on or after this business date
    cancel_reason: str | None = None
    lines: list[Line]
    children: list[Child] = Field(default_factory=list)
    complete: bool = False


def new_order(created: ContinuityOrderCreated, program: Program) -> Order:
    """The order as intake created it, with the lines intake scheduled."""
    return Order(
        continuity_order_id=created.continuity_order_id,
        customer_id=created.customer_id,
        ship_to=created.ship_to,
        payment=created.payment,
        program_id=created.program_id,
        program_version=created.program_version,
        currency=program.currency,
        quantity=created.quantity,
        start_date=created.start_date,
        prepaid=created.bill_up_front,
        consolidate=program.consolidate_past_orders,
        lines=anchored(program, created.scheduled_lines, after=None),
        complete=not has_more_occurrences(program, created.scheduled_lines),
    )


def anchored(program: Program, scheduled: Sequence[ScheduledLine], after: Line | None) -> list[Line]:
    """Lines for `scheduled` (which follow `after`, or start a sequence), each with its anchor day.

    A sequence's first shipment anchors on its own day; a month step keeps the anchor,
    a day or week step re-anchors on the date it reaches.
    """
    units = {event.event_id: event.interval.unit for event in program.events}
    anchor = after.anchor_day if after is not None else None
    lines: list[Line] = []
    for s in scheduled:
        if anchor is None or units.get(s.event_id) != "month":
            anchor = s.ship_date.day
        lines.append(Line(**dict(s), anchor_day=anchor))
    return lines


def slot(line: Line) -> AnchoredDate:
    return AnchoredDate(line.ship_date, line.anchor_day)


def schedule_after(program: Program, last: Line, count: int, quantity: int) -> list[Line]:
    """The next `count` lines of the program after `last`; fewer (or none) when it ends."""
    cursor = Cursor(last.line_no, last.event_id, last.occurrence, slot(last))
    return anchored(program, lines_after(program, cursor, count, quantity), after=last)


def to_scheduled(line: Line) -> ScheduledLine:
    """The public view of a line (as events carry it)."""
    return ScheduledLine(
        line_no=line.line_no,
        event_id=line.event_id,
        occurrence=line.occurrence,
        ship_date=line.ship_date,
        lines=line.lines,
    )


def price(lines: list[Line], currency: str) -> Money:
    """What the shipments of `lines` cost: quantity times unit price over all their products."""
    return Money(amount=sum((lines_total(line.lines) for line in lines), Decimal(0)), currency=currency)


def open_lines(order: Order) -> list[Line]:
    return [line for line in order.lines if line.is_open]


def next_open_line(order: Order) -> Line | None:
    return next((line for line in order.lines if line.is_open), None)


def is_ended(order: Order) -> bool:
    return order.status in ("cancelled", "closed")


def is_blocked(order: Order, business_date: date) -> bool:
    """True when no child order may be made on `business_date`; a pause ends on its `until` date."""
    if is_ended(order) or (order.held_from is not None and order.held_from <= business_date):
        return True
    if order.status == "paused":
        return order.paused_until is None or order.paused_until > business_date
    return False


def due_lines(order: Order, business_date: date, lead_days: int, ships_by: date | None = None) -> list[Line]:
    """Open lines whose ship date less the lead time has come (and, given `ships_by`, that ship by
    then), in line order; none while the order is blocked on `business_date`."""
    if is_blocked(order, business_date):
        return []
    horizon = business_date + timedelta(days=lead_days)
    if ships_by is not None:
        horizon = min(horizon, ships_by)
    return [line for line in order.lines if line.is_open and line.ship_date <= horizon]


def needs_extension(order: Order, repeat_threshold: int) -> bool:
    """Fewer than `repeat_threshold` open lines and the program can still give more."""
    if is_ended(order) or order.complete:
        return False
    return len(open_lines(order)) < repeat_threshold


def is_final(order: Order) -> bool:
    """No line will ever again become a child order: the last one has been made (or none remain)."""
    return order.complete and next_open_line(order) is None

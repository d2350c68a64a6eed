"""Scheduled lines: when an order starts, which event is current, and which shipments come next.

Shipments follow event order: each shippable event (see `shippable_events`) ships its
`occurrences` times before the next one starts; `skip` events never ship and take no
time; nothing follows an `end` event. The first shipment of an order is
`days_after_order` days after its start date, each later one is the previous shipment
plus the interval of the event it belongs to, anchored as `shared.domain.calendar` says.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.admin import Event, Program
from contracts.events import ScheduledLine
from shared.domain.calendar import AnchoredDate
from shared.domain.errors import Rejected
from shared.domain.program import is_finite, shippable_events


@dataclass(frozen=True)
class Cursor:
    """The last scheduled shipment of an order: everything the next one continues from."""

    line_no: int
    event_id: int
    occurrence: int
    shipped: AnchoredDate


def start_date_for(
    program: Program, order_date: date, requested_start_date: date | None, business_date: date
) -> date:
    """The order's start date: the requested one if the program prompts for it, else the order date.

    A start date before the business date becomes the business date.
    Raises `Rejected` for a requested start date the program does not accept.
    """
    if requested_start_date is not None and not program.prompt_for_start_date:
        raise Rejected("program does not accept a requested start date")
    start = requested_start_date if requested_start_date is not None else order_date
    return max(start, business_date)


def current_event_id(program: Program, business_date: date) -> int:
    """The event of the program calendar's last shipment on or before `business_date`.

    The calendar ships from `program_start_date` (its first shipment) with the event
    intervals. Before it starts, the first shippable event is current; once in an
    unlimited event, that event stays current. Each event is jumped in constant time.
    `first_event` programs always start at event 1.
    """
    events = shippable_events(program)
    if program.order_start == "first_event" or not events:
        return 1
    if program.program_start_date is None:
        raise Rejected("a program starting customers at the current event needs a program_start_date")
    shipped = AnchoredDate.first(program.program_start_date)
    if shipped.on > business_date:
        return events[0].event_id
    first = events[0]
    more = None if first.occurrences is None else first.occurrences - 1
    possible = shipped.steps_until(first.interval, business_date)
    if more is None or possible < more:
        return first.event_id
    current, shipped = first, shipped.advance(first.interval, more)
    for event in events[1:]:
        possible = shipped.steps_until(event.interval, business_date)
        if possible == 0:
            return current.event_id
        if event.occurrences is None or possible < event.occurrences:
            return event.event_id
        current, shipped = event, shipped.advance(event.interval, event.occurrences)
    return current.event_id


def initial_lines(
    program: Program, start_date: date, quantity: int, repeat_threshold: int, starting_event_id: int = 1
) -> list[ScheduledLine]:
    """The lines scheduled when an order is created, starting at occurrence 1 of `starting_event_id`.

    Each event gets at most `repeat_threshold` lines unless the program bills up front
    (then all). An event left incomplete (more occurrences, or unlimited) is the last one
    scheduled: later events come through `extend_lines`, so shipments keep event order.
    Raises `Rejected` for a quantity below 1 or no shippable event from `starting_event_id` on.
    """
    if quantity < 1:
        raise Rejected(f"order quantity must be at least 1, got {quantity}")
    events = shippable_events(program)
    index = next((i for i, event in enumerate(events) if event.event_id >= starting_event_id), None)
    if index is None:
        raise Rejected(
            f"program {program.program_id} has no shippable event from event {starting_event_id} on"
        )
    cap = None if program.bill_up_front and is_finite(program) else repeat_threshold
    first = AnchoredDate.first(start_date + timedelta(days=program.days_after_order))
    lines: list[ScheduledLine] = []
    shipped = first
    for event, occurrence in _slots(events, index, 1):
        if cap is not None and occurrence > cap:
            break
        shipped = shipped.advance(event.interval) if lines else first
        lines.append(_line(len(lines) + 1, event, occurrence, shipped.on, quantity))
    return lines


def extend_lines(
    program: Program, existing: Sequence[ScheduledLine], count: int, quantity: int
) -> list[ScheduledLine]:
    """The next `count` lines after the last of `existing` (in line order); fewer when the program ends."""
    return lines_after(program, cursor_after(program, existing), count, quantity)


def has_more_occurrences(program: Program, existing: Sequence[ScheduledLine]) -> bool:
    """Whether the program has shipments left to schedule after `existing`."""
    if not existing:
        return bool(shippable_events(program))
    return _next_slot(shippable_events(program), cursor_after(program, existing)) is not None


def cursor_after(program: Program, existing: Sequence[ScheduledLine]) -> Cursor:
    """The cursor at the last of `existing` (non-empty, in line order).

    The anchor day is that of the latest line not reached by a month step (or of the
    first line), so only the trailing run of month-step lines is looked at.
    """
    if not existing:
        raise ValueError("an order without scheduled lines has no cursor")
    units = {event.event_id: event.interval.unit for event in program.events}
    index = len(existing) - 1
    while index > 0 and units.get(existing[index].event_id) == "month":
        index -= 1
    last = existing[-1]
    shipped = AnchoredDate(last.ship_date, existing[index].ship_date.day)
    return Cursor(last.line_no, last.event_id, last.occurrence, shipped)


def lines_after(program: Program, cursor: Cursor, count: int, quantity: int) -> list[ScheduledLine]:
    """The next `count` lines after `cursor`, in O(count); fewer when the program ends."""
    events = shippable_events(program)
    start = _next_slot(events, cursor)
    if start is None or count < 1:
        return []
    lines: list[ScheduledLine] = []
    shipped = cursor.shipped
    for event, occurrence in _slots(events, *start):
        shipped = shipped.advance(event.interval)
        lines.append(_line(cursor.line_no + len(lines) + 1, event, occurrence, shipped.on, quantity))
        if len(lines) == count:
            break
    return lines


def _slots(events: Sequence[Event], index: int, occurrence: int) -> Iterator[tuple[Event, int]]:
    """(event, occurrence) of each shipment from the given one on, until the program ends."""
    while index < len(events):
        event = events[index]
        yield event, occurrence
        if event.occurrences is not None and occurrence >= event.occurrences:
            index, occurrence = index + 1, 1
        else:
            occurrence += 1


def _next_slot(events: Sequence[Event], cursor: Cursor) -> tuple[int, int] | None:
    for index, event in enumerate(events):
        if event.event_id == cursor.event_id and (
            event.occurrences is None or cursor.occurrence < event.occurrences
        ):
            return index, cursor.occurrence + 1
        if event.event_id > cursor.event_id:
            return index, 1
    return None


def _line(line_no: int, event: Event, occurrence: int, ship_date: date, quantity: int) -> ScheduledLine:
    lines = [line.model_copy(update={"quantity": line.quantity * quantity}) for line in event.lines]
    return ScheduledLine(
        line_no=line_no, event_id=event.event_id, occurrence=occurrence, ship_date=ship_date, lines=lines
    )

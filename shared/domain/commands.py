"""Customer-service and program commands on a continuity order.

Each returns the new order and what happened, or raises `Rejected` with the reason when
the command does not fit the order's state. Lines that have a child order never change.
"""

from datetime import date
from typing import Literal

from contracts.admin import Program
from contracts.base import Frozen, ProductLine
from shared.domain.calendar import AnchoredDate
from shared.domain.errors import Rejected
from shared.domain.order import (
    Line,
    Order,
    anchored,
    is_ended,
    next_open_line,
    schedule_after,
    slot,
    to_scheduled,
)
from shared.domain.schedule import has_more_occurrences, initial_lines


class Update(Frozen):
    """What applying a program version did: lines rewritten, and lines dropped (no slot left for them)."""

    rewritten: list[Line]
    dropped: list[Line]


def _check_running(order: Order) -> None:
    if is_ended(order):
        raise Rejected(f"order {order.continuity_order_id} is {order.status}")


def _next_open(order: Order, action: str) -> Line:
    _check_running(order)
    line = next_open_line(order)
    if line is None:
        raise Rejected(f"order {order.continuity_order_id} has no open shipment to {action}")
    return line


def _with_lines(order: Order, changed: list[Line]) -> Order:
    by_no = {line.line_no: line for line in changed}
    return order.model_copy(update={"lines": [by_no.get(line.line_no, line) for line in order.lines]})


def skip(order: Order, program: Program, mode: Literal["defer", "forfeit"]) -> tuple[Order, Line]:
    """Skip the next open shipment; returns that line as it is now.

    `forfeit`: the shipment is dropped (the line is `forfeited`, counted as cancelled).
    `defer`: the sequence moves back one slot. The schedule is a row of slots (dates);
    the next open line and every line after it (all unsent) take the slot of the line
    after them, and the last line takes a new slot at the end of the schedule (the date
    the program gives the next shipment). The line count stays the program's, so no
    shipment is lost or added; later extensions continue from the new last slot.
    """
    line = _next_open(order, "skip")
    if mode == "forfeit":
        forfeited = line.model_copy(update={"state": "forfeited"})
        return _with_lines(order, [forfeited]), forfeited
    tail = order.lines[order.lines.index(line) :]
    slots = [slot(later) for later in tail[1:]] + [_slot_after(program, tail[-1], order.quantity)]
    moved = [
        later.model_copy(update={"ship_date": s.on, "anchor_day": s.anchor_day})
        for later, s in zip(tail, slots, strict=True)
    ]
    return _with_lines(order, moved), moved[0]


def _slot_after(program: Program, last: Line, quantity: int) -> AnchoredDate:
    following = schedule_after(program, last, 1, quantity)
    if following:
        return slot(following[0])
    # The program has ended: one more step of the last line's own event.
    event = next((e for e in program.events if e.event_id == last.event_id), None)
    if event is None:
        raise Rejected(f"program {program.program_id} has no event {last.event_id}; is it the order's version?")
    return slot(last).advance(event.interval)


def swap_next(order: Order, lines: list[ProductLine]) -> tuple[Order, Line]:
    """Ship `lines` (as given: the exact quantities to ship) instead of the next open shipment's products."""
    if not lines:
        raise Rejected("a swap needs at least one product line")
    swapped = _next_open(order, "swap").model_copy(update={"lines": lines})
    return _with_lines(order, [swapped]), swapped


def pause(order: Order, until: date | None, business_date: date) -> Order:
    """Pause until `until` (the first business date shipping again) or, with None, until resumed.

    A pause whose `until` has come counts as over, so it may be paused again.
    """
    _check_running(order)
    if until is not None and until <= business_date:
        raise Rejected(f"pause end {until} is not after the business date {business_date}")
    if order.status == "paused" and (order.paused_until is None or order.paused_until > business_date):
        raise Rejected(f"order {order.continuity_order_id} is already paused")
    return order.model_copy(update={"status": "paused", "paused_until": until})


def resume(order: Order) -> Order:
    if order.status != "paused":
        raise Rejected(f"order {order.continuity_order_id} is {order.status}, not paused")
    return order.model_copy(update={"status": "active", "paused_until": None})


def change_start_date(order: Order, program: Program, new_start: date, business_date: date) -> tuple[Order, list[Line]]:
    """Re-plan every line's date from a new start date; only before any child order exists.

    A start before the business date becomes the business date. The dates are planned
    afresh, so an earlier defer is absorbed (the new start says when to begin).
    """
    _check_running(order)
    if order.children:
        raise Rejected(f"order {order.continuity_order_id} already has child orders; its start date is fixed")
    start = max(new_start, business_date)
    fresh = _plan(order, program, start, len(order.lines))
    replanned = [
        line.model_copy(update={"ship_date": new.ship_date, "anchor_day": new.anchor_day})
        for line, new in zip(order.lines, fresh, strict=False)
    ]
    moved = [line for line, old in zip(replanned, order.lines, strict=True) if line != old]
    return order.model_copy(update={"start_date": start, "lines": replanned}), moved


def _plan(order: Order, program: Program, start: date, count: int) -> list[Line]:
    """The first `count` shipments of `program` from `start`, beginning at the order's first event."""
    if count < 1 or not order.lines:
        return []
    first = anchored(program, initial_lines(program, start, order.quantity, 1, order.lines[0].event_id)[:1], None)
    return first + schedule_after(program, first[0], count - 1, order.quantity)


def cancel(order: Order, reason: str) -> tuple[Order, list[Line]]:
    """Cancel the order: its open lines are cancelled and returned (their price is refunded when prepaid)."""
    _check_running(order)
    return _stop(order, "cancelled", reason)


def close(order: Order) -> tuple[Order, list[Line]]:
    """Operator close: the order stops at once, as a cancel does, but ends `closed`.

    Open lines are cancelled and returned like a cancel's, so billing refunds them for a
    prepaid order: we never keep money for a shipment that will not happen.
    """
    _check_running(order)
    return _stop(order, "closed", None)


def _stop(order: Order, status: Literal["cancelled", "closed"], reason: str | None) -> tuple[Order, list[Line]]:
    cancelled = [line.model_copy(update={"state": "cancelled"}) for line in order.lines if line.is_open]
    stopped = _with_lines(order, cancelled).model_copy(
        update={"status": status, "cancel_reason": reason, "complete": True, "paused_until": None}
    )
    return stopped, cancelled


def apply_update(order: Order, program: Program, version: int) -> tuple[Order, Update]:
    """Follow program `version`: every line without a child order is re-planned from it.

    The lines after the last one with a child order are re-scheduled from that line on
    (from the order's start date when there is none): products, prices and dates, keeping
    their numbers and their states (a forfeited slot stays forfeited). Lines the new
    version has no shipment for are dropped; more lines come through extension. A pending
    defer or swap is absorbed. Applying the version the order follows changes nothing,
    so a repeated command is harmless; an older version is rejected.
    """
    if version < order.program_version:
        raise Rejected(f"order {order.continuity_order_id} already follows version {order.program_version}")
    if version == order.program_version or is_ended(order):
        return order, Update(rewritten=[], dropped=[])
    sent = max((i + 1 for i, line in enumerate(order.lines) if line.child_order_id is not None), default=0)
    kept, unsent = order.lines[:sent], order.lines[sent:]
    if kept:
        fresh = schedule_after(program, kept[-1], len(unsent), order.quantity)
    else:
        fresh = _plan(order, program, order.start_date, len(unsent))
    rewritten = [
        new.model_copy(update={"line_no": old.line_no, "state": old.state})
        for old, new in zip(unsent, fresh, strict=False)
    ]
    lines = kept + rewritten
    complete = not lines or not has_more_occurrences(program, [to_scheduled(lines[-1])])
    updated = order.model_copy(
        update={
            "lines": lines,
            "program_version": version,
            "currency": program.currency,
            "consolidate": program.consolidate_past_orders,
            "complete": complete,
        }
    )
    changed = [new for old, new in zip(unsent, rewritten, strict=False) if new != old]
    return updated, Update(rewritten=changed, dropped=unsent[len(rewritten) :])

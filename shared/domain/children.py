"""Making child orders from due lines, releasing them, holding the order, and extending its lines.

Child order ids derive from the continuity order id and the (first) line number, so a
replayed or redelivered tick can never make a second child for a line: the line is
already `generated`, and even a stale copy of the order yields the same id, which the
store's unique `_id` turns away.
"""

from datetime import date

from contracts.admin import Program
from shared.domain.errors import Rejected
from shared.domain.order import Child, Line, Order, due_lines, is_ended, price, schedule_after, to_scheduled
from shared.domain.schedule import has_more_occurrences


def child_order_id(order: Order, line_no: int) -> str:
    return f"{order.continuity_order_id}-{line_no:04d}"


def generate_children(
    order: Order, business_date: date, lead_days: int, limit: int | None, authorize: bool,
    ships_by: date | None = None,
) -> tuple[Order, list[Child]]:
    """Child orders for the lines due on `business_date`, in line (= event) order, at most `limit`.

    Without consolidation each due line becomes one child shipping on the line's date.
    With consolidation all lines due at this call become ONE child, numbered after its
    first line and shipping on the latest ship date among them, so that no product
    ships before its own date and a one-line child is the same either way.
    `limit` None means no cap; 0 means none this time. A payment-gated child
    (`authorize`) is made unreleased and waits for `release_child`. Lines shipping after
    `ships_by` wait for a later call.
    """
    due = due_lines(order, business_date, lead_days, ships_by)
    if not due or (limit is not None and limit <= 0):
        return order, []
    groups = [due] if order.consolidate else [[line] for line in due][:limit]
    children = [_child(order, group, released=not authorize) for group in groups]
    made = {line.line_no: child.child_order_id for child, group in zip(children, groups, strict=True) for line in group}
    lines = [
        line.model_copy(update={"state": "generated", "child_order_id": made[line.line_no]})
        if line.line_no in made
        else line
        for line in order.lines
    ]
    return order.model_copy(update={"lines": lines, "children": [*order.children, *children]}), children


def _child(order: Order, lines: list[Line], released: bool) -> Child:
    return Child(
        child_order_id=child_order_id(order, lines[0].line_no),
        line_nos=[line.line_no for line in lines],
        ship_date=max(line.ship_date for line in lines),
        total=price(lines, order.currency),
        prepaid=order.prepaid,
        released=released,
    )


def release_child(order: Order, child_order_id: str) -> tuple[Order, Child | None]:
    """Release a payment-gated child; None when it was already released (a repeat changes nothing)."""
    child = next((c for c in order.children if c.child_order_id == child_order_id), None)
    if child is None:
        raise Rejected(f"order {order.continuity_order_id} has no child order {child_order_id}")
    if child.released:
        return order, None
    released = child.model_copy(update={"released": True})
    children = [released if c.child_order_id == child_order_id else c for c in order.children]
    return order.model_copy(update={"children": children}), released


def set_hold(order: Order, held_from: date | None) -> Order:
    """Billing's hold from a business date on (a due payment failed), or its release (None)."""
    return order.model_copy(update={"held_from": held_from})


def extend(order: Order, program: Program, count: int) -> tuple[Order, list[Line]]:
    """Schedule up to `count` more lines continuing the sequence; marks the order complete at its end.

    `program` is the version the order follows. Asking more of a complete order is rejected,
    so the on-demand command says why nothing happened; the automatic extension asks only
    when `needs_extension` says so.
    """
    if count < 1:
        raise Rejected(f"extend needs a count of at least 1, got {count}")
    if is_ended(order):
        raise Rejected(f"order {order.continuity_order_id} is {order.status}")
    if order.complete or not order.lines:
        raise Rejected(f"order {order.continuity_order_id} has no further occurrences to schedule")
    added = schedule_after(program, order.lines[-1], count, order.quantity)
    lines = [*order.lines, *added]
    complete = not has_more_occurrences(program, [to_scheduled(lines[-1])])
    return order.model_copy(update={"lines": lines, "complete": complete}), added

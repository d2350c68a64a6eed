"""Bring one order up to a business date: make its due child orders, keep enough lines scheduled,
and say so in messages. Used by the tick, by new orders and by every command that moves lines."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from contracts.admin import Parameters, Program
from contracts.events import ChildOrderGenerated, LinesExtended, ShipmentsEnded
from contracts.fulfillment import ChildOrderCreated
from contracts.notifications import NotificationRequested
from contracts.topics import CHILD_ORDERS, EVENTS, NOTIFICATIONS
from shared.domain.children import extend, generate_children
from shared.domain.order import (
    Child,
    Line,
    Order,
    is_blocked,
    is_ended,
    is_final,
    needs_extension,
    open_lines,
    to_scheduled,
)
from shared.messaging.outgoing import Outgoing


@dataclass
class Progress:
    order: Order
    children: list[Child] = field(default_factory=list)
    extended: list[Line] = field(default_factory=list)


def progress(
    order: Order, program: Program, business_date: date, params: Parameters, limit: int | None,
    through: date | None = None,
) -> Progress:
    """Generate what is due, extend below the threshold, and again while extension brought due lines.

    `through` (a capped tick walking the ship dates) leaves lines shipping after that day for
    later, so that the cap goes to the oldest ship dates of all orders. A consolidating order
    still gets all its due lines at once: one child order is what consolidation promises.
    """
    result = Progress(order)
    ships_by = None if order.consolidate else through
    authorize = params.authorize_child_orders and not order.prepaid  # prepaid children are paid already
    if order.status == "paused" and order.paused_until is not None and order.paused_until <= business_date:
        result.order = order.model_copy(update={"status": "active", "paused_until": None})
    if result.order.consolidate:
        result.order, result.extended = _schedule_due(result.order, program, business_date, params)
    while True:
        remaining = None if limit is None else limit - len(result.children)
        result.order, made = generate_children(
            result.order, business_date, params.delivery_lead_days, remaining, authorize, ships_by
        )
        result.children += made
        added: list[Line] = []
        if needs_extension(result.order, params.repeat_threshold):
            count = params.repeat_threshold - len(open_lines(result.order))
            result.order, added = extend(result.order, program, count)
            result.extended += added
        if not made or not added:
            return result


def _schedule_due(order: Order, program: Program, business_date: date, params: Parameters) -> tuple[Order, list[Line]]:
    """Schedule every shipment due by `business_date`, so that consolidation puts them all in ONE child.

    Without this, lines scheduled by the extension after a first consolidated child would
    make a second child for the same catch-up (one per `repeat_threshold` lines).
    """
    horizon = business_date + timedelta(days=params.delivery_lead_days)
    added: list[Line] = []
    while (
        order.lines and not order.complete and not is_ended(order) and not is_blocked(order, business_date)
        and order.lines[-1].ship_date <= horizon
    ):
        order, more = extend(order, program, params.repeat_threshold)
        if not more:
            break
        added += more
    return order, added


def child_messages(order: Order, child: Child, occurred_at: datetime) -> list[Outgoing]:
    """The messages of a child order: to fulfilment when released, and as an event always."""
    key = order.continuity_order_id
    generated = ChildOrderGenerated(
        message_id=f"child_order.generated:{child.child_order_id}",
        occurred_at=occurred_at,
        child_order_id=child.child_order_id,
        continuity_order_id=key,
        customer_id=order.customer_id,
        ship_date=child.ship_date,
        scheduled_line_nos=child.line_nos,
        total=child.total,
        prepaid=child.prepaid,
        released=child.released,
        final=is_final(order) and child.line_nos[-1] == max(c.line_nos[-1] for c in order.children),
    )
    messages = [Outgoing.of(EVENTS, key, generated)]
    if child.released:
        messages += released_messages(order, child, occurred_at)
    return messages


def released_messages(order: Order, child: Child, occurred_at: datetime) -> list[Outgoing]:
    key = order.continuity_order_id
    lines = [product for line in order.lines if line.line_no in child.line_nos for product in line.lines]
    created = ChildOrderCreated(
        message_id=f"child_order.created:{child.child_order_id}",
        occurred_at=occurred_at,
        child_order_id=child.child_order_id,
        continuity_order_id=key,
        customer_id=order.customer_id,
        ship_to=order.ship_to,
        ship_date=child.ship_date,
        lines=lines,
        total=child.total,
        scheduled_line_nos=child.line_nos,
        prepaid=child.prepaid,
    )
    notice = NotificationRequested(
        message_id=f"notification:child_order_created:{child.child_order_id}",
        occurred_at=occurred_at,
        kind="child_order_created",
        customer_id=order.customer_id,
        continuity_order_id=key,
        data={"child_order_id": child.child_order_id, "ship_date": child.ship_date.isoformat(),
              "total": str(child.total.amount), "currency": child.total.currency},
    )
    return [Outgoing.of(CHILD_ORDERS, key, created), Outgoing.of(NOTIFICATIONS, key, notice)]


def progress_messages(result: Progress, occurred_at: datetime) -> list[Outgoing]:
    messages = [m for child in result.children for m in child_messages(result.order, child, occurred_at)]
    if result.extended:
        extended = LinesExtended(
            message_id=f"lines.extended:{result.order.continuity_order_id}:{result.extended[0].line_no}",
            occurred_at=occurred_at,
            continuity_order_id=result.order.continuity_order_id,
            scheduled_lines=[to_scheduled(line) for line in result.extended],
        )
        messages.append(Outgoing.of(EVENTS, result.order.continuity_order_id, extended))
    return messages


def ended_messages(before: Order, result: Progress, reason: str, cause: str, occurred_at: datetime) -> list[Outgoing]:
    """Closing learns that an order ships no more from its last child's `final`; when a command ends
    the shipments without making a child order (forfeiting the last open line, an update dropping
    the unsent rest), this says it instead. A cancel says so itself (`order.cancelled`)."""
    after = result.order
    if is_final(before) or not is_final(after) or result.children or after.status in ("cancelled", "closed"):
        return []
    key = after.continuity_order_id
    ended = ShipmentsEnded(
        message_id=f"order.shipments_ended:{key}:{cause}", occurred_at=occurred_at, continuity_order_id=key,
        reason=reason,
    )
    return [Outgoing.of(EVENTS, key, ended)]

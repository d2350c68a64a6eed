"""Use cases of closing: lines close when their child order is invoiced; the order closes when
nothing is outstanding (see shared.domain.closing)."""

from collections.abc import Callable
from typing import Any, Literal

from pymongo.asynchronous.database import AsyncDatabase

from contracts.base import Envelope
from contracts.events import (
    BillingSettled,
    ChildOrderGenerated,
    ContinuityOrderClosed,
    ContinuityOrderCreated,
    LineClosed,
    OrderCancelled,
    PaymentSettled,
    ShipmentsEnded,
)
from contracts.fulfillment import ChildOrderInvoiced
from contracts.notifications import NotificationRequested
from contracts.topics import EVENTS, NOTIFICATIONS
from shared.domain import closing
from shared.domain.closing import Closure
from shared.domain.errors import Rejected
from shared.messaging.outbox import Decision, Outbox
from shared.messaging.outgoing import Outgoing
from shared.store.billing import is_settled
from shared.store.documents import Documents

Change = Callable[[Closure], Closure]


class Closing:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], closures: Documents[Closure], outbox: Outbox) -> None:
        self._db = db
        self._closures = closures
        self._outbox = outbox

    async def on_order_created(self, message: ContinuityOrderCreated) -> None:
        def decide(closure: Closure | None) -> Decision[Closure]:
            if closure is not None:
                return Decision(None)
            return Decision(Closure(continuity_order_id=message.continuity_order_id, customer_id=message.customer_id))

        await self._outbox.apply(self._closures, message.continuity_order_id, message.message_id, decide)

    async def on_child_generated(self, message: ChildOrderGenerated) -> None:
        await self._change(
            message,
            message.continuity_order_id,
            lambda c: closing.child_made(
                c, message.child_order_id, message.scheduled_line_nos, message.final, message.prepaid
            ),
        )

    async def on_invoiced(self, message: ChildOrderInvoiced) -> None:
        await self._change(
            message, closing.order_id_of(message.child_order_id), lambda c: closing.invoiced(c, message.child_order_id)
        )

    async def on_cancelled(self, message: OrderCancelled) -> None:
        await self._change(message, message.continuity_order_id, closing.cancelled)

    async def on_shipments_ended(self, message: ShipmentsEnded) -> None:
        await self._change(message, message.continuity_order_id, closing.ended)

    async def on_payment_settled(self, message: PaymentSettled) -> None:
        await self._change(message, message.continuity_order_id, lambda c: closing.paid(c, message.child_order_id))

    async def on_billing_settled(self, message: BillingSettled) -> None:
        await self._change(message, message.continuity_order_id, lambda c: c)

    async def _change(self, message: Envelope, order_id: str, change: Change) -> None:
        settled = await is_settled(self._db, order_id)

        def decide(closure: Closure | None) -> Decision[Closure]:
            if closure is None:
                raise Rejected(f"{message.type} for unknown continuity order {order_id!r}")
            before, after = closure, change(closure)
            messages = _lines_closed(message, before, after)
            reason = closing.closable(after, settled)
            if reason is not None:
                after = after.model_copy(update={"closed": True})
                messages += _order_closed(message, after, reason)
            return Decision(after, messages) if after != before else Decision(None)

        await self._outbox.apply(self._closures, order_id, message.message_id, decide)


def _lines_closed(message: Envelope, before: Closure, after: Closure) -> list[Outgoing]:
    """A child's lines close once it is both made and invoiced (the two may arrive in either order)."""
    done = {c for c in after.invoiced if c in after.children} - {c for c in before.invoiced if c in before.children}
    return [
        Outgoing.of(
            EVENTS,
            after.continuity_order_id,
            LineClosed(
                message_id=f"line.closed:{child}",
                occurred_at=message.occurred_at,
                continuity_order_id=after.continuity_order_id,
                child_order_id=child,
                line_nos=after.children[child],
            ),
        )
        for child in sorted(done)
    ]


def _order_closed(message: Envelope, closure: Closure, reason: Literal["completed", "cancelled"]) -> list[Outgoing]:
    key = closure.continuity_order_id
    closed = ContinuityOrderClosed(
        message_id=f"continuity_order.closed:{key}",
        occurred_at=message.occurred_at,
        continuity_order_id=key,
        customer_id=closure.customer_id,
        reason=reason,
    )
    notice = NotificationRequested(
        message_id=f"notification:order_closed:{key}",
        occurred_at=message.occurred_at,
        kind="order_closed",
        customer_id=closure.customer_id,
        continuity_order_id=key,
        data={"reason": reason},
    )
    return [Outgoing.of(EVENTS, key, closed), Outgoing.of(NOTIFICATIONS, key, notice)]

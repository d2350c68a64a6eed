"""Use cases that create or unblock an order: a new continuity order, billing's holds, payment-gated
release. Each brings the order up to the current business date right away."""

from datetime import date

from contracts.events import (
    ChildOrderReleased,
    ContinuityOrderCreated,
    OrderHoldReleased,
    OrderOnHold,
    PaymentSettled,
)
from contracts.topics import EVENTS
from services.children.context import Reference
from services.children.progress import progress, progress_messages, released_messages
from shared.domain.children import release_child, set_hold
from shared.domain.order import Order, new_order
from shared.messaging.outbox import Decision, Outbox
from shared.messaging.outgoing import Outgoing
from shared.store.documents import Documents


class OrderLifecycle:
    def __init__(self, orders: Documents[Order], reference: Reference, outbox: Outbox) -> None:
        self._orders = orders
        self._reference = reference
        self._outbox = outbox

    async def on_order_created(self, message: ContinuityOrderCreated) -> None:
        program = await self._reference.program(message.program_id, message.program_version)
        params = await self._reference.parameters()
        today = await self._reference.business_date()

        def decide(existing: Order | None) -> Decision[Order]:
            if existing is not None:
                return Decision(None)
            order = new_order(message, program)
            if today is None:
                return Decision(order)
            result = progress(order, program, today, params, None)
            return Decision(result.order, progress_messages(result, message.occurred_at))

        await self._outbox.apply(self._orders, message.continuity_order_id, message.message_id, decide)

    async def on_hold(self, message: OrderOnHold) -> None:
        await self._set_hold(message, message.effective_from)

    async def on_hold_released(self, message: OrderHoldReleased) -> None:
        await self._set_hold(message, None)

    async def _set_hold(self, message: OrderOnHold | OrderHoldReleased, held_from: date | None) -> None:
        """Hold from a date (None: release), then catch up: a later hold frees what falls due before it."""
        order_id = message.continuity_order_id
        stored = await self._orders.get(order_id)
        if stored is None:
            return
        program = await self._reference.program(stored.state.program_id, stored.state.program_version)
        params = await self._reference.parameters()
        today = await self._reference.business_date()

        def decide(order: Order | None) -> Decision[Order]:
            assert order is not None
            order = set_hold(order, held_from)
            if today is None:
                return Decision(order)
            result = progress(order, program, today, params, None)
            return Decision(result.order, progress_messages(result, message.occurred_at))

        await self._outbox.apply(self._orders, order_id, message.message_id, decide)

    async def on_payment_settled(self, message: PaymentSettled) -> None:
        """A payment-gated child order goes to fulfilment once its own payment succeeded."""
        child_id = message.child_order_id
        if child_id is None:
            return

        def decide(order: Order | None) -> Decision[Order]:
            if order is None:
                return Decision(None)
            order, child = release_child(order, child_id)
            if child is None:
                return Decision(None)
            released = ChildOrderReleased(
                message_id=f"child_order.released:{child_id}",
                occurred_at=message.occurred_at,
                child_order_id=child_id,
                continuity_order_id=order.continuity_order_id,
            )
            key = order.continuity_order_id
            messages = [*released_messages(order, child, message.occurred_at), Outgoing.of(EVENTS, key, released)]
            return Decision(order, messages)

        await self._outbox.apply(self._orders, message.continuity_order_id, message.message_id, decide)

"""Use cases that add charges: a new continuity order (its up-front charge or installments) and a
child order of an order billed per shipment. What is due is requested at once."""

from contracts.events import ChildOrderGenerated, ContinuityOrderCreated
from services.billing.collect import collect
from services.billing.context import AccountUseCases
from shared.domain.billing import item_for_child, plan_for_order
from shared.domain.errors import Rejected
from shared.messaging.outbox import Decision
from shared.store.billing import BillingAccount, remember_items


class Accounts(AccountUseCases):
    async def on_order_created(self, message: ContinuityOrderCreated) -> None:
        params = await self._reference.parameters()
        today = await self._reference.business_date() or message.intake_date
        total = message.program_total
        items = plan_for_order(
            message.continuity_order_id,
            message.customer_id,
            message.payment,
            message.intake_date,
            message.bill_up_front,
            total,
            message.payment_schedule,
            params.on_account_bill_days,
        )
        await remember_items(self._db, items)
        account = BillingAccount(
            continuity_order_id=message.continuity_order_id,
            customer_id=message.customer_id,
            payment=message.payment,
            currency=total.currency if total else None,
            prepaid=message.bill_up_front,
            items=items,
        )

        def decide(existing: BillingAccount | None) -> Decision[BillingAccount]:
            if existing is not None:
                return Decision(None)
            return Decision(*collect(account, today, message.continuity_order_id, message.occurred_at))

        await self._outbox.apply(self._accounts, message.continuity_order_id, message.message_id, decide)

    async def on_child_generated(self, message: ChildOrderGenerated) -> None:
        """Charged when made, due on the business date it is made on (the ship date may lie ahead)."""
        if message.prepaid:
            return
        stored = await self._accounts.get(message.continuity_order_id)
        if stored is None:
            raise Rejected(f"no billing account for continuity order {message.continuity_order_id!r}")
        today = await self._reference.business_date() or message.ship_date
        account = stored.state
        item = item_for_child(
            account.continuity_order_id,
            account.customer_id,
            account.payment,
            message.child_order_id,
            message.total,
            today,
        )
        await remember_items(self._db, [item])

        def decide(current: BillingAccount | None) -> Decision[BillingAccount]:
            assert current is not None
            if current.item(item.item_id) is not None or current.cancelled:
                return Decision(None)
            added = current.model_copy(update={"items": [*current.items, item], "currency": item.amount.currency})
            return Decision(*collect(added, today, message.child_order_id, message.occurred_at))

        await self._outbox.apply(self._accounts, message.continuity_order_id, message.message_id, decide)

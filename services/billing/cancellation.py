"""Use case of `order.cancelled`: charges not yet in flight are dropped; a prepaid order is refunded
for its cancelled lines once no charge is in flight (the rule is in `services.billing.collect`)."""

from contracts.events import OrderCancelled
from services.billing.collect import collect
from services.billing.context import Reference
from shared.domain.dunning import cancel
from shared.messaging.outbox import Decision, Outbox
from shared.store.billing import BillingAccount
from shared.store.documents import Documents


class Cancellation:
    def __init__(self, accounts: Documents[BillingAccount], reference: Reference, outbox: Outbox) -> None:
        self._accounts = accounts
        self._reference = reference
        self._outbox = outbox

    async def on_order_cancelled(self, message: OrderCancelled) -> None:
        today = await self._reference.business_date()

        def decide(account: BillingAccount | None) -> Decision[BillingAccount]:
            if account is None or account.cancelled:
                return Decision(None)
            items = [cancel(item) if item.state in ("scheduled", "failed") else item for item in account.items]
            cancelled = account.model_copy(
                update={
                    "items": items,
                    "cancelled": True,
                    "cancel_reason": message.reason,
                    "refund_owed": message.refund if account.prepaid else None,
                }
            )
            on = today or account.as_of or message.occurred_at.date()
            return Decision(*collect(cancelled, on, message.message_id, message.occurred_at))

        await self._outbox.apply(self._accounts, message.continuity_order_id, message.message_id, decide)

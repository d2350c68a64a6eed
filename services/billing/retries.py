"""Use case of `order.retry_payment`: charge an order's failed payments again now, on the method on
file or on a new one, which then also pays the charges still to come. A success lifts the hold."""

from contracts.base import PaymentMethod
from contracts.commands import RetryPayment
from services.billing import messages
from services.billing.collect import collect
from services.billing.context import AccountUseCases
from shared.domain.dunning import request
from shared.messaging.outbox import Decision
from shared.messaging.rejections import command_rejected
from shared.store.billing import BillingAccount


class Retries(AccountUseCases):
    async def on_retry_payment(self, command: RetryPayment) -> None:
        order_id = command.continuity_order_id
        if await self._accounts.get(order_id) is None:
            unknown = f"unknown continuity order {order_id!r}"
            await self._outbox.publisher.send([command_rejected(command, unknown, order_id)])
            return
        today = await self._reference.business_date()

        def decide(account: BillingAccount | None) -> Decision[BillingAccount]:
            assert account is not None
            if command.payment is not None:
                account = _pay_with(account, command.payment)
            failed = [item for item in account.items if item.state == "failed"]
            if account.cancelled or not failed:
                reason = "the order is cancelled" if account.cancelled else "the order has no failed payment to retry"
                return Decision(None, [command_rejected(command, reason, order_id)])
            on = today or account.as_of or command.occurred_at.date()
            out = []
            for item in failed:
                item, attempt = request(item, on)
                account = account.replace(item)
                out += messages.requested(attempt, command.occurred_at)
            account, more = collect(account, on, command.message_id, command.occurred_at)
            return Decision(account, out + more)

        await self._outbox.apply(self._accounts, order_id, command.message_id, decide)


def _pay_with(account: BillingAccount, payment: PaymentMethod) -> BillingAccount:
    """The new method for the account and every charge not yet paid or in flight."""
    items = [
        item.model_copy(update={"payment": payment}) if item.state in ("scheduled", "failed") else item
        for item in account.items
    ]
    return account.model_copy(update={"payment": payment, "items": items})

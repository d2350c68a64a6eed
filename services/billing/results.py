"""Use cases of `payments.results.v1`. Only the result of an item's latest attempt changes it; any
other (unknown request id, an older attempt, a second report) is reported as ignored and changes nothing."""

from collections.abc import Callable
from datetime import date

from contracts.payments import PaymentFailed, PaymentSucceeded
from services.billing import messages
from services.billing.collect import collect
from services.billing.context import AccountUseCases
from shared.domain.billing import BillingItem
from shared.domain.dunning import IgnoredResult, UnknownResult, cancel, fail, item_id_of, succeed
from shared.messaging.outbox import Decision
from shared.messaging.outgoing import Outgoing
from shared.store.billing import BillingAccount, order_of_item

Outcome = tuple[BillingItem, list[Outgoing]]
Result = PaymentSucceeded | PaymentFailed


class Results(AccountUseCases):
    async def on_payment_succeeded(self, message: PaymentSucceeded) -> None:
        rid = message.payment_request_id
        await self._apply(
            message, lambda item, _, __: (succeed(item, rid), messages.settled(item, rid, message.occurred_at))
        )

    async def on_payment_failed(self, message: PaymentFailed) -> None:
        rid = message.payment_request_id
        retry_days = (await self._reference.parameters()).payment_retry_days

        def failed(item: BillingItem, today: date, cancelled: bool) -> Outcome:
            item, outcome = fail(item, rid, today, [] if cancelled else retry_days)
            return item, messages.declined(item, rid, outcome, message.reason, message.occurred_at)

        await self._apply(message, failed)

    async def _apply(self, message: Result, outcome: Callable[[BillingItem, date, bool], Outcome]) -> None:
        rid = message.payment_request_id
        try:
            order_id = await order_of_item(self._db, item_id_of(rid))
            if order_id is None:
                raise UnknownResult(f"{rid!r} is not a payment request of ours")
        except UnknownResult as unknown:
            await self._outbox.publisher.send(
                messages.ignored(rid, rid, unknown.reason, message.message_id, message.occurred_at)
            )
            return
        today = await self._reference.business_date()

        def decide(account: BillingAccount | None) -> Decision[BillingAccount]:
            item = None if account is None else account.item(item_id_of(rid))
            if account is None or item is None:
                reason = f"{rid!r} is not a payment request of ours"
                return Decision(None, messages.ignored(rid, order_id, reason, message.message_id, message.occurred_at))
            on = today or item.requested_on or item.due_date
            try:
                changed, out = outcome(item, on, account.cancelled)
            except IgnoredResult as ignored:
                return Decision(
                    None, messages.ignored(rid, order_id, ignored.reason, message.message_id, message.occurred_at)
                )
            if account.cancelled and changed.state == "failed":
                changed = cancel(changed)  # a cancelled order's charge is not retried
            account, more = collect(account.replace(changed), on, rid, message.occurred_at)
            return Decision(account, out + more)

        await self._outbox.apply(self._accounts, order_id, message.message_id, decide)

"""Billing: charges of continuity orders (`continuity.events.v1`), their results
(`payments.results.v1`), retries as the business date moves (`continuity.internal.ticks.v1`) and
on an operator's `order.retry_payment` (`continuity.commands.v1`)."""

from contracts.commands import RetryPayment
from contracts.events import ChildOrderGenerated, ContinuityOrderCreated, OrderCancelled
from contracts.internal import BusinessDateAccepted
from contracts.payments import PaymentFailed, PaymentSucceeded
from contracts.topics import COMMANDS, EVENTS, PAYMENT_RESULTS, TICKS
from services.billing.accounts import Accounts
from services.billing.cancellation import Cancellation
from services.billing.context import Reference
from services.billing.results import Results
from services.billing.retries import Retries
from services.billing.ticks import Ticks
from shared.messaging.runtime import Runtime
from shared.settings import Settings
from shared.store import billing

SERVICE = "billing"


def create(settings: Settings) -> Runtime:
    runtime = Runtime(SERVICE, settings)
    account_docs = billing.accounts(runtime.db)
    reference = Reference(runtime.db)
    accounts = Accounts(runtime.db, account_docs, reference, runtime.outbox)
    results = Results(runtime.db, account_docs, reference, runtime.outbox)
    cancellation = Cancellation(account_docs, reference, runtime.outbox)
    retries = Retries(runtime.db, account_docs, reference, runtime.outbox)
    ticks = Ticks(runtime.db, account_docs, billing.cursor(runtime.db), runtime.outbox)

    async def prepare() -> None:
        await billing.ensure_indexes(runtime.db)
        await runtime.outbox.sweep(account_docs)

    runtime.startup.append(prepare)
    runtime.consume(
        [EVENTS, PAYMENT_RESULTS, TICKS, COMMANDS],
        {
            ContinuityOrderCreated: accounts.on_order_created,
            ChildOrderGenerated: accounts.on_child_generated,
            OrderCancelled: cancellation.on_order_cancelled,
            PaymentSucceeded: results.on_payment_succeeded,
            PaymentFailed: results.on_payment_failed,
            BusinessDateAccepted: ticks.on_business_date,
            RetryPayment: retries.on_retry_payment,
        },
    )
    return runtime

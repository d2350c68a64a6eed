"""Closing: scheduled lines close on invoicing, orders close when nothing is outstanding."""

from contracts.events import (
    BillingSettled,
    ChildOrderGenerated,
    ContinuityOrderCreated,
    OrderCancelled,
    PaymentSettled,
    ShipmentsEnded,
)
from contracts.fulfillment import ChildOrderInvoiced
from contracts.topics import EVENTS, FULFILLMENT_STATUS
from services.closing.closures import Closing
from shared.domain.closing import Closure
from shared.messaging.runtime import Runtime
from shared.settings import Settings
from shared.store.documents import Documents

SERVICE = "closing"


def create(settings: Settings) -> Runtime:
    runtime = Runtime(SERVICE, settings)
    closures = Documents(runtime.db["closures"], Closure)
    use_cases = Closing(runtime.db, closures, runtime.outbox)

    async def prepare() -> None:
        await runtime.db["closures"].create_index("outbox_pending")
        await runtime.outbox.sweep(closures)

    runtime.startup.append(prepare)
    runtime.consume(
        [EVENTS, FULFILLMENT_STATUS],
        {
            ContinuityOrderCreated: use_cases.on_order_created,
            ChildOrderGenerated: use_cases.on_child_generated,
            ChildOrderInvoiced: use_cases.on_invoiced,
            OrderCancelled: use_cases.on_cancelled,
            ShipmentsEnded: use_cases.on_shipments_ended,
            PaymentSettled: use_cases.on_payment_settled,
            BillingSettled: use_cases.on_billing_settled,
        },
    )
    return runtime

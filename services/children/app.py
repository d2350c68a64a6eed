"""Children: continuity orders' scheduled lines, child orders, extension and customer commands."""

from typing import get_args

from contracts.commands import ApplyUpdate, OrderCommandMessage
from contracts.events import ContinuityOrderCreated, OrderHoldReleased, OrderOnHold, PaymentSettled
from contracts.internal import BusinessDateAccepted
from contracts.topics import COMMANDS, EVENTS, TICKS
from services.children.commands import OrderCommands
from services.children.context import Reference
from services.children.orders import OrderLifecycle
from services.children.ticks import Ticks
from shared.messaging.runtime import Handler, Runtime
from shared.settings import Settings
from shared.store import orders

SERVICE = "children"


def create(settings: Settings) -> Runtime:
    runtime = Runtime(SERVICE, settings)
    order_docs = orders.order_documents(runtime.db)
    reference = Reference(runtime.db)
    lifecycle = OrderLifecycle(order_docs, reference, runtime.outbox)
    ticks = Ticks(runtime.db, order_docs, orders.cursor_documents(runtime.db), reference, runtime.outbox)
    order_commands = OrderCommands(order_docs, reference, runtime.outbox)

    async def prepare() -> None:
        await orders.ensure_indexes(runtime.db)
        await runtime.outbox.sweep(order_docs)

    runtime.startup.append(prepare)
    handlers: dict[type, Handler] = {
        ContinuityOrderCreated: lifecycle.on_order_created,
        OrderOnHold: lifecycle.on_hold,
        OrderHoldReleased: lifecycle.on_hold_released,
        PaymentSettled: lifecycle.on_payment_settled,
        BusinessDateAccepted: ticks.on_business_date,
        ApplyUpdate: order_commands.on_apply_update,
    }
    handlers.update({kind: order_commands.on_order_command for kind in get_args(OrderCommandMessage)})
    runtime.consume([EVENTS, COMMANDS, TICKS], handlers)
    return runtime

"""`sales.orders.v1`: sales orders placed by upstream order systems."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.admin import PaymentSchedule
from contracts.base import Envelope, Frozen, Id, PaymentMethod, ShipTo


class SalesOrderLine(Frozen):
    line_id: Id
    item_id: Id
    quantity: int = 1
    requested_start_date: date | None = None
    payment_schedule: PaymentSchedule | None = None


class SalesOrderPlaced(Envelope):
    type: Literal["sales_order.placed"]
    sales_order_id: Id
    customer_id: Id
    order_date: date
    ship_to: ShipTo
    payment: PaymentMethod
    lines: list[SalesOrderLine]


SalesMessage = Annotated[SalesOrderPlaced, Field(discriminator="type")]

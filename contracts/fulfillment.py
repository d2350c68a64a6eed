"""`fulfillment.child-orders.v1` (out) and `fulfillment.status.v1` (in)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Envelope, Id, Money, ProductLine, ShipTo


class ChildOrderCreated(Envelope):
    """A real sales order for fulfilment, covering one scheduled line (or several when consolidating)."""

    type: Literal["child_order.created"] = "child_order.created"
    child_order_id: Id
    continuity_order_id: Id
    customer_id: Id
    ship_to: ShipTo
    ship_date: date
    lines: list[ProductLine]
    total: Money
    scheduled_line_nos: list[int]
    prepaid: bool


class ChildOrderShipped(Envelope):
    type: Literal["child_order.shipped"]
    child_order_id: Id


class ChildOrderInvoiced(Envelope):
    type: Literal["child_order.invoiced"]
    child_order_id: Id


ChildOrderMessage = Annotated[ChildOrderCreated, Field(discriminator="type")]
FulfillmentStatusMessage = Annotated[ChildOrderShipped | ChildOrderInvoiced, Field(discriminator="type")]

"""`continuity.events.v1`: what happened inside the project, in the past tense, for anyone."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.admin import Parameters, PaymentSchedule
from contracts.base import Envelope, Frozen, Id, Money, PaymentMethod, ProductLine, ShipTo


class ScheduledLine(Frozen):
    line_no: int
    event_id: int
    occurrence: int
    ship_date: date
    lines: list[ProductLine]


class ProgramAccepted(Envelope):
    type: Literal["program.accepted"] = "program.accepted"
    program_id: Id
    version: int


class ProgramRejected(Envelope):
    type: Literal["program.rejected"] = "program.rejected"
    program_id: str
    reason: str
    problems: list[str]


class ProgramDeactivated(Envelope):
    type: Literal["program.deactivated"] = "program.deactivated"
    program_id: Id
    version: int


class ParametersAccepted(Envelope):
    type: Literal["parameters.accepted"] = "parameters.accepted"
    parameters: Parameters


class ParametersRejected(Envelope):
    type: Literal["parameters.rejected"] = "parameters.rejected"
    reason: str
    problems: list[str]


class ContinuityOrderCreated(Envelope):
    type: Literal["continuity_order.created"] = "continuity_order.created"
    continuity_order_id: Id
    sales_order_id: Id
    line_id: Id
    customer_id: Id
    program_id: Id
    program_version: int
    intake_date: date = Field(
        description="the business date the order was taken on (its order date, if later): an up-front charge "
        "and the first installment fall due on it, whatever the start date"
    )
    start_date: date
    quantity: int
    ship_to: ShipTo
    payment: PaymentMethod
    bill_up_front: bool
    payment_schedule: PaymentSchedule | None
    program_total: Money | None = Field(
        description="the price of every shipment the order gets (from its starting event on); known for finite programs"
    )
    scheduled_lines: list[ScheduledLine]


class ContinuityOrderRejected(Envelope):
    type: Literal["continuity_order.rejected"] = "continuity_order.rejected"
    sales_order_id: Id
    line_id: Id
    item_id: Id
    reason: str


class CurrentEventAdvanced(Envelope):
    type: Literal["current_event.advanced"] = "current_event.advanced"
    program_id: Id
    event_id: int
    business_date: date


class BusinessDateIgnored(Envelope):
    type: Literal["business_date.ignored"] = "business_date.ignored"
    business_date: date
    current_business_date: date
    reason: str


class LinesExtended(Envelope):
    type: Literal["lines.extended"] = "lines.extended"
    continuity_order_id: Id
    scheduled_lines: list[ScheduledLine]


class ChildOrderGenerated(Envelope):
    """A child order exists. `released` says whether it already went to fulfilment (not payment-gated)."""

    type: Literal["child_order.generated"] = "child_order.generated"
    child_order_id: Id
    continuity_order_id: Id
    customer_id: Id
    ship_date: date
    scheduled_line_nos: list[int]
    total: Money
    prepaid: bool
    released: bool
    final: bool = Field(description="no further lines will ever be scheduled for this order")


class ChildOrderReleased(Envelope):
    type: Literal["child_order.released"] = "child_order.released"
    child_order_id: Id
    continuity_order_id: Id


class PaymentSettled(Envelope):
    type: Literal["payment.settled"] = "payment.settled"
    continuity_order_id: Id
    billing_item_id: Id
    payment_request_id: Id
    purpose: str
    amount: Money
    child_order_id: Id | None = None


class BillingSettled(Envelope):
    """Nothing is left to collect for the order (until a new charge arrives)."""

    type: Literal["billing.settled"] = "billing.settled"
    continuity_order_id: Id


class PaymentDeclined(Envelope):
    type: Literal["payment.declined"] = "payment.declined"
    continuity_order_id: Id
    billing_item_id: Id
    payment_request_id: Id
    attempt: int
    reason: str
    next_attempt_date: date | None


class PaymentResultIgnored(Envelope):
    type: Literal["payment_result.ignored"] = "payment_result.ignored"
    payment_request_id: Id
    reason: str


class OrderOnHold(Envelope):
    """No child orders from the business date `effective_from` on (a past date: from now), until
    `order.hold_released`. Billing says it as soon as it knows, e.g. when an installment requested
    ahead of its due date fails, so that the hold is in place before that date's tick arrives."""

    type: Literal["order.on_hold"] = "order.on_hold"
    continuity_order_id: Id
    reason: str
    effective_from: date


class OrderHoldReleased(Envelope):
    type: Literal["order.hold_released"] = "order.hold_released"
    continuity_order_id: Id


class OrderPaused(Envelope):
    type: Literal["order.paused"] = "order.paused"
    continuity_order_id: Id
    until: date | None


class OrderResumed(Envelope):
    type: Literal["order.resumed"] = "order.resumed"
    continuity_order_id: Id


class ShipmentSkipped(Envelope):
    type: Literal["order.skipped"] = "order.skipped"
    continuity_order_id: Id
    mode: Literal["defer", "forfeit"]
    line_no: int


class ShipmentsEnded(Envelope):
    """No child order will ever again be made for the order, and no child order could say so in its
    `final`: a command forfeited the last open line, or a program update dropped the unsent rest."""

    type: Literal["order.shipments_ended"] = "order.shipments_ended"
    continuity_order_id: Id
    reason: str


class ShipmentSwapped(Envelope):
    type: Literal["order.swapped"] = "order.swapped"
    continuity_order_id: Id
    line_no: int
    lines: list[ProductLine]


class ContinuityOrderUpdated(Envelope):
    type: Literal["continuity_order.updated"] = "continuity_order.updated"
    continuity_order_id: Id
    reason: str
    dry_run: bool = False
    scheduled_lines: list[ScheduledLine]


class OrderCancelled(Envelope):
    type: Literal["order.cancelled"] = "order.cancelled"
    continuity_order_id: Id
    reason: str
    cancelled_lines: list[ScheduledLine]
    refund: Money | None = Field(None, description="price of the cancelled lines, for prepaid orders")


class LineClosed(Envelope):
    type: Literal["line.closed"] = "line.closed"
    continuity_order_id: Id
    child_order_id: Id
    line_nos: list[int]


class ContinuityOrderClosed(Envelope):
    type: Literal["continuity_order.closed"] = "continuity_order.closed"
    continuity_order_id: Id
    customer_id: Id
    reason: Literal["completed", "cancelled"]


class CommandRejected(Envelope):
    type: Literal["command.rejected"] = "command.rejected"
    command_type: str
    command_message_id: Id
    continuity_order_id: Id | None = None
    program_id: Id | None = None
    reason: str


EventMessage = Annotated[
    ProgramAccepted
    | ProgramRejected
    | ProgramDeactivated
    | ParametersAccepted
    | ParametersRejected
    | ContinuityOrderCreated
    | ContinuityOrderRejected
    | CurrentEventAdvanced
    | BusinessDateIgnored
    | LinesExtended
    | ChildOrderGenerated
    | ChildOrderReleased
    | PaymentSettled
    | BillingSettled
    | PaymentDeclined
    | PaymentResultIgnored
    | OrderOnHold
    | OrderHoldReleased
    | OrderPaused
    | OrderResumed
    | ShipmentSkipped
    | ShipmentsEnded
    | ShipmentSwapped
    | ContinuityOrderUpdated
    | OrderCancelled
    | LineClosed
    | ContinuityOrderClosed
    | CommandRejected,
    Field(discriminator="type"),
]

"""`notifications.v1`: what a messaging service needs to tell the customer."""

from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Envelope, Id

NotificationKind = Literal[
    "payment_requested",
    "payment_failed",
    "order_on_hold",
    "child_order_created",
    "order_closed",
    "refund_requested",
]


class NotificationRequested(Envelope):
    type: Literal["notification.requested"] = "notification.requested"
    kind: NotificationKind
    customer_id: Id
    continuity_order_id: Id
    data: dict[str, str] = Field(default_factory=dict, description="template variables")


NotificationMessage = Annotated[NotificationRequested, Field(discriminator="type")]

"""Topic names and what each carries. `Topics(prefix)` names them for one deployment or test."""

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from contracts.admin import AdminMessage
from contracts.clock import ClockMessage
from contracts.commands import CommandMessage
from contracts.events import EventMessage
from contracts.fulfillment import ChildOrderMessage, FulfillmentStatusMessage
from contracts.internal import TickMessage
from contracts.notifications import NotificationMessage
from contracts.payments import PaymentRequestMessage, PaymentResultMessage
from contracts.sales import SalesMessage

ADMIN = "continuity.admin.v1"
SALES_ORDERS = "sales.orders.v1"
CLOCK = "continuity.clock.v1"
COMMANDS = "continuity.commands.v1"
PAYMENT_RESULTS = "payments.results.v1"
FULFILLMENT_STATUS = "fulfillment.status.v1"
CHILD_ORDERS = "fulfillment.child-orders.v1"
PAYMENT_REQUESTS = "payments.requests.v1"
NOTIFICATIONS = "notifications.v1"
EVENTS = "continuity.events.v1"
TICKS = "continuity.internal.ticks.v1"

# Every business-date message travels on this one key, so one partition keeps the dates in order.
CLOCK_KEY = "clock"

MESSAGES: dict[str, Any] = {
    ADMIN: AdminMessage,
    SALES_ORDERS: SalesMessage,
    CLOCK: ClockMessage,
    COMMANDS: CommandMessage,
    PAYMENT_RESULTS: PaymentResultMessage,
    FULFILLMENT_STATUS: FulfillmentStatusMessage,
    CHILD_ORDERS: ChildOrderMessage,
    PAYMENT_REQUESTS: PaymentRequestMessage,
    NOTIFICATIONS: NotificationMessage,
    EVENTS: EventMessage,
    TICKS: TickMessage,
}
"""Every topic the project uses, with the union of message types it carries."""

ADAPTERS: dict[str, TypeAdapter[Any]] = {topic: TypeAdapter(kind) for topic, kind in MESSAGES.items()}


def dead_letter(topic: str) -> str:
    return f"{topic}.dlq"


@dataclass(frozen=True)
class Topics:
    """Physical topic names: the logical name behind an optional prefix (a test namespace)."""

    prefix: str = ""

    def name(self, topic: str) -> str:
        return f"{self.prefix}{topic}"

    def logical(self, physical: str) -> str:
        return physical.removeprefix(self.prefix)

    def all_with_dead_letters(self) -> list[str]:
        return [self.name(name) for topic in MESSAGES for name in (topic, dead_letter(topic))]

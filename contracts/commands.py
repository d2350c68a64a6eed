"""`continuity.commands.v1`: customer-service and operator commands."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Command, Id, OrderCommand, PaymentMethod, ProductLine


class SkipNext(OrderCommand):
    type: Literal["order.skip"]
    mode: Literal["defer", "forfeit"]


class SwapNext(OrderCommand):
    type: Literal["order.swap_next"]
    lines: Annotated[list[ProductLine], Field(min_length=1)]


class Pause(OrderCommand):
    type: Literal["order.pause"]
    until: date | None = None


class Resume(OrderCommand):
    type: Literal["order.resume"]


class ChangeStartDate(OrderCommand):
    type: Literal["order.change_start_date"]
    start_date: date


class Cancel(OrderCommand):
    type: Literal["order.cancel"]
    reason: str = ""


class ExtendLines(OrderCommand):
    type: Literal["order.extend_lines"]
    count: Annotated[int, Field(ge=1, le=1000)]


class Close(OrderCommand):
    type: Literal["order.close"]


class ApplyUpdate(Command):
    type: Literal["program.apply_update"]
    program_id: Id
    dry_run: bool = False


class RetryPayment(OrderCommand):
    """Charge the order's failed payments again now (say, once the customer fixed the card), each
    under the idempotency key of its charge. `payment` replaces the method on file for them and for
    every charge still to come. A success lifts the order's hold."""

    type: Literal["order.retry_payment"]
    payment: PaymentMethod | None = None


OrderCommandMessage = SkipNext | SwapNext | Pause | Resume | ChangeStartDate | Cancel | ExtendLines | Close
"""The commands the children service carries out (billing carries out `order.retry_payment`)."""
CommandMessage = Annotated[OrderCommandMessage | ApplyUpdate | RetryPayment, Field(discriminator="type")]

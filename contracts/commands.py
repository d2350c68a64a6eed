"""`continuity.commands.v1`: customer-service and operator commands."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Command, Id, OrderCommand, ProductLine


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


OrderCommandMessage = SkipNext | SwapNext | Pause | Resume | ChangeStartDate | Cancel | ExtendLines | Close
CommandMessage = Annotated[OrderCommandMessage | ApplyUpdate, Field(discriminator="type")]

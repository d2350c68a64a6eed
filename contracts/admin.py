"""`continuity.admin.v1`: programs and call-center parameters.

The models check shape only; business rules (consecutive event ids, a shippable event, ...)
are the domain's, so that a program breaking them gets `program.rejected` listing every problem.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.base import Envelope, Frozen, Id, ProductLine


class Interval(Frozen):
    unit: Literal["day", "week", "month"]
    count: int


class PaymentSchedule(Frozen):
    """Installments of an up-front total: `count` payments, one every `interval`."""

    count: int
    interval: Interval


class Event(Frozen):
    event_id: int
    action: Literal["normal", "skip", "end"] = "normal"
    occurrences: int | None = Field(1, description="null = unlimited (evergreen)")
    interval: Interval
    lines: list[ProductLine] = []


class Program(Frozen):
    program_id: Id
    name: str
    parent_item_id: Id
    active: bool = True
    order_start: Literal["first_event", "current_event"] = "first_event"
    program_start_date: date | None = None
    days_after_order: int = 0
    prompt_for_start_date: bool = False
    consolidate_past_orders: bool = False
    bill_up_front: bool = False
    payment_schedule: PaymentSchedule | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    events: list[Event]


class Parameters(Frozen):
    """Global call-center parameters; defaults as in docs/domain.md."""

    delivery_lead_days: int = 0
    repeat_threshold: int = 12
    max_child_orders_per_run: int = 0
    authorize_child_orders: bool = False
    on_account_bill_days: int = 0
    payment_retry_days: list[int] = [1, 3, 7]


class ProgramUpsert(Envelope):
    type: Literal["program.upsert"]
    program: Program


class ProgramDeactivate(Envelope):
    type: Literal["program.deactivate"]
    program_id: Id


class ParametersSet(Envelope):
    type: Literal["parameters.set"]
    parameters: Parameters


AdminMessage = Annotated[ProgramUpsert | ProgramDeactivate | ParametersSet, Field(discriminator="type")]

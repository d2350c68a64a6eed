"""Use case of `sales.orders.v1`: one continuity order per sales order line that sells a program."""

from datetime import date

from pydantic import BaseModel, ConfigDict

from contracts.admin import Parameters
from contracts.base import Money
from contracts.events import ContinuityOrderCreated, ContinuityOrderRejected
from contracts.sales import SalesOrderLine, SalesOrderPlaced
from contracts.topics import EVENTS
from shared.domain.errors import Rejected
from shared.domain.program import program_total
from shared.domain.schedule import current_event_id, initial_lines, start_date_for
from shared.messaging.outbox import Decision, Outbox
from shared.messaging.outgoing import Outgoing
from shared.store.clock import Clock, business_date
from shared.store.documents import Documents
from shared.store.programs import ProgramRecord, current_parameters


class IntakeRecord(BaseModel):
    """The continuity order as created (its owner from then on is the children service), or the
    rejection of the sales order line."""

    model_config = ConfigDict(frozen=True)

    continuity_order_id: str
    sales_order_id: str
    line_id: str
    program_id: str
    program_version: int
    rejected: str | None = None
    """Why the line was refused. The rejection is remembered so that a redelivery or replay of the
    same message repeats nothing; the sales order sent again under a new message id is tried again."""


def continuity_order_id(sales_order_id: str, line_id: str) -> str:
    return f"CO-{sales_order_id}-{line_id}"


class OrderIntake:
    def __init__(
        self,
        intake: Documents[IntakeRecord],
        programs: Documents[ProgramRecord],
        parameters: Documents[Parameters],
        clock: Documents[Clock],
        outbox: Outbox,
    ) -> None:
        self._intake = intake
        self._programs = programs
        self._parameters = parameters
        self._clock = clock
        self._outbox = outbox

    async def place_sales_order(self, message: SalesOrderPlaced) -> None:
        today = await business_date(self._clock) or message.order_date
        params = await current_parameters(self._parameters)
        for line in message.lines:
            records = await self._programs.find(parent_item_id=line.item_id)
            if not records:
                continue  # an ordinary product: not ours
            record = next((r.state for r in records if r.state.active), records[0].state)
            order_id = continuity_order_id(message.sales_order_id, line.line_id)

            def decide(existing: IntakeRecord | None, line: SalesOrderLine = line, record: ProgramRecord = record,
                       order_id: str = order_id) -> Decision[IntakeRecord]:
                if existing is not None and existing.rejected is None:
                    return Decision(None)  # already created, whatever message id the sales order came with now
                state = IntakeRecord(
                    continuity_order_id=order_id,
                    sales_order_id=message.sales_order_id,
                    line_id=line.line_id,
                    program_id=record.program_id,
                    program_version=record.version,
                )
                try:
                    created = _create(message, line, record, order_id, today, params)
                except Rejected as rejection:
                    rejected = ContinuityOrderRejected(
                        message_id=f"continuity_order.rejected:{order_id}:{message.message_id}",
                        occurred_at=message.occurred_at,
                        sales_order_id=message.sales_order_id,
                        line_id=line.line_id,
                        item_id=line.item_id,
                        reason=rejection.reason,
                    )
                    state = state.model_copy(update={"rejected": rejection.reason})
                    return Decision(state, [Outgoing.of(EVENTS, message.sales_order_id, rejected)])
                return Decision(state, [Outgoing.of(EVENTS, order_id, created)])

            await self._outbox.apply(self._intake, order_id, message.message_id, decide)


def _create(
    message: SalesOrderPlaced,
    line: SalesOrderLine,
    record: ProgramRecord,
    order_id: str,
    today: date,
    params: Parameters,
) -> ContinuityOrderCreated:
    program = record.latest
    if not record.active:
        raise Rejected(f"program {program.program_id!r} is inactive and accepts no new orders")
    if line.quantity < 1:
        raise Rejected(f"quantity must be at least 1, got {line.quantity}")
    schedule = line.payment_schedule or program.payment_schedule
    if schedule is not None and not program.bill_up_front:
        raise Rejected(f"program {program.program_id!r} is not billed up front, so a payment schedule is not allowed")
    if schedule is not None and (schedule.count < 1 or schedule.interval.count < 1):
        raise Rejected("a payment schedule needs at least one installment and a positive interval")
    start = start_date_for(program, message.order_date, line.requested_start_date, today)
    first_event = current_event_id(program, today) if program.order_start == "current_event" else 1
    total = program_total(program, line.quantity, first_event)
    return ContinuityOrderCreated(
        message_id=f"continuity_order.created:{order_id}",
        occurred_at=message.occurred_at,
        continuity_order_id=order_id,
        sales_order_id=message.sales_order_id,
        line_id=line.line_id,
        customer_id=message.customer_id,
        program_id=program.program_id,
        program_version=record.version,
        intake_date=max(message.order_date, today),
        start_date=start,
        quantity=line.quantity,
        ship_to=message.ship_to,
        payment=message.payment,
        bill_up_front=program.bill_up_front,
        payment_schedule=schedule,
        program_total=None if total is None else Money(amount=total, currency=program.currency),
        scheduled_lines=initial_lines(program, start, line.quantity, params.repeat_threshold, first_event),
    )

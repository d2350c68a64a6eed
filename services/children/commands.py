"""Use cases of `continuity.commands.v1`: customer-service actions on one order, and applying a
new program version to the orders that follow the program. A command that does not fit the
order's state gets `command.rejected` with the reason."""

from collections.abc import Callable
from datetime import date

from contracts.admin import Parameters, Program
from contracts.base import Envelope
from contracts.commands import (
    ApplyUpdate,
    Cancel,
    ChangeStartDate,
    Close,
    ExtendLines,
    OrderCommandMessage,
    Pause,
    Resume,
    SkipNext,
    SwapNext,
)
from contracts.events import (
    ContinuityOrderUpdated,
    OrderCancelled,
    OrderPaused,
    OrderResumed,
    ShipmentSkipped,
    ShipmentSwapped,
)
from contracts.topics import EVENTS
from services.children.context import Reference
from services.children.progress import Progress, ended_messages, progress, progress_messages
from shared.domain import commands
from shared.domain.children import extend
from shared.domain.errors import Rejected
from shared.domain.order import Line, Order, price, to_scheduled
from shared.messaging.outbox import Decision, Outbox
from shared.messaging.outgoing import Outgoing
from shared.messaging.rejections import command_rejected
from shared.store.documents import Documents

Action = Callable[[Order, Program, date], tuple[Order, list[Envelope]]]


def _action(command: OrderCommandMessage) -> Action:
    """The domain call a command makes, with the event that reports it."""

    def event(model: type[Envelope], **fields: object) -> Envelope:
        kind = model.model_fields["type"].default
        return model(message_id=f"{kind}:{command.message_id}", occurred_at=command.occurred_at,
                     continuity_order_id=command.continuity_order_id, **fields)

    match command:
        case SkipNext(mode=mode):
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                o, line = commands.skip(o, p, mode)
                return o, [event(ShipmentSkipped, mode=mode, line_no=line.line_no)]
        case SwapNext(lines=lines):
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                o, line = commands.swap_next(o, lines)
                return o, [event(ShipmentSwapped, line_no=line.line_no, lines=line.lines)]
        case Pause(until=until):
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                return commands.pause(o, until, d), [event(OrderPaused, until=until)]
        case Resume():
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                return commands.resume(o), [event(OrderResumed)]
        case ChangeStartDate(start_date=start):
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                o, moved = commands.change_start_date(o, p, start, d)
                return o, [_updated(command, o, moved, "start date changed")]
        case ExtendLines(count=count):
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                o, added = extend(o, p, count)
                return o, [_updated(command, o, added, f"{len(added)} lines scheduled on demand")]
        case Cancel(reason=reason):
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                o, cancelled = commands.cancel(o, reason or "cancelled")
                return o, [_cancelled(command, o, cancelled, reason or "cancelled")]
        case Close():
            def act(o: Order, p: Program, d: date) -> tuple[Order, list[Envelope]]:
                o, cancelled = commands.close(o)
                return o, [_cancelled(command, o, cancelled, "closed by operator")]
    return act


def _updated(command: Envelope, order: Order, lines: list[Line], reason: str, dry_run: bool = False) -> Envelope:
    return ContinuityOrderUpdated(
        message_id=f"continuity_order.updated:{order.continuity_order_id}:{command.message_id}",
        occurred_at=command.occurred_at,
        continuity_order_id=order.continuity_order_id,
        reason=reason,
        dry_run=dry_run,
        scheduled_lines=[to_scheduled(line) for line in lines],
    )


def _cancelled(command: Envelope, order: Order, lines: list[Line], reason: str) -> Envelope:
    refund = price(lines, order.currency) if order.prepaid and lines else None
    return OrderCancelled(
        message_id=f"order.cancelled:{order.continuity_order_id}",
        occurred_at=command.occurred_at,
        continuity_order_id=order.continuity_order_id,
        reason=reason,
        cancelled_lines=[to_scheduled(line) for line in lines],
        refund=refund if refund and refund.amount > 0 else None,
    )


class OrderCommands:
    def __init__(self, orders: Documents[Order], reference: Reference, outbox: Outbox) -> None:
        self._orders = orders
        self._reference = reference
        self._outbox = outbox

    async def on_order_command(self, command: OrderCommandMessage) -> None:
        order_id = command.continuity_order_id
        stored = await self._orders.get(order_id)
        if stored is None:
            unknown = f"unknown continuity order {order_id!r}"
            await self._outbox.publisher.send([command_rejected(command, unknown, order_id)])
            return
        program = await self._reference.program(stored.state.program_id, stored.state.program_version)
        params = await self._reference.parameters()
        today = await self._reference.business_date() or stored.state.start_date
        act = _action(command)

        def decide(before: Order | None) -> Decision[Order]:
            assert before is not None
            try:
                order, events = act(before, program, today)
            except Rejected as rejection:
                return Decision(None, [command_rejected(command, rejection.reason, order_id)])
            result = progress(order, program, today, params, None)
            messages = [Outgoing.of(EVENTS, order_id, e) for e in events]
            messages += progress_messages(result, command.occurred_at)
            messages += ended_messages(before, result, command.type, command.message_id, command.occurred_at)
            return Decision(result.order, messages)

        await self._outbox.apply(self._orders, order_id, command.message_id, decide)

    async def on_apply_update(self, command: ApplyUpdate) -> None:
        try:
            program, version = await self._reference.latest(command.program_id)
        except Rejected as rejection:
            await self._outbox.publisher.send([command_rejected(command, rejection.reason, None)])
            return
        params = await self._reference.parameters()
        today = await self._reference.business_date()
        for stored in await self._orders.find(program_id=command.program_id):
            await self._outbox.apply(
                self._orders, stored.id, command.message_id,
                lambda order: _update(command, order, program, version, today, params),
            )


def _update(
    command: ApplyUpdate, order: Order | None, program: Program, version: int, today: date | None, params: Parameters
) -> Decision[Order]:
    """Lines already sent never change; a dry run only reports what would.

    The order follows the new version even when no scheduled line changes: the lines that
    extension schedules later come from the version the order follows.

    The order is then brought up to the business date: the new version may move unsent lines
    to dates the ticks have already passed, and the ticks never look back.
    """
    assert order is not None
    try:
        updated, update = commands.apply_update(order, program, version)
    except Rejected as rejection:
        return Decision(None, [command_rejected(command, rejection.reason, order.continuity_order_id)])
    reason = f"program {command.program_id} version {version}"
    report = Outgoing.of(EVENTS, order.continuity_order_id, _updated(
        command, updated, update.rewritten, reason, command.dry_run))
    if updated == order:
        return Decision(None)
    if command.dry_run:
        return Decision(None, [report])
    result = Progress(updated) if today is None else progress(updated, program, today, params, None)
    ended = ended_messages(order, result, reason, command.message_id, command.occurred_at)
    return Decision(result.order, [report, *progress_messages(result, command.occurred_at), *ended])


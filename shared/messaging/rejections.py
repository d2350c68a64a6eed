"""`command.rejected`: a command that does not fit the state it meets, with the reason."""

from contracts.base import Command
from contracts.commands import ApplyUpdate
from contracts.events import CommandRejected
from contracts.topics import EVENTS
from shared.messaging.outgoing import Outgoing


def command_rejected(command: Command, reason: str, order_id: str | None) -> Outgoing:
    rejected = CommandRejected(
        message_id=f"command.rejected:{command.message_id}",
        occurred_at=command.occurred_at,
        command_type=command.type,
        command_message_id=command.message_id,
        continuity_order_id=order_id,
        program_id=command.program_id if isinstance(command, ApplyUpdate) else None,
        reason=reason,
    )
    return Outgoing.of(EVENTS, order_id or rejected.program_id or command.message_id, rejected)

"""Use cases of `continuity.admin.v1`: program versions and call-center parameters."""

from contracts.admin import Parameters, ParametersSet, Program, ProgramDeactivate, ProgramUpsert
from contracts.events import (
    CommandRejected,
    ParametersAccepted,
    ParametersRejected,
    ProgramAccepted,
    ProgramDeactivated,
    ProgramRejected,
)
from contracts.topics import EVENTS
from shared.domain.program import parameters_problems, program_problems
from shared.messaging.outbox import Decision, Outbox
from shared.messaging.outgoing import Outgoing
from shared.store.documents import Documents
from shared.store.programs import PARAMETERS_ID, ProgramRecord


class ProgramAdmin:
    def __init__(self, programs: Documents[ProgramRecord], parameters: Documents[Parameters], outbox: Outbox):
        self._programs = programs
        self._parameters = parameters
        self._outbox = outbox

    async def upsert_program(self, message: ProgramUpsert) -> None:
        program = message.program
        others = [r.state for r in await self._programs.find() if r.id != program.program_id]
        problems = [
            *program_problems(
                program,
                {r.latest.parent_item_id for r in others if r.active},
                {r.latest.parent_item_id for r in others} | {program.parent_item_id},
            ),
            *_shipped_parent_problems(program, others),
        ]

        def decide(record: ProgramRecord | None) -> Decision[ProgramRecord]:
            if problems:
                rejected = ProgramRejected(
                    message_id=f"program.rejected:{message.message_id}",
                    occurred_at=message.occurred_at,
                    program_id=program.program_id,
                    reason="; ".join(problems),
                    problems=problems,
                )
                return Decision(None, [Outgoing.of(EVENTS, program.program_id, rejected)])
            versions = [*(record.versions if record else []), program]
            accepted = ProgramAccepted(
                message_id=f"program.accepted:{program.program_id}:v{len(versions)}",
                occurred_at=message.occurred_at,
                program_id=program.program_id,
                version=len(versions),
            )
            new = ProgramRecord(program_id=program.program_id, active=program.active, versions=versions)
            return Decision(new, [Outgoing.of(EVENTS, program.program_id, accepted)])

        await self._outbox.apply(self._programs, program.program_id, message.message_id, decide)

    async def deactivate_program(self, message: ProgramDeactivate) -> None:
        def decide(record: ProgramRecord | None) -> Decision[ProgramRecord]:
            if record is None:
                rejected = CommandRejected(
                    message_id=f"command.rejected:{message.message_id}",
                    occurred_at=message.occurred_at,
                    command_type=message.type,
                    command_message_id=message.message_id,
                    program_id=message.program_id,
                    reason=f"unknown program {message.program_id!r}",
                )
                return Decision(None, [Outgoing.of(EVENTS, message.program_id, rejected)])
            deactivated = ProgramDeactivated(
                message_id=f"program.deactivated:{message.message_id}",
                occurred_at=message.occurred_at,
                program_id=record.program_id,
                version=record.version,
            )
            new = record.model_copy(update={"active": False})
            return Decision(new, [Outgoing.of(EVENTS, record.program_id, deactivated)])

        await self._outbox.apply(self._programs, message.program_id, message.message_id, decide)

    async def set_parameters(self, message: ParametersSet) -> None:
        problems = parameters_problems(message.parameters)

        def decide(_: Parameters | None) -> Decision[Parameters]:
            if problems:
                rejected = ParametersRejected(
                    message_id=f"parameters.rejected:{message.message_id}",
                    occurred_at=message.occurred_at,
                    reason="; ".join(problems),
                    problems=problems,
                )
                return Decision(None, [Outgoing.of(EVENTS, PARAMETERS_ID, rejected)])
            accepted = ParametersAccepted(
                message_id=f"parameters.accepted:{message.message_id}",
                occurred_at=message.occurred_at,
                parameters=message.parameters,
            )
            return Decision(message.parameters, [Outgoing.of(EVENTS, PARAMETERS_ID, accepted)])

        await self._outbox.apply(self._parameters, PARAMETERS_ID, message.message_id, decide)


def _shipped_parent_problems(program: Program, others: list[ProgramRecord]) -> list[str]:
    """No nesting, seen from the other side: `program_problems` checks this program's lines against
    every parent item, this checks this program's parent item against every other program's lines."""
    shippers = sorted(
        other.program_id
        for other in others
        if any(line.item_id == program.parent_item_id for event in other.latest.events for line in event.lines)
    )
    if not shippers:
        return []
    return [f"parent item {program.parent_item_id} is a line item of program(s) {', '.join(shippers)}; "
            "programs cannot be nested"]

"""Use case of `continuity.clock.v1`: move the business date forward, never back, and move the
current event of `current_event` programs with it."""

from contracts.clock import BusinessDateAdvanced
from contracts.events import BusinessDateIgnored, CurrentEventAdvanced
from contracts.internal import BusinessDateAccepted
from contracts.topics import CLOCK_KEY, EVENTS, TICKS
from shared.domain.schedule import current_event_id
from shared.messaging.outbox import Decision, Outbox
from shared.messaging.outgoing import Outgoing
from shared.store.clock import CLOCK_ID, Clock
from shared.store.documents import Documents
from shared.store.programs import ProgramRecord


class Periods:
    def __init__(self, clock: Documents[Clock], programs: Documents[ProgramRecord], outbox: Outbox) -> None:
        self._clock = clock
        self._programs = programs
        self._outbox = outbox

    async def advance(self, message: BusinessDateAdvanced) -> None:
        calendars = [r.state for r in await self._programs.find(order_start="current_event") if r.state.active]
        new_date = message.business_date

        def decide(clock: Clock | None) -> Decision[Clock]:
            clock = clock or Clock()
            if clock.business_date is not None and new_date <= clock.business_date:
                ignored = BusinessDateIgnored(
                    message_id=f"business_date.ignored:{message.message_id}",
                    occurred_at=message.occurred_at,
                    business_date=new_date,
                    current_business_date=clock.business_date,
                    reason="the business date never goes back"
                    if new_date < clock.business_date
                    else "the business date is already this date",
                )
                return Decision(None, [Outgoing.of(EVENTS, CLOCK_KEY, ignored)])
            events = {r.program_id: current_event_id(r.latest, new_date) for r in calendars}
            moved = [
                CurrentEventAdvanced(
                    message_id=f"current_event.advanced:{program_id}:{event_id}:{new_date}",
                    occurred_at=message.occurred_at,
                    program_id=program_id,
                    event_id=event_id,
                    business_date=new_date,
                )
                for program_id, event_id in sorted(events.items())
                if clock.current_events.get(program_id) != event_id
            ]
            tick = BusinessDateAccepted(
                message_id=f"business_date.accepted:{new_date}",
                occurred_at=message.occurred_at,
                business_date=new_date,
                previous=clock.business_date,
            )
            messages = [Outgoing.of(EVENTS, event.program_id, event) for event in moved]
            messages.append(Outgoing.of(TICKS, CLOCK_KEY, tick))
            return Decision(Clock(business_date=new_date, current_events=events), messages)

        await self._outbox.apply(self._clock, CLOCK_ID, message.message_id, decide)

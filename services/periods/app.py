"""Periods: the business date (`continuity.clock.v1`) and the current event of programs."""

from contracts.clock import BusinessDateAdvanced
from contracts.topics import CLOCK
from services.periods.clock import Periods
from shared.messaging.runtime import Runtime
from shared.settings import Settings
from shared.store import clock, programs

SERVICE = "periods"


def create(settings: Settings) -> Runtime:
    runtime = Runtime(SERVICE, settings)
    clock_docs = clock.clock(runtime.db)
    periods = Periods(clock_docs, programs.programs(runtime.db), runtime.outbox)

    async def prepare() -> None:
        await runtime.outbox.sweep(clock_docs)

    runtime.startup.append(prepare)
    runtime.consume([CLOCK], {BusinessDateAdvanced: periods.advance})
    return runtime

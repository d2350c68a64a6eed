"""What billing reads but does not own: the business date (periods) and the parameters (intake)."""

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.admin import Parameters
from shared.store import clock, programs


class Reference:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self._parameters = programs.parameters(db)
        self._clock = clock.clock(db)

    async def parameters(self) -> Parameters:
        return await programs.current_parameters(self._parameters)

    async def business_date(self) -> date | None:
        return await clock.business_date(self._clock)

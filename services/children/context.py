"""What the children use cases read but do not own: programs, parameters, the business date."""

from datetime import date
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from contracts.admin import Parameters, Program
from shared.domain.errors import Rejected
from shared.store import clock, programs


class Reference:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self._programs = programs.programs(db)
        self._parameters = programs.parameters(db)
        self._clock = clock.clock(db)
        self._versions: dict[tuple[str, int], Program] = {}

    async def program(self, program_id: str, version: int) -> Program:
        """A program version never changes once accepted, so it is cached for good."""
        key = (program_id, version)
        if key not in self._versions:
            record = await self._programs.get(program_id)
            if record is None or record.state.version < version:
                raise Rejected(f"program {program_id!r} version {version} is unknown")
            self._versions[key] = record.state.at(version)
        return self._versions[key]

    async def latest(self, program_id: str) -> tuple[Program, int]:
        record = await self._programs.get(program_id)
        if record is None:
            raise Rejected(f"unknown program {program_id!r}")
        return record.state.latest, record.state.version

    async def parameters(self) -> Parameters:
        return await programs.current_parameters(self._parameters)

    async def business_date(self) -> date | None:
        return await clock.business_date(self._clock)

"""Programs (all versions in one document per program) and the global parameters. Written by intake."""

from typing import Any

from pydantic import BaseModel, ConfigDict
from pymongo.asynchronous.database import AsyncDatabase

from contracts.admin import Parameters, Program
from shared.store.documents import Documents

PARAMETERS_ID = "global"


class ProgramRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    program_id: str
    active: bool
    versions: list[Program]

    @property
    def version(self) -> int:
        return len(self.versions)

    @property
    def latest(self) -> Program:
        return self.versions[-1]

    def at(self, version: int) -> Program:
        return self.versions[version - 1]


def _program_index(record: ProgramRecord) -> dict[str, Any]:
    return {
        "parent_item_id": record.latest.parent_item_id,
        "active": record.active,
        "order_start": record.latest.order_start,
    }


def programs(db: AsyncDatabase[dict[str, Any]]) -> Documents[ProgramRecord]:
    return Documents(db["programs"], ProgramRecord, _program_index)


def parameters(db: AsyncDatabase[dict[str, Any]]) -> Documents[Parameters]:
    return Documents(db["parameters"], Parameters)


async def current_parameters(docs: Documents[Parameters]) -> Parameters:
    stored = await docs.get(PARAMETERS_ID)
    return Parameters() if stored is None else stored.state


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db["programs"].create_index("parent_item_id")
    await db["programs"].create_index("order_start")
    await db["programs"].create_index("outbox_pending")

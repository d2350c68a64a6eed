"""The business date and each `current_event` program's current event. Written by periods only."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from pymongo.asynchronous.database import AsyncDatabase

from shared.store.documents import Documents

CLOCK_ID = "clock"


class Clock(BaseModel):
    model_config = ConfigDict(frozen=True)

    business_date: date | None = None
    current_events: dict[str, int] = {}


def clock(db: AsyncDatabase[dict[str, Any]]) -> Documents[Clock]:
    return Documents(db["clock"], Clock)


async def business_date(docs: Documents[Clock]) -> date | None:
    stored = await docs.get(CLOCK_ID)
    return None if stored is None else stored.state.business_date

"""Continuity orders with their scheduled lines and child orders. Written by the children service.

Due work is found by equality, one query per date: on `next_ship` (the ship date of the next
open line of an order that may ship) and on `wake_on` (the end of a dated pause). FerretDB pushes
equality down to its indexes but evaluates range queries over every document.
"""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict
from pymongo.asynchronous.database import AsyncDatabase

from shared.domain.order import Order, next_open_line
from shared.store.documents import Documents

CURSOR_ID = "children"


class DueCursor(BaseModel):
    """How far the ticks have looked: ship dates and pause ends up to these dates are handled."""

    model_config = ConfigDict(frozen=True)

    shipped_through: date | None = None
    woken_through: date | None = None


def _index(order: Order) -> dict[str, Any]:
    line = next_open_line(order)
    # A held order stays indexed: its hold may start after the line falls due, and a tick that finds
    # it held skips it; the release runs the order's progress itself.
    may_ship = order.status == "active" and line is not None
    wake = order.paused_until if order.status == "paused" and order.paused_until else None
    return {
        "next_ship": line.ship_date.isoformat() if may_ship and line else None,
        "wake_on": wake.isoformat() if wake else None,
        "program_id": order.program_id,
    }


def order_documents(db: AsyncDatabase[dict[str, Any]]) -> Documents[Order]:
    return Documents(db["orders"], Order, _index)


def cursor_documents(db: AsyncDatabase[dict[str, Any]]) -> Documents[DueCursor]:
    return Documents(db["due_cursor"], DueCursor)


async def earliest(db: AsyncDatabase[dict[str, Any]], field: str) -> date | None:
    """Only for the very first tick, when no cursor exists yet (a full scan on FerretDB)."""
    doc = await db["orders"].find_one({field: {"$ne": None}}, sort=[(field, 1)])
    return None if doc is None else date.fromisoformat(doc[field])


async def ensure_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db["orders"].create_index("next_ship")
    await db["orders"].create_index("wake_on")
    await db["orders"].create_index("program_id")
    await db["orders"].create_index("outbox_pending")

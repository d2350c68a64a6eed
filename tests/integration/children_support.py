"""Helpers of the children, clock and commands scenarios (it holds no tests).

The scenarios run the three services that make child orders (intake, periods, children) on
the real broker and store, and wait for the children service to have handled each business
date (its due cursor records the tick), so that "nothing happened" is a real observation.
"""

import asyncio
import time
from typing import Any

from contracts import topics
from shared.store.orders import CURSOR_ID, cursor_documents
from tests.integration import messages as m
from tests.integration.system import System

CORE = ("intake", "periods", "children")
Record = dict[str, Any]


async def set_parameters(system: System, message_id: str = "adm-params", **values: Any) -> None:
    await system.send(topics.ADMIN, m.parameters(message_id, **values))
    await system.wait_for(
        lambda: system.of(topics.EVENTS, "parameters.accepted", message_id=f"parameters.accepted:{message_id}"),
        description=f"parameters {values} accepted",
    )


async def admit(system: System, body: Record, version: int = 1) -> None:
    """Upsert a program and wait until intake accepted this version of it."""
    program_id = body["program_id"]
    await system.send(topics.ADMIN, m.upsert(f"adm-{program_id}-v{version}", body))
    await system.wait_for(
        lambda: system.of(topics.EVENTS, "program.accepted", program_id=program_id, version=version),
        description=f"program {program_id} v{version} accepted",
    )


async def place(system: System, sales_order_id: str, order_date: str, item_id: str,
                start: str | None = None, quantity: int = 1) -> Record:
    """Sell one program line; returns its `continuity_order.created` once the children service knows it."""
    await system.send(topics.SALES_ORDERS, m.sales_order(
        sales_order_id, order_date, m.line("1", item_id, quantity=quantity, start=start)))
    created: list[Record] = await system.wait_for(
        lambda: system.of(topics.EVENTS, "continuity_order.created", sales_order_id=sales_order_id),
        description=f"continuity order of {sales_order_id}",
    )
    await wait_until_stored(system, created[0]["continuity_order_id"])
    return created[0]


async def advance(system: System, business_date: str, message_id: str | None = None) -> None:
    """Move the business date and wait until the children service has handled the tick."""
    await system.send(topics.CLOCK, m.clock(business_date, message_id))
    ticks = await system.wait_for(
        lambda: system.of(topics.TICKS, "business_date.accepted", business_date=business_date),
        description=f"tick of {business_date}",
    )
    await wait_until_handled(system, ticks[0]["message_id"])


async def wait_until_handled(system: System, tick_id: str, timeout: float = 60.0) -> None:
    cursor = cursor_documents(system.runtimes["children"].db)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stored = await cursor.get(CURSOR_ID)
        if stored is not None and tick_id in stored.applied:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the children service did not handle {tick_id} within {timeout}s")


async def wait_until_stored(system: System, order_id: str, timeout: float = 30.0) -> None:
    orders = system.runtimes["children"].db["orders"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await orders.find_one({"_id": order_id}) is not None:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the children service did not store {order_id} within {timeout}s")


def children_of(system: System, order_id: str) -> list[Record]:
    return system.of(topics.CHILD_ORDERS, "child_order.created", continuity_order_id=order_id)


def items(child: Record) -> list[str]:
    return [line["item_id"] for line in child["lines"]]


def ship_dates(children: list[Record]) -> list[str]:
    return [child["ship_date"] for child in children]


def line_nos(children: list[Record]) -> list[list[int]]:
    return [child["scheduled_line_nos"] for child in children]


async def wait_for_children(system: System, order_id: str, count: int) -> list[Record]:
    """Exactly `count` child orders of the order, once they have arrived."""
    found: list[Record] = await system.wait_for(lambda: len(children_of(system, order_id)) >= count
                                                and children_of(system, order_id),
                                                description=f"{count} child orders of {order_id}")
    assert len(found) == count, f"expected {count} child orders, got {line_nos(found)}"
    return found


def scheduled(system: System, order_id: str) -> dict[int, Record]:
    """Every scheduled line the order has announced (at creation, by extension or by an update)."""
    created = system.of(topics.EVENTS, "continuity_order.created", continuity_order_id=order_id)
    extended = system.of(topics.EVENTS, "lines.extended", continuity_order_id=order_id)
    lines = [line for event in created + extended for line in event["scheduled_lines"]]
    return {line["line_no"]: line for line in lines}

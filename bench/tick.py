"""How fast one business-date tick turns due orders into child orders, and how fast intake turns
sales orders into continuity orders, through the real broker and store.

    BENCH_ORDERS=2000 python -m bench      (needs `make up` or `STACK_SERVICES=0 infra/stack.sh up`)
"""

import asyncio
import json
import os
import time
import uuid
from datetime import UTC, date, datetime

from aiokafka import AIOKafkaProducer  # type: ignore[import-untyped]
from rich.console import Console
from rich.table import Table

from contracts import topics
from contracts.admin import Event, Interval, Program
from contracts.base import PaymentMethod, ProductLine, ShipTo
from contracts.events import ContinuityOrderCreated
from contracts.internal import BusinessDateAccepted
from services.children.app import create as children
from services.intake.app import create as intake
from shared.domain.order import new_order
from shared.domain.schedule import initial_lines
from shared.messaging.topic_admin import ensure_topics
from shared.settings import Settings
from shared.store import orders, programs
from shared.store.documents import Stored
from shared.store.programs import ProgramRecord

START = date(2027, 1, 1)
AT = datetime(2027, 1, 1, tzinfo=UTC)
PROGRAM = Program(
    program_id="BENCH", name="bench", parent_item_id="BENCH-PARENT", currency="EUR",
    events=[Event(event_id=1, occurrences=None, interval=Interval(unit="month", count=1),
                  lines=[ProductLine(item_id="BOOK", quantity=1, unit_price="12.50")])],
)


def created(n: int) -> ContinuityOrderCreated:
    return ContinuityOrderCreated(
        message_id=f"m{n}", occurred_at=AT, continuity_order_id=f"CO-{n}", sales_order_id=f"SO-{n}", line_id="1",
        customer_id=f"C-{n}", program_id="BENCH", program_version=1, intake_date=START, start_date=START, quantity=1,
        ship_to=ShipTo(name="A", line1="1 Main St", city="Aarhus", postal_code="8000", country="DK"),
        payment=PaymentMethod(method="card", token="tok"), bill_up_front=False, payment_schedule=None,
        program_total=None, scheduled_lines=initial_lines(PROGRAM, START, 1, 12),
    )


async def wait_until(check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("benchmark step did not finish")


async def bench_tick(settings: Settings, count: int) -> float:
    runtime = children(settings)
    db = runtime.db
    await programs.programs(db).put(Stored("BENCH", ProgramRecord(program_id="BENCH", active=True, versions=[PROGRAM])))
    docs = orders.order_documents(db)
    for first in range(0, count, 1000):
        batch = [Stored(f"CO-{n}", new_order(created(n), PROGRAM)) for n in range(first, min(first + 1000, count))]
        await docs.put_many(batch)
    await runtime.start()
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    tick = BusinessDateAccepted(message_id="tick-1", occurred_at=AT, business_date=START, previous=None)
    began = time.monotonic()
    value, key = tick.model_dump_json().encode(), topics.CLOCK_KEY.encode()
    await producer.send_and_wait(settings.topics.name(topics.TICKS), value, key=key)

    async def done() -> bool:
        return await db["orders"].count_documents({"next_ship": START.isoformat()}) == 0

    await wait_until(done, 1800)
    elapsed = time.monotonic() - began
    await producer.stop()
    await runtime.stop()
    return elapsed


async def bench_intake(settings: Settings, count: int) -> float:
    runtime = intake(settings)
    await runtime.start()
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, linger_ms=5)
    await producer.start()
    began = time.monotonic()
    for n in range(count):
        sale = {"type": "sales_order.placed", "message_id": f"so-{n}", "occurred_at": "2027-01-01T00:00:00Z",
                "sales_order_id": f"S{n}", "customer_id": "C", "order_date": "2027-01-01",
                "ship_to": {"name": "A", "line1": "1", "city": "X", "postal_code": "1", "country": "DK"},
                "payment": {"method": "card", "token": "t"},
                "lines": [{"line_id": "1", "item_id": "BENCH-PARENT", "quantity": 1}]}
        await producer.send(settings.topics.name(topics.SALES_ORDERS), json.dumps(sale).encode(), key=f"S{n}".encode())
    await producer.flush()

    async def done() -> bool:
        return await runtime.db["intake_orders"].count_documents({}) >= count

    await wait_until(done, 1800)
    elapsed = time.monotonic() - began
    await producer.stop()
    await runtime.stop()
    return elapsed


async def main() -> None:
    count = int(os.environ.get("BENCH_ORDERS", "2000"))
    run = uuid.uuid4().hex[:8]
    settings = Settings(topic_prefix=f"bench{run}.", mongodb_database=f"bench_{run}", message_log=False)
    await ensure_topics(settings, settings.topics.all_with_dead_letters(), settings.topic_partitions)
    tick = await bench_tick(settings, count)
    taken = await bench_intake(settings, count)
    table = Table(title=f"continuity benchmarks ({count} orders, Kafka {settings.kafka_bootstrap_servers})")
    for column in ("what", "seconds", "per second"):
        table.add_column(column)
    table.add_row("tick: due orders -> child orders", f"{tick:.1f}", f"{count / tick:.0f}")
    table.add_row("intake: sales orders -> continuity orders", f"{taken:.1f}", f"{count / taken:.0f}")
    Console().print(table)
    await runtime_cleanup(settings)


async def runtime_cleanup(settings: Settings) -> None:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(settings.mongodb_url)
    await client.drop_database(settings.mongodb_database)
    await client.close()

"""`continuity status`: is the broker there, is the store there, what is the business date, and how
many continuity orders are in each state. Reads only; every probe has a short timeout."""

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
from pymongo import AsyncMongoClient

from shared.settings import Settings

PROBE_TIMEOUT_S = 5.0
ORDER_STATES = ("active", "paused", "cancelled", "closed")


@dataclass
class Status:
    broker: str = "unknown"
    topics_present: int = 0
    topics_expected: int = 0
    store: str = "unknown"
    business_date: date | None = None
    orders: dict[str, int] = field(default_factory=dict)
    closed: int = 0

    @property
    def healthy(self) -> bool:
        return self.broker == "ok" and self.store == "ok"


async def probe(settings: Settings) -> Status:
    status = Status(topics_expected=len(settings.topics.all_with_dead_letters()))
    await asyncio.gather(_probe_broker(settings, status), _probe_store(settings, status))
    return status


async def _probe_broker(settings: Settings, status: Status) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers, request_timeout_ms=5000)
    try:
        await asyncio.wait_for(admin.start(), PROBE_TIMEOUT_S)
        existing = set(await asyncio.wait_for(admin.list_topics(), PROBE_TIMEOUT_S))
        status.topics_present = len(existing & set(settings.topics.all_with_dead_letters()))
        status.broker = "ok"
    except Exception as error:  # any failure is the answer to "is it reachable"
        status.broker = _unreachable(error)
    finally:
        await admin.close()


async def _probe_store(settings: Settings, status: Status) -> None:
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_url, timeoutMS=int(PROBE_TIMEOUT_S * 1000)  # bounds each operation, a hung server too
    )
    try:
        db = client[settings.mongodb_database]
        await db.command("ping")
        status.store = "ok"
        status.business_date = await read_business_date(settings, client)
        for state in ORDER_STATES:  # equality counts: pushed down by FerretDB
            status.orders[state] = await db["orders"].count_documents({"state.status": state})
        # The children service keeps a finished order "active"; the closing service records the close.
        status.closed = await db["closures"].count_documents({"state.closed": True})
    except Exception as error:
        status.store = _unreachable(error)
    finally:
        await client.close()


def _unreachable(error: Exception) -> str:
    text = str(error).split(" (configured timeouts")[0].split(", Timeout:")[0] or type(error).__name__
    return f"unreachable: {text[:160]}"


async def read_business_date(settings: Settings, client: AsyncMongoClient[dict[str, Any]]) -> date | None:
    """The business date the periods service keeps (collection `clock`, document `clock`)."""
    doc = await client[settings.mongodb_database]["clock"].find_one({"_id": "clock"})
    value = ((doc or {}).get("state") or {}).get("business_date")
    return date.fromisoformat(value) if value else None

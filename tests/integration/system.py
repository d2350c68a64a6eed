"""The five services running in-process against the real broker and store, in a namespace of
their own (topic prefix and database), with a way to send inputs and watch every output topic."""

import asyncio
import importlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer  # type: ignore[import-untyped]
from pymongo import AsyncMongoClient

from contracts.topics import CLOCK, CLOCK_KEY, MESSAGES, Topics, dead_letter
from shared.messaging.runtime import Runtime
from shared.messaging.topic_admin import ensure_topics
from shared.settings import Settings

SERVICES = ("intake", "periods", "children", "billing", "closing")
INTAKE = ("intake", "periods")
"""What intake needs: intake itself and periods (the business date)."""
Record = dict[str, Any]


class System:
    def __init__(self, kafka: str, mongo: str) -> None:
        ns = uuid.uuid4().hex[:10]
        self.settings = Settings(
            kafka_bootstrap_servers=kafka,
            mongodb_url=mongo,
            mongodb_database=f"t_{ns}",
            topic_prefix=f"t{ns}.",
            topic_partitions=2,
        )
        self.topics: Topics = self.settings.topics
        self.runtimes: dict[str, Runtime] = {}
        self.seen: dict[str, list[Record]] = {topic: [] for topic in MESSAGES}
        self.dead: dict[str, list[Any]] = {topic: [] for topic in MESSAGES}
        self.unreadable: list[Any] = []
        self._producer = AIOKafkaProducer(bootstrap_servers=kafka, enable_idempotence=True)
        self._consumer: AIOKafkaConsumer | None = None
        self._watcher: asyncio.Task[None] | None = None

    async def start(self, only: tuple[str, ...] = SERVICES) -> None:
        await ensure_topics(self.settings, self.topics.all_with_dead_letters(), self.settings.topic_partitions)
        await self._producer.start()
        self._consumer = AIOKafkaConsumer(
            *self.topics.all_with_dead_letters(),
            bootstrap_servers=self.settings.kafka_bootstrap_servers,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await self._consumer.start()
        self._watcher = asyncio.create_task(self._watch())
        for name in only:
            await self.start_service(name)

    async def start_service(self, name: str) -> None:
        create: Callable[[Settings], Runtime] = importlib.import_module(f"services.{name}.app").create
        runtime = create(self.settings)
        await runtime.start()
        self.runtimes[name] = runtime

    async def stop_service(self, name: str) -> None:
        await self.runtimes.pop(name).stop()

    async def stop(self) -> None:
        for name in list(self.runtimes):
            await self.stop_service(name)
        if self._watcher:
            self._watcher.cancel()
        if self._consumer:
            await self._consumer.stop()
        await self._producer.stop()
        client: AsyncMongoClient[Record] = AsyncMongoClient(self.settings.mongodb_url)
        await client.drop_database(self.settings.mongodb_database)
        await client.close()

    async def _watch(self) -> None:
        assert self._consumer is not None
        async for record in self._consumer:
            topic = self.topics.logical(record.topic)
            if topic.endswith(".dlq"):
                self.dead[topic.removesuffix(".dlq")].append(record)
                continue
            try:
                self.seen[topic].append(json.loads(record.value))
            except ValueError:  # a test's deliberately broken input; the service dead-letters it
                self.unreadable.append(record)

    async def send(self, topic: str, message: Record, key: str | None = None) -> None:
        """Keyed as the CLI keys it: the clock on one fixed key, so that its dates stay in order."""
        default = CLOCK_KEY if topic == CLOCK else message.get("message_id", "k")
        await self.send_raw(topic, json.dumps(message).encode(), key or default)

    async def send_raw(self, topic: str, value: bytes, key: str = "k") -> None:
        await self._producer.send_and_wait(self.topics.name(topic), value, key=key.encode())

    def of(self, topic: str, type_: str | None = None, **fields: Any) -> list[Record]:
        return [
            m for m in self.seen[topic]
            if (type_ is None or m["type"] == type_) and all(m.get(k) == v for k, v in fields.items())
        ]

    async def wait_for(
        self, what: Callable[[], Any], timeout: float = 30.0, description: str = "condition"
    ) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = what()
            if result:
                return result
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out after {timeout}s waiting for {description}")

    async def settle(self, quiet: float = 1.5, timeout: float = 60.0) -> None:
        """Wait until no new message has appeared on any topic for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        count = -1
        while time.monotonic() < deadline:
            now = sum(len(v) for v in self.seen.values()) + sum(len(v) for v in self.dead.values())
            if now == count:
                return
            count = now
            await asyncio.sleep(quiet)
        raise AssertionError("the system did not settle")

    def dead_letters(self, topic: str) -> list[Any]:
        return self.dead[dead_letter(topic).removesuffix(".dlq")]


@asynccontextmanager
async def running(stack: tuple[str, str], only: tuple[str, ...] = SERVICES) -> AsyncIterator[System]:
    """The services `only` in a namespace of their own, stopped and their database dropped after."""
    system = System(*stack)
    await system.start(only)
    try:
        yield system
    finally:
        await system.stop()

"""The demo's view of Kafka: one producer, and one group-less consumer that reads every topic of the
deployment from the moment the demo starts, so that a run sees only what happened since."""

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # type: ignore[import-untyped]

from shared.cli.kafka import partitions
from shared.cli.messages import check
from shared.messaging.topic_admin import ensure_topics
from shared.settings import Settings

Record = dict[str, Any]


@dataclass(frozen=True)
class Seen:
    topic: str
    """Logical name; dead letters keep their `.dlq` suffix."""
    body: Record
    """The JSON message, or for a dead letter `{"raw": ..., "headers": {...}}`."""
    business_date: date | None
    """The demo's business date when it arrived: where the message goes on a timeline."""


class Bus:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topics = settings.topics
        self.seen: list[Seen] = []
        self.business_date: date | None = None
        self.sent_ids: set[str] = set()
        self._producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_idempotence=True)
        self._consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False)
        self._reader: asyncio.Task[None] | None = None
        self._started: list[Any] = []

    async def start(self) -> None:
        names = self.topics.all_with_dead_letters()
        await ensure_topics(self.settings, names, self.settings.topic_partitions)
        assigned: list[TopicPartition] = []
        for name in names:
            assigned.extend(await partitions(self.settings, name))
        for client in (self._producer, self._consumer):
            await client.start()
            self._started.append(client)
        self._consumer.assign(assigned)
        await self._consumer.seek_to_end(*assigned)
        for tp in assigned:  # resolve the positions now, before the demo sends anything
            await self._consumer.position(tp)
        self._reader = asyncio.create_task(self._read())

    async def stop(self) -> None:
        if self._reader:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        while self._started:
            await self._started.pop().stop()

    async def send(self, topic: str, record: Record) -> None:
        """Validated against the topic's contract and keyed as the CLI does."""
        (checked,) = check(topic, [record])
        await self._producer.send_and_wait(self.topics.name(topic), checked.value, key=checked.key.encode())
        self.sent_ids.add(checked.message.message_id)

    async def _read(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=200)
            for tp, records in batch.items():
                topic = self.topics.logical(tp.topic)
                for record in records:
                    self.seen.append(Seen(topic, _body(topic, record), self.business_date))

    def of(self, topic: str, type_: str | None = None, **fields: Any) -> list[Record]:
        return [
            s.body for s in self.seen
            if s.topic == topic and (type_ is None or s.body.get("type") == type_)
            and all(s.body.get(k) == v for k, v in fields.items())
        ]

    async def wait_for(self, what: Callable[[], Any], description: str, timeout: float = 30.0,
                       while_waiting: Callable[[], Any] | None = None) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if while_waiting:
                await while_waiting()
            result = what()
            if result:
                return result
            await asyncio.sleep(0.1)
        raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {description}")


def _body(topic: str, record: Any) -> Record:
    value: bytes = record.value or b""
    if topic.endswith(".dlq"):
        headers = {k: v.decode(errors="replace") for k, v in (record.headers or ())}
        return {"raw": value.decode(errors="replace"), "headers": headers}
    try:
        body = json.loads(value)
    except ValueError:
        return {"raw": value.decode(errors="replace")}
    return body if isinstance(body, dict) else {"raw": body}



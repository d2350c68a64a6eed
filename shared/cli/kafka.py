"""The CLI's broker side (aiokafka): publish checked messages, read a topic's recent or first
messages without joining a consumer group, and move a consumer group's committed offsets."""

import time
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # type: ignore[import-untyped]
from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]
from aiokafka.errors import KafkaError  # type: ignore[import-untyped]
from aiokafka.structs import OffsetAndMetadata  # type: ignore[import-untyped]

from shared.cli.messages import Checked
from shared.settings import Settings

READ_TIMEOUT_S = 10.0


class UnknownTopic(Exception):
    pass


class CommitRefused(Exception):
    """The broker would not take the offsets, typically because the group still has running members."""


@dataclass(frozen=True)
class Sent:
    key: str
    message_id: str
    partition: int
    offset: int


@dataclass(frozen=True)
class Record:
    """One consumed message, headers decoded."""

    partition: int
    offset: int
    timestamp_ms: int
    key: str | None
    value: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class OffsetMove:
    partition: int
    before: int | None
    after: int


async def publish(settings: Settings, topic: str, items: list[Checked]) -> list[Sent]:
    """Send in order, each confirmed by the broker; `topic` is the logical name."""
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_idempotence=True)
    await producer.start()
    try:
        sent = []
        for item in items:
            headers = [("type", item.message.type.encode()), ("message_id", item.message.message_id.encode())]
            meta = await producer.send_and_wait(
                settings.topics.name(topic), item.value, key=item.key.encode(), headers=headers
            )
            sent.append(Sent(item.key, item.message.message_id, meta.partition, meta.offset))
        return sent
    finally:
        await producer.stop()


async def partitions(settings: Settings, physical: str) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([physical])
    finally:
        await admin.close()
    if described["error_code"] != 0 or not described["partitions"]:
        raise UnknownTopic(f"topic {physical!r} does not exist on {settings.kafka_bootstrap_servers}")
    return sorted(TopicPartition(physical, p["partition"]) for p in described["partitions"])


async def read(settings: Settings, topic: str, *, from_beginning: bool, limit: int) -> list[Record]:
    """The last `limit` messages of a topic (by time), or its first `limit` with `from_beginning`."""
    physical = settings.topics.name(topic)
    assigned = await partitions(settings, physical)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(assigned)
        first: dict[TopicPartition, int] = await consumer.beginning_offsets(assigned)
        end: dict[TopicPartition, int] = await consumer.end_offsets(assigned)
        for tp in assigned:
            start = first[tp] if from_beginning else max(first[tp], end[tp] - limit)
            consumer.seek(tp, start)
        records = await _read_until(consumer, end, limit if from_beginning else None)
    finally:
        await consumer.stop()
    records.sort(key=lambda r: (r.timestamp_ms, r.partition, r.offset))
    return records[:limit] if from_beginning else records[-limit:]


async def _read_until(consumer: Any, end: dict[TopicPartition, int], enough: int | None) -> list[Record]:
    """Everything up to the end offsets seen at the start (or `enough` per partition at most)."""
    records: list[Record] = []
    left = {tp for tp, offset in end.items() if await consumer.position(tp) < offset}
    deadline = time.monotonic() + READ_TIMEOUT_S
    while left and time.monotonic() < deadline:
        batch = await consumer.getmany(*left, timeout_ms=500)
        for tp, messages in batch.items():
            records.extend(_record(message) for message in messages if message.offset < end[tp])
            taken = sum(1 for r in records if r.partition == tp.partition)
            if await consumer.position(tp) >= end[tp] or (enough is not None and taken >= enough):
                left.discard(tp)
    return records


def _record(message: Any) -> Record:
    headers = {name: value.decode(errors="replace") for name, value in (message.headers or ())}
    key = None if message.key is None else message.key.decode(errors="replace")
    return Record(message.partition, message.offset, message.timestamp, key, message.value or b"", headers)


async def reset_offsets(
    settings: Settings, topic: str, group_id: str, to_offset: int | None, partition: int | None
) -> list[OffsetMove]:
    """Commit new offsets for `group_id` on `topic`: the beginning (`to_offset` None) or `to_offset`,
    clamped to what the partition holds. The group must have no running members (stop the service)."""
    physical = settings.topics.name(topic)
    assigned = [tp for tp in await partitions(settings, physical) if partition is None or tp.partition == partition]
    if not assigned:
        raise UnknownTopic(f"topic {physical!r} has no partition {partition}")
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers, group_id=group_id, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(assigned)
        first = await consumer.beginning_offsets(assigned)
        end = await consumer.end_offsets(assigned)
        before = {tp: await consumer.committed(tp) for tp in assigned}
        target = {
            tp: first[tp] if to_offset is None else min(max(to_offset, first[tp]), end[tp]) for tp in assigned
        }
        try:
            await consumer.commit({tp: OffsetAndMetadata(offset, "continuity replay") for tp, offset in target.items()})
        except KafkaError as error:
            refused = f"group {group_id!r} refused the offsets ({error!r}); stop its consumers first"
            raise CommitRefused(refused) from error
    finally:
        await consumer.stop()
    return [OffsetMove(tp.partition, before[tp], target[tp]) for tp in assigned]


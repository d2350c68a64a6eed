"""Bad input goes, byte for byte, to `<topic>.dlq` with the reason in its headers."""

from faststream.kafka import KafkaBroker
from faststream.kafka.message import KafkaMessage

from contracts.topics import Topics, dead_letter


async def send_to_dead_letter(
    broker: KafkaBroker, topics: Topics, service: str, message: KafkaMessage, error: Exception
) -> None:
    record = message.raw_message
    assert not isinstance(record, tuple), "batch subscribers are not used"
    source = topics.logical(record.topic)
    await broker.publish(
        record.value or b"",
        topic=topics.name(dead_letter(source)),
        key=record.key,
        headers={
            "error": str(error)[:4000],
            "error_type": type(error).__name__,
            "service": service,
            "source_topic": source,
            "source_partition": str(record.partition),
            "source_offset": str(record.offset),
        },
    )

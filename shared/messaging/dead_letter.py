"""Bad input goes, byte for byte, to `<topic>.dlq` with the reason in its headers."""

from faststream.kafka import KafkaBroker
from faststream.kafka.message import KafkaMessage

from contracts.topics import COMMANDS, EVENTS, TICKS, Topics, dead_letter

UNDECODABLE_KEPT_BY = {EVENTS: "closing", COMMANDS: "children", TICKS: "children"}
"""Topics that several services read: the one service that dead-letters their undecodable messages,
so that each lands in the dead-letter topic once; the other readers skip them. A topic with one
reader is that reader's. (A message that decodes but can never apply is dead-lettered by the
service that refuses it.)"""


def keeps_undecodable(service: str, topic: str) -> bool:
    return UNDECODABLE_KEPT_BY.get(topic, service) == service


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

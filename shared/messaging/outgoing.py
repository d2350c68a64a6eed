"""A message to publish, in the form it is kept in an outbox until it is out."""

from dataclasses import dataclass
from typing import Any

from contracts.base import Envelope


@dataclass(frozen=True)
class Outgoing:
    """`topic` is the logical topic name; the publisher adds the deployment's prefix."""

    topic: str
    key: str
    type: str
    message_id: str
    value: str

    @classmethod
    def of(cls, topic: str, key: str, message: Envelope) -> "Outgoing":
        return cls(topic, key, message.type, message.message_id, message.model_dump_json())

    def to_doc(self) -> dict[str, str]:
        return {
            "topic": self.topic,
            "key": self.key,
            "type": self.type,
            "message_id": self.message_id,
            "value": self.value,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Outgoing":
        return cls(doc["topic"], doc["key"], doc["type"], doc["message_id"], doc["value"])

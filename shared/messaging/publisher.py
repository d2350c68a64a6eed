"""Publishing: keyed, in order per key, confirmed by the broker before a handler returns."""

import asyncio
from collections.abc import Sequence

from faststream.kafka import KafkaBroker

from contracts.topics import Topics
from shared.messaging.outgoing import Outgoing


class Publisher:
    def __init__(self, broker: KafkaBroker, topics: Topics) -> None:
        self._broker = broker
        self._topics = topics

    async def send(self, messages: Sequence[Outgoing]) -> None:
        """Send all, then wait for every acknowledgement (sends stay in order per key)."""
        pending = [
            await self._broker.publish(
                message.value.encode(),
                topic=self._topics.name(message.topic),
                key=message.key.encode(),
                headers={"type": message.type, "message_id": message.message_id},
                no_confirm=True,
            )
            for message in messages
        ]
        await asyncio.gather(*pending)

"""What every service process has: a broker, a database, a publisher, and a way to consume
topics that decodes each message by its `type`, dead-letters bad input and dispatches the rest.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from faststream import AckPolicy, FastStream
from faststream._internal.constants import EMPTY
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import CollectorRegistry, start_http_server
from pydantic import ValidationError
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from contracts.base import Envelope
from contracts.topics import ADAPTERS
from shared.domain.errors import DomainError
from shared.messaging.dead_letter import keeps_undecodable, send_to_dead_letter
from shared.messaging.outbox import Outbox
from shared.messaging.publisher import Publisher
from shared.settings import Settings

Handler = Callable[[Any], Awaitable[None]]
MAX_MESSAGE_BYTES = 1024 * 1024
RETRY_PAUSE_SECONDS = 0.5
log = logging.getLogger("continuity")


class TooLarge(ValueError):
    pass


class Runtime:
    def __init__(self, service: str, settings: Settings) -> None:
        self.service = service
        self.settings = settings
        self.topics = settings.topics
        self.registry = CollectorRegistry()
        self.broker = KafkaBroker(
            settings.kafka_bootstrap_servers,
            client_id=f"continuity-{service}",
            enable_idempotence=True,
            logger=EMPTY if settings.message_log else None,  # EMPTY: FastStream's own default logger
            middlewares=[KafkaPrometheusMiddleware(registry=self.registry, app_name=service)],
        )
        self.client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(settings.mongodb_url, tz_aware=False)
        self.db: AsyncDatabase[dict[str, Any]] = self.client[settings.mongodb_database]
        self.outbox = Outbox(Publisher(self.broker, self.topics))
        self.startup: list[Callable[[], Awaitable[None]]] = []

    def consume(self, topics: list[str], handlers: Mapping[type[Envelope], Handler]) -> None:
        """One consumer for all of a service's topics, so its handlers never race each other."""
        physical = [self.topics.name(topic) for topic in topics]

        @self.broker.subscriber(
            *physical,
            group_id=self.settings.group_id(self.service),
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            max_poll_interval_ms=30 * 60 * 1000,
        )
        async def on_message(msg: KafkaMessage) -> None:
            record = msg.raw_message
            assert not isinstance(record, tuple)
            try:
                if len(msg.body) > MAX_MESSAGE_BYTES:
                    raise TooLarge(f"message of {len(msg.body)} bytes is over {MAX_MESSAGE_BYTES}")
                message = ADAPTERS[self.topics.logical(record.topic)].validate_json(msg.body)
            except (ValidationError, TooLarge) as error:
                if not keeps_undecodable(self.service, self.topics.logical(record.topic)):
                    log.warning("%s: skipping undecodable %s@%s (another service dead-letters it): %s",
                                self.service, record.topic, record.offset, error)
                    return
                log.warning("%s: dead-lettering %s@%s: %s", self.service, record.topic, record.offset, error)
                await send_to_dead_letter(self.broker, self.topics, self.service, msg, error)
                return
            handler = handlers.get(type(message))
            if handler is None:
                return  # a type this service does not act on (topics are shared by several consumers)
            try:
                await handler(message)
            except DomainError as error:  # permanent: the message can never apply; keep it, move on
                log.warning("%s: %s %s refused: %s", self.service, message.type, message.message_id, error.reason)
                await send_to_dead_letter(self.broker, self.topics, self.service, msg, error)
            except Exception:
                log.exception(
                    "%s: %s %s failed; it will be processed again", self.service, message.type, message.message_id
                )
                await asyncio.sleep(RETRY_PAUSE_SECONDS)
                raise

    async def start(self) -> None:
        await self._prepare()
        await self.broker.start()

    async def _prepare(self) -> None:
        """Connect the producer first: start-up steps publish what a crash left in outboxes."""
        await self.broker.connect()
        for step in self.startup:
            await step()

    async def stop(self) -> None:
        await self.broker.stop()
        await self.client.close()

    def app(self, ready_file: str | None) -> FastStream:
        async def mark_ready() -> None:
            if ready_file:
                Path(ready_file).touch()

        async def prepare() -> None:
            if self.settings.metrics_port:
                start_http_server(self.settings.metrics_port, registry=self.registry)
            await self._prepare()

        async def close() -> None:
            await self.client.close()

        return FastStream(self.broker, on_startup=[prepare], after_startup=[mark_ready], after_shutdown=[close])

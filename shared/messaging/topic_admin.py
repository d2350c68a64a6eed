"""Creates the project's topics on the broker: `python -m shared.messaging.topic_admin`.

Idempotent: topics that exist are left as they are (their partition count included).
"""

import asyncio
import logging
import time
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]
from aiokafka.errors import (  # type: ignore[import-untyped]
    KafkaConnectionError,
    KafkaError,
    TopicAlreadyExistsError,
    for_code,
)

from shared.settings import Settings

log = logging.getLogger(__name__)

REPLICATION_FACTOR = 1
"""Local stack and CI run one broker; a real cluster's topics are created by its operators."""


async def _started_admin(settings: Settings, timeout_s: float) -> AIOKafkaAdminClient:
    """An admin client that reached the broker; retried because a broker that just opened its port
    may not answer metadata requests yet."""
    deadline = time.monotonic() + timeout_s
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
        try:
            await admin.start()
            return admin
        except KafkaConnectionError:
            await admin.close()
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


def _raise_for_errors(response: Any) -> None:
    for topic_error in response.topic_errors:
        topic, code = topic_error[0], topic_error[1]
        if code == 0:
            continue
        error = for_code(code)
        if error is TopicAlreadyExistsError:  # created concurrently by another caller: fine
            continue
        raise error(f"cannot create topic {topic!r}")


async def ensure_topics(settings: Settings, names: list[str], partitions: int, *, timeout_s: float = 30.0) -> None:
    """Create every topic of `names` that the broker does not have yet."""
    admin = await _started_admin(settings, timeout_s)
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in dict.fromkeys(names) if name not in existing]
        if not missing:
            return
        new_topics = [NewTopic(name, partitions, REPLICATION_FACTOR) for name in missing]
        _raise_for_errors(await admin.create_topics(new_topics))
        log.info("created %d topics with %d partitions", len(missing), partitions)
    finally:
        await admin.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    names = settings.topics.all_with_dead_letters()
    try:
        asyncio.run(ensure_topics(settings, names, settings.topic_partitions))
    except KafkaError as error:
        raise SystemExit(f"topic_admin: {error!r} (broker {settings.kafka_bootstrap_servers})") from error
    print(f"topic_admin: {len(names)} topics present on {settings.kafka_bootstrap_servers}")


if __name__ == "__main__":
    main()

"""Where the real Kafka broker and document store are: the environment's, testcontainers' when a
Docker engine answers, or the project's local stack (`infra/stack.sh up`)."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0


@contextmanager
def servers() -> Iterator[tuple[str, str]]:
    """(KAFKA_BOOTSTRAP_SERVERS, MONGODB_URL) of real servers for the whole test session."""
    kafka, mongo = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("MONGODB_URL")
    if kafka and mongo:
        yield kafka, mongo
    elif docker_answers():
        from testcontainers.kafka import KafkaContainer
        from testcontainers.mongodb import MongoDbContainer

        with KafkaContainer("apache/kafka:3.9.1").with_kraft() as k, MongoDbContainer("mongo:7") as m:
            yield k.get_bootstrap_server(), m.get_connection_url()
    else:
        yield "127.0.0.1:9092", "mongodb://127.0.0.1:27017/"

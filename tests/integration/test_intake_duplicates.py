"""Intake makes one continuity order per (sales order id, line id), whatever is delivered twice:
the same message, the same order under a new message id, or the whole sales topic replayed."""

import asyncio
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]

from contracts import topics
from services.intake import app as intake_app
from tests.integration import messages as m
from tests.integration.system import INTAKE, System

BOOKS = [m.event(1, "BOOK-1"), m.event(2, "BOOK-2", action="end")]


SERVICES_UNDER_TEST = INTAKE


async def given_books_on(system: System, business_date: str) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", BOOKS)))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.accepted"), description="program accepted")
    await system.send(topics.CLOCK, m.clock(business_date))
    await system.wait_for(lambda: system.of(topics.TICKS, "business_date.accepted"), description="business date")


async def wait_until_caught_up(system: System, group_id: str, timeout: float = 30.0) -> None:
    """Wait until `group_id` has committed the end offset of every partition of the intake's topics."""
    consumer = AIOKafkaConsumer(bootstrap_servers=system.settings.kafka_bootstrap_servers, group_id=group_id,
                                enable_auto_commit=False)
    partitions = [
        TopicPartition(system.topics.name(topic), partition)
        for topic in (topics.ADMIN, topics.SALES_ORDERS)
        for partition in range(system.settings.topic_partitions)
    ]
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        deadline = time.monotonic() + timeout
        while not all([(await consumer.committed(tp) or 0) >= ends[tp] for tp in partitions]):
            assert time.monotonic() < deadline, f"{group_id} did not catch up within {timeout}s"
            await asyncio.sleep(0.2)
    finally:
        await consumer.stop()


def orders(system: System) -> list[dict[str, Any]]:
    return system.of(topics.EVENTS, "continuity_order.created")


async def test_the_same_sales_order_message_twice_makes_one_order(system: System) -> None:
    await given_books_on(system, "2027-01-05")
    placed = m.sales_order("SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT"))
    await system.send(topics.SALES_ORDERS, placed)
    await system.send(topics.SALES_ORDERS, placed)
    await system.wait_for(lambda: orders(system), description="order created")
    await system.settle()

    assert [order["continuity_order_id"] for order in orders(system)] == ["CO-SO-1-1"]


async def test_the_same_sales_order_under_a_new_message_id_makes_no_second_order(system: System) -> None:
    await given_books_on(system, "2027-01-05")
    placed = m.sales_order("SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT"))
    await system.send(topics.SALES_ORDERS, placed)
    await system.wait_for(lambda: orders(system), description="order created")
    await system.send(topics.ADMIN, m.upsert("adm-2", m.program("BOOKS", BOOKS, name="Books v2")))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.accepted", version=2), description="v2")
    await system.send(topics.SALES_ORDERS, {**placed, "message_id": "so-SO-1-resent"}, key="SO-1")
    await system.settle()

    [order] = orders(system)
    assert (order["continuity_order_id"], order["program_version"]) == ("CO-SO-1-1", 1)


async def test_a_rejected_line_is_not_rejected_again_by_a_redelivery(system: System) -> None:
    await given_books_on(system, "2027-01-05")
    placed = m.sales_order("SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT", schedule=m.schedule(2)))
    await system.send(topics.SALES_ORDERS, placed)
    await system.send(topics.SALES_ORDERS, placed)
    await system.settle()

    assert len(system.of(topics.EVENTS, "continuity_order.rejected")) == 1


async def test_a_replay_of_the_whole_sales_topic_creates_nothing_new(system: System) -> None:
    await given_books_on(system, "2027-01-05")
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT")))
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-2", "2027-01-05", m.line("1", "BOOKS-PARENT"),
                                                          m.line("2", "BOOKS-PARENT", start="2027-02-01")))
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-3", "2027-01-05",
                                                          m.line("1", "BOOKS-PARENT", schedule=m.schedule(2))))
    await system.wait_for(lambda: len(orders(system)) == 3, description="three orders")
    await system.settle()
    before = {topic: list(seen) for topic, seen in system.seen.items()}
    await system.send(topics.ADMIN, m.deactivate("adm-2", "BOOKS"))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.deactivated"), description="deactivated")

    replay_settings = system.settings.model_copy(update={"consumer_group_prefix": "replay"})
    replay = intake_app.create(replay_settings)
    await replay.start()
    try:
        await wait_until_caught_up(system, replay_settings.group_id("intake"))
        await system.settle()
    finally:
        await replay.stop()

    assert sorted(o["continuity_order_id"] for o in orders(system)) == ["CO-SO-1-1", "CO-SO-2-1", "CO-SO-2-2"]
    new_events = [e for e in system.seen[topics.EVENTS] if e not in before[topics.EVENTS]]
    assert [e["type"] for e in new_events] == ["program.deactivated"]

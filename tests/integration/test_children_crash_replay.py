"""Crashes and replays never make a second child order: the children service down while the clock
moves, and every topic processed again from the start by fresh consumer groups."""

from collections import Counter

from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]

from contracts import topics
from services.children.app import create as create_children
from services.periods.app import create as create_periods
from shared.settings import Settings
from tests.integration import messages as m
from tests.integration.children_support import (
    CORE,
    admit,
    advance,
    children_of,
    line_nos,
    place,
    wait_for_children,
    wait_until_handled,
)
from tests.integration.system import System

SERVICES_UNDER_TEST = CORE


def trio() -> m.Record:
    return m.program("TRIO", [m.event(n, f"BOOK-{n}", action="end" if n == 3 else "normal") for n in range(1, 4)])


def counts(system: System) -> Counter[str]:
    return Counter(child["child_order_id"] for child in system.of(topics.CHILD_ORDERS, "child_order.created"))


async def lag(settings: Settings, service: str, topic: str) -> int:
    """How many messages of `topic` the service's consumer group has not committed yet."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers,
                                group_id=settings.group_id(service), enable_auto_commit=False)
    await consumer.start()
    try:
        name = settings.topics.name(topic)
        await consumer.topics()
        partitions = [TopicPartition(name, p) for p in sorted(consumer.partitions_for_topic(name) or ())]
        ends = await consumer.end_offsets(partitions)
        return sum([ends[tp] - (await consumer.committed(tp) or 0) for tp in partitions])
    finally:
        await consumer.stop()


async def test_a_tick_sent_while_the_children_service_is_down_makes_its_children_once_on_restart(
    system: System,
) -> None:
    await admit(system, trio())
    await advance(system, "2027-01-05")
    order_id = (await place(system, "SO-1", "2027-01-05", "TRIO-PARENT"))["continuity_order_id"]
    await wait_for_children(system, order_id, 1)

    await system.stop_service("children")
    await system.send(topics.CLOCK, m.clock("2027-02-05"))
    await system.wait_for(lambda: system.of(topics.TICKS, business_date="2027-02-05"), description="the tick")
    await system.settle()
    assert len(children_of(system, order_id)) == 1

    await system.start_service("children")
    await wait_for_children(system, order_id, 2)
    await advance(system, "2027-03-05")
    await wait_for_children(system, order_id, 3)
    await system.settle()
    assert line_nos(children_of(system, order_id)) == [[1], [2], [3]]
    assert set(counts(system).values()) == {1}


async def test_an_order_and_a_tick_arriving_while_the_children_service_is_down_make_one_child_each(
    system: System,
) -> None:
    await admit(system, trio())
    await advance(system, "2027-01-05")
    await system.stop_service("children")
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-2", "2027-01-05", m.line("1", "TRIO-PARENT")))
    created = await system.wait_for(lambda: system.of(topics.EVENTS, "continuity_order.created"),
                                    description="the order")
    order_id = created[0]["continuity_order_id"]
    await system.send(topics.CLOCK, m.clock("2027-02-05"))
    tick = await system.wait_for(lambda: system.of(topics.TICKS, business_date="2027-02-05"), description="tick")

    await system.start_service("children")
    await wait_until_handled(system, tick[0]["message_id"])
    children = await wait_for_children(system, order_id, 2)
    await system.settle()
    assert line_nos(children) == [[1], [2]]
    assert set(counts(system).values()) == {1}


async def test_processing_every_topic_again_with_fresh_consumer_groups_makes_no_second_child_order(
    system: System,
) -> None:
    await admit(system, trio())
    await admit(system, m.program("COFFEE", [m.event(1, "BEANS", occurrences=None)], consolidate_past_orders=True))
    await advance(system, "2027-01-05")
    trio_id = (await place(system, "SO-3", "2027-01-05", "TRIO-PARENT"))["continuity_order_id"]
    coffee_id = (await place(system, "SO-4", "2027-01-05", "COFFEE-PARENT"))["continuity_order_id"]
    await system.send(topics.COMMANDS, m.command("order.skip", "cmd-skip", coffee_id, mode="defer"), key=coffee_id)
    await system.wait_for(lambda: system.of(topics.EVENTS, "order.skipped"), description="the skip")
    for day in ("2027-02-05", "2027-03-05", "2027-09-05"):
        await advance(system, day)
    await wait_for_children(system, trio_id, 3)
    await wait_for_children(system, coffee_id, 3)
    await system.settle()
    before = counts(system)
    assert set(before.values()) == {1}

    await system.stop_service("children")
    await system.stop_service("periods")
    replay = system.settings.model_copy(update={"consumer_group_prefix": "replay"})
    replays = [create_periods(replay), create_children(replay)]
    for runtime in replays:
        await runtime.start()
    try:
        await system.settle(quiet=3.0)
        for service, topic in (("periods", topics.CLOCK), ("children", topics.TICKS), ("children", topics.EVENTS)):
            assert await lag(replay, service, topic) == 0, f"{service} replayed all of {topic}"
    finally:
        for runtime in replays:
            await runtime.stop()

    assert counts(system) == before
    assert len(system.of(topics.TICKS)) == 3 + 1, "periods makes no tick again"
    assert system.of(topics.EVENTS, "business_date.ignored") == []

"""An order closes when a command, not a child order, ends its shipments: forfeiting the last open
line, or a program update that drops the unsent rest. All five services on the real broker and store."""

from contracts import topics
from tests.integration import messages as m
from tests.integration.children_support import Record, admit, advance, place, wait_for_children
from tests.integration.system import System

UP_FRONT = {"bill_up_front": True}


def two_boxes(version_price: str = "12.50", occurrences: int = 2) -> Record:
    """One monthly box, `occurrences` times, billed up front so one payment covers the order."""
    return m.program("TWO", [m.event(1, "BOX", price=version_price, occurrences=occurrences)], **UP_FRONT)


async def first_box_shipped_and_paid(system: System) -> str:
    """Order placed and paid on 2027-01-10, its first box made and invoiced; the order stays open."""
    await advance(system, "2027-01-10")
    created = await place(system, "SO-1", "2027-01-10", "TWO-PARENT")
    order_id: str = created["continuity_order_id"]
    charge = await system.wait_for(lambda: system.of(topics.PAYMENT_REQUESTS, "payment.requested"),
                                   description="up-front charge")
    await system.send(topics.PAYMENT_RESULTS, m.payment("payment.succeeded", "pay-1", charge[0]["payment_request_id"]))
    [child] = await wait_for_children(system, order_id, 1)
    await system.send(topics.FULFILLMENT_STATUS, m.invoiced("inv-1", child["child_order_id"]))
    await system.wait_for(lambda: system.of(topics.EVENTS, "line.closed", continuity_order_id=order_id),
                          description="first line closed")
    await system.settle()
    assert not system.of(topics.EVENTS, "continuity_order.closed"), "one box is still to come"
    return order_id


async def closed(system: System, order_id: str) -> Record:
    found: list[Record] = await system.wait_for(
        lambda: system.of(topics.EVENTS, "continuity_order.closed", continuity_order_id=order_id),
        description="order closed")
    return found[0]


async def test_forfeiting_the_last_open_shipment_closes_the_order(system: System) -> None:
    await admit(system, two_boxes())
    order_id = await first_box_shipped_and_paid(system)

    await system.send(topics.COMMANDS, m.command("order.skip", "cmd-forfeit", order_id, mode="forfeit"), key=order_id)
    ended = await system.wait_for(lambda: system.of(topics.EVENTS, "order.shipments_ended"), description="ended")
    assert ended[0]["continuity_order_id"] == order_id and ended[0]["reason"] == "order.skip"
    assert (await closed(system, order_id))["reason"] == "completed"


async def test_an_update_dropping_the_unsent_shipments_closes_the_order(system: System) -> None:
    await admit(system, two_boxes())
    order_id = await first_box_shipped_and_paid(system)
    await admit(system, two_boxes(occurrences=1), version=2)

    await system.send(topics.COMMANDS, {**m.command("program.apply_update", "cmd-update", order_id),
                                        "program_id": "TWO", "dry_run": False}, key=order_id)
    assert (await closed(system, order_id))["reason"] == "completed"
    await system.settle()
    assert len(system.of(topics.CHILD_ORDERS)) == 1

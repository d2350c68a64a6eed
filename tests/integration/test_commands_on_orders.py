"""Customer-service commands on a continuity order, seen from the outside: each one's event, the child
orders that follow (or do not), and `command.rejected` for a command that does not fit."""

from typing import Any

from contracts import topics
from tests.integration import messages as m
from tests.integration.children_support import (
    CORE,
    Record,
    admit,
    advance,
    children_of,
    items,
    line_nos,
    place,
    scheduled,
    set_parameters,
    ship_dates,
    wait_for_children,
)
from tests.integration.system import System

SHIP_DATES = ["2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10"]


SERVICES_UNDER_TEST = CORE


def boxes(price: str = "12.50") -> Record:
    """Four monthly boxes BOX-1..BOX-4, the last one ending the program."""
    events = [m.event(n, f"BOX-{n}", price=price, action="end" if n == 4 else "normal") for n in range(1, 5)]
    return m.program("BOXES", events)


async def order_of_boxes(system: System) -> str:
    """An order placed on 2027-01-05 that ships on the 10th of January to April."""
    await admit(system, boxes())
    await advance(system, "2027-01-05")
    created = await place(system, "SO-1", "2027-01-05", "BOXES-PARENT", start="2027-01-10")
    assert [line["ship_date"] for line in created["scheduled_lines"]] == SHIP_DATES
    order_id: str = created["continuity_order_id"]
    return order_id


async def command(system: System, type_: str, message_id: str, order_id: str, **fields: Any) -> None:
    await system.send(topics.COMMANDS, m.command(type_, message_id, order_id, **fields), key=order_id)


async def outcome(system: System, type_: str, order_id: str) -> Record:
    """The (single) event of this type about the order, once it has arrived."""
    found: list[Record] = await system.wait_for(
        lambda: system.of(topics.EVENTS, type_, continuity_order_id=order_id), description=type_)
    assert len(found) == 1, found
    return found[0]


async def rejection(system: System, command_message_id: str) -> Record:
    found: list[Record] = await system.wait_for(
        lambda: system.of(topics.EVENTS, "command.rejected", command_message_id=command_message_id),
        description=f"rejection of {command_message_id}")
    return found[0]


async def advance_through(system: System, *days: str) -> None:
    for day in days:
        await advance(system, day)


async def test_a_forfeited_shipment_is_never_sent_and_the_rest_keep_their_dates(system: System) -> None:
    order_id = await order_of_boxes(system)
    await command(system, "order.skip", "cmd-skip", order_id, mode="forfeit")
    skipped = await outcome(system, "order.skipped", order_id)
    assert (skipped["mode"], skipped["line_no"]) == ("forfeit", 1)

    await advance_through(system, *SHIP_DATES, "2027-05-10")
    await system.settle()
    children = children_of(system, order_id)
    assert line_nos(children) == [[2], [3], [4]]
    assert ship_dates(children) == SHIP_DATES[1:]
    assert [items(child) for child in children] == [["BOX-2"], ["BOX-3"], ["BOX-4"]]


async def test_a_deferred_shipment_moves_the_sequence_back_one_slot(system: System) -> None:
    order_id = await order_of_boxes(system)
    await command(system, "order.skip", "cmd-defer", order_id, mode="defer")
    skipped = await outcome(system, "order.skipped", order_id)
    assert (skipped["mode"], skipped["line_no"]) == ("defer", 1)

    await advance(system, "2027-01-10")
    await advance(system, "2027-02-10")
    assert items((await wait_for_children(system, order_id, 1))[0]) == ["BOX-1"]
    await advance_through(system, "2027-03-10", "2027-04-10", "2027-05-10", "2027-06-10")
    await system.settle()
    children = children_of(system, order_id)
    assert [items(child) for child in children] == [["BOX-1"], ["BOX-2"], ["BOX-3"], ["BOX-4"]]
    assert ship_dates(children) == ["2027-02-10", "2027-03-10", "2027-04-10", "2027-05-10"]


async def test_a_swap_changes_the_products_of_the_next_shipment_only(system: System) -> None:
    order_id = await order_of_boxes(system)
    swap = [{"item_id": "MUG", "quantity": 2, "unit_price": "5.00"}]
    await command(system, "order.swap_next", "cmd-swap", order_id, lines=swap)
    swapped = await outcome(system, "order.swapped", order_id)
    assert swapped["line_no"] == 1 and swapped["lines"] == swap

    await advance_through(system, "2027-01-10", "2027-02-10")
    first, second = await wait_for_children(system, order_id, 2)
    assert first["lines"] == swap and first["total"] == {"amount": "10.00", "currency": "EUR"}
    assert items(second) == ["BOX-2"] and second["total"] == {"amount": "12.50", "currency": "EUR"}


async def test_a_paused_order_makes_no_child_orders_until_its_pause_ends(system: System) -> None:
    order_id = await order_of_boxes(system)
    await advance(system, "2027-01-10")
    await wait_for_children(system, order_id, 1)
    await command(system, "order.pause", "cmd-pause", order_id, until="2027-03-15")
    assert (await outcome(system, "order.paused", order_id))["until"] == "2027-03-15"

    await advance_through(system, "2027-02-10", "2027-03-10", "2027-03-14")
    await system.settle()
    assert line_nos(children_of(system, order_id)) == [[1]]

    await advance(system, "2027-03-15")
    children = await wait_for_children(system, order_id, 3)
    assert line_nos(children) == [[1], [2], [3]], "the shipments missed while paused go out when it ends"
    await advance(system, "2027-04-10")
    assert line_nos(await wait_for_children(system, order_id, 4))[-1] == [4]


async def test_an_open_ended_pause_lasts_until_the_order_is_resumed(system: System) -> None:
    order_id = await order_of_boxes(system)
    await command(system, "order.pause", "cmd-pause", order_id, until=None)
    assert (await outcome(system, "order.paused", order_id))["until"] is None
    await advance_through(system, "2027-01-10", "2027-02-10", "2027-02-20")
    await system.settle()
    assert children_of(system, order_id) == []

    await command(system, "order.resume", "cmd-resume", order_id)
    await outcome(system, "order.resumed", order_id)
    assert line_nos(await wait_for_children(system, order_id, 2)) == [[1], [2]]
    await command(system, "order.resume", "cmd-resume-again", order_id)
    assert "not paused" in (await rejection(system, "cmd-resume-again"))["reason"]


async def test_a_cancelled_order_makes_no_further_child_orders(system: System) -> None:
    order_id = await order_of_boxes(system)
    await advance(system, "2027-01-10")
    await wait_for_children(system, order_id, 1)
    await command(system, "order.cancel", "cmd-cancel", order_id, reason="moving abroad")
    cancelled = await outcome(system, "order.cancelled", order_id)
    assert cancelled["reason"] == "moving abroad"
    assert [line["line_no"] for line in cancelled["cancelled_lines"]] == [2, 3, 4]
    assert cancelled["refund"] is None, "an order billed per shipment has nothing to refund"

    await advance_through(system, "2027-02-10", "2027-03-10", "2027-04-10")
    await command(system, "order.cancel", "cmd-cancel-again", order_id, reason="twice")
    assert "cancelled" in (await rejection(system, "cmd-cancel-again"))["reason"]
    await system.settle()
    assert line_nos(children_of(system, order_id)) == [[1]]
    assert len(system.of(topics.EVENTS, "order.cancelled", continuity_order_id=order_id)) == 1


async def test_extend_lines_schedules_more_shipments_on_demand(system: System) -> None:
    await set_parameters(system, repeat_threshold=3)
    await admit(system, m.program("COFFEE", [m.event(1, "BEANS", occurrences=None)]))
    await advance(system, "2027-01-05")
    created = await place(system, "SO-X", "2027-01-05", "COFFEE-PARENT", start="2027-02-01")
    order_id = created["continuity_order_id"]
    assert [line["line_no"] for line in created["scheduled_lines"]] == [1, 2, 3]

    await command(system, "order.extend_lines", "cmd-extend", order_id, count=5)
    updated = await outcome(system, "continuity_order.updated", order_id)
    assert [line["line_no"] for line in updated["scheduled_lines"]] == [4, 5, 6, 7, 8]
    assert [line["ship_date"] for line in updated["scheduled_lines"]] == [
        "2027-05-01", "2027-06-01", "2027-07-01", "2027-08-01", "2027-09-01"]


async def test_extend_lines_of_a_fully_scheduled_order_is_rejected(system: System) -> None:
    order_id = await order_of_boxes(system)
    await command(system, "order.extend_lines", "cmd-extend", order_id, count=2)
    assert "no further occurrences" in (await rejection(system, "cmd-extend"))["reason"]


async def test_a_new_start_date_moves_every_shipment_until_the_first_child_order(system: System) -> None:
    order_id = await order_of_boxes(system)
    await command(system, "order.change_start_date", "cmd-start", order_id, start_date="2027-02-20")
    updated = await outcome(system, "continuity_order.updated", order_id)
    assert [line["ship_date"] for line in updated["scheduled_lines"]] == [
        "2027-02-20", "2027-03-20", "2027-04-20", "2027-05-20"]

    await advance_through(system, "2027-01-10", "2027-02-10")
    await system.settle()
    assert children_of(system, order_id) == []
    await advance(system, "2027-02-20")
    child = (await wait_for_children(system, order_id, 1))[0]
    assert (child["ship_date"], items(child)) == ("2027-02-20", ["BOX-1"])

    await command(system, "order.change_start_date", "cmd-start-again", order_id, start_date="2027-06-01")
    assert "fixed" in (await rejection(system, "cmd-start-again"))["reason"]


async def test_a_new_program_version_changes_only_unsent_lines_and_a_dry_run_nothing(system: System) -> None:
    order_id = await order_of_boxes(system)
    await advance(system, "2027-01-10")
    await wait_for_children(system, order_id, 1)
    await admit(system, boxes(price="15.00"), version=2)

    await system.send(topics.COMMANDS, {**m.command("program.apply_update", "cmd-dry", order_id),
                                        "program_id": "BOXES", "dry_run": True})
    report = await outcome(system, "continuity_order.updated", order_id)
    assert report["dry_run"] is True
    assert [line["line_no"] for line in report["scheduled_lines"]] == [2, 3, 4]
    assert {line["lines"][0]["unit_price"] for line in report["scheduled_lines"]} == {"15.00"}
    await advance(system, "2027-02-10")
    assert (await wait_for_children(system, order_id, 2))[1]["total"]["amount"] == "12.50"

    await system.send(topics.COMMANDS, {**m.command("program.apply_update", "cmd-real", order_id),
                                        "program_id": "BOXES", "dry_run": False})
    await system.wait_for(lambda: len(system.of(topics.EVENTS, "continuity_order.updated")) == 2,
                          description="the update applied")
    applied = system.of(topics.EVENTS, "continuity_order.updated")[1]
    assert applied["dry_run"] is False
    assert [line["line_no"] for line in applied["scheduled_lines"]] == [3, 4]
    await advance_through(system, "2027-03-10", "2027-04-10")
    children = await wait_for_children(system, order_id, 4)
    assert [child["total"]["amount"] for child in children] == ["12.50", "12.50", "15.00", "15.00"]
    assert [child["lines"][0]["unit_price"] for child in children] == ["12.50", "12.50", "15.00", "15.00"]


async def test_commands_on_an_unknown_order_or_program_are_rejected(system: System) -> None:
    await command(system, "order.skip", "cmd-unknown", "CO-NOPE-1", mode="defer")
    rejected = await rejection(system, "cmd-unknown")
    assert rejected["continuity_order_id"] == "CO-NOPE-1" and rejected["command_type"] == "order.skip"
    assert "unknown" in rejected["reason"]

    await system.send(topics.COMMANDS, {**m.command("program.apply_update", "cmd-no-program", "-"),
                                        "program_id": "NOPE", "dry_run": False})
    rejected = await rejection(system, "cmd-no-program")
    assert rejected["program_id"] == "NOPE" and "unknown" in rejected["reason"]


async def test_a_rejected_command_changes_nothing(system: System) -> None:
    order_id = await order_of_boxes(system)
    await command(system, "order.pause", "cmd-pause-past", order_id, until="2027-01-01")
    assert "not after the business date" in (await rejection(system, "cmd-pause-past"))["reason"]
    await advance(system, "2027-01-10")
    assert line_nos(await wait_for_children(system, order_id, 1)) == [[1]]
    assert system.of(topics.EVENTS, "order.paused") == []
    assert sorted(scheduled(system, order_id)) == [1, 2, 3, 4]


async def test_lines_a_new_program_version_moves_into_the_past_are_still_shipped(system: System) -> None:
    order_id = await order_of_boxes(system)
    await advance(system, "2027-01-10")
    await wait_for_children(system, order_id, 1)
    await advance(system, "2027-01-25")
    weekly = boxes()
    weekly["events"] = [{**event, "interval": {"unit": "week", "count": 1}} for event in weekly["events"]]
    await admit(system, weekly, version=2)

    await system.send(topics.COMMANDS, {**m.command("program.apply_update", "cmd-weekly", order_id),
                                        "program_id": "BOXES", "dry_run": False})
    updated = await outcome(system, "continuity_order.updated", order_id)
    assert [line["ship_date"] for line in updated["scheduled_lines"]] == ["2027-01-17", "2027-01-24", "2027-01-31"]
    await advance_through(system, "2027-01-26", "2027-01-31")
    children = await wait_for_children(system, order_id, 4)
    assert ship_dates(children) == ["2027-01-10", "2027-01-17", "2027-01-24", "2027-01-31"]


async def test_a_new_program_version_also_governs_the_lines_scheduled_later(system: System) -> None:
    await set_parameters(system, repeat_threshold=2)
    beans = m.program("BEANS", [m.event(1, "BEANS", occurrences=4), m.event(2, "MUG", action="end")])
    await admit(system, beans)
    await advance(system, "2027-01-05")
    created = await place(system, "SO-U", "2027-01-05", "BEANS-PARENT", start="2027-01-10")
    order_id = created["continuity_order_id"]
    assert len(created["scheduled_lines"]) == 2, "the rest is scheduled later, by extension"
    beans["events"][1]["lines"][0]["item_id"] = "CUP"
    await admit(system, beans, version=2)

    await system.send(topics.COMMANDS, {**m.command("program.apply_update", "cmd-rename", order_id),
                                        "program_id": "BEANS", "dry_run": False})
    await system.settle()
    await advance_through(system, "2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10", "2027-05-10")
    children = await wait_for_children(system, order_id, 5)
    assert [items(child) for child in children] == [["BEANS"]] * 4 + [["CUP"]]

"""Program administration and call-center parameters through `continuity.admin.v1`, on the real
broker and store: versions, every broken rule in one rejection, nesting, parent items, deactivation."""

from typing import Any

from contracts import topics
from tests.integration import messages as m
from tests.integration.system import INTAKE, System

BOOKS = [m.event(1, "BOOK-1"), m.event(2, "BOOK-2"), m.event(3, "BOOK-3", action="end")]


SERVICES_UNDER_TEST = INTAKE


async def outcome(system: System, program_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The first `count` accepted or rejected answers about `program_id`."""
    def answers() -> list[dict[str, Any]]:
        return [
            message for message in system.of(topics.EVENTS, program_id=program_id)
            if message["type"] in ("program.accepted", "program.rejected")
        ]
    return list(await system.wait_for(lambda: len(answers()) >= count and answers(),
                                      description=f"{count} answer(s) about {program_id}"))


async def test_each_upsert_of_a_program_is_accepted_as_a_new_version(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", BOOKS)))
    await outcome(system, "BOOKS")
    await system.send(topics.ADMIN, m.upsert("adm-2", m.program("BOOKS", BOOKS, name="Books, second edition")))
    answers = await outcome(system, "BOOKS", 2)

    assert [(a["type"], a["version"]) for a in answers] == [("program.accepted", 1), ("program.accepted", 2)]
    await system.settle()
    assert len(system.of(topics.EVENTS, "program.accepted")) == 2


async def test_a_program_breaking_several_rules_gets_one_rejection_listing_each(system: System) -> None:
    broken = m.program(
        "BROKEN", [m.event(1, "BOOK-1"), m.event(3, "BOOK-3", action="end")],
        payment_schedule=m.schedule(3), days_after_order=-2,
    )
    unlimited_up_front = m.program(
        "FOREVER", [m.event(1, "COFFEE", occurrences=None, unit="week")], bill_up_front=True,
    )
    await system.send(topics.ADMIN, m.upsert("adm-1", broken))
    await system.send(topics.ADMIN, m.upsert("adm-2", unlimited_up_front))
    [rejected] = await outcome(system, "BROKEN")
    [forever] = await outcome(system, "FOREVER")

    assert rejected["type"] == "program.rejected"
    assert len(rejected["problems"]) == 3
    ids, days, schedule = rejected["problems"]
    assert ids == "event ids must run 1, 2, 3 ... in order without gaps, got [1, 3]"
    assert days == "days_after_order must not be negative, got -2"
    assert schedule == "a payment schedule is only allowed when the program is billed up front"
    assert rejected["reason"] == "; ".join(rejected["problems"])
    assert forever["type"] == "program.rejected"
    assert forever["problems"] == ["events [1] have unlimited occurrences, not allowed when billed up front"]
    await system.settle()
    assert len(system.of(topics.EVENTS, "program.rejected")) == 2
    assert system.of(topics.EVENTS, "program.accepted") == []


async def test_a_program_shipping_another_programs_parent_item_is_rejected_as_nesting(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", BOOKS)))
    await outcome(system, "BOOKS")
    bundle = m.program("BUNDLE", [m.event(1, "BOOKS-PARENT", action="end")])
    await system.send(topics.ADMIN, m.upsert("adm-2", bundle))
    [rejected] = await outcome(system, "BUNDLE")

    assert rejected["type"] == "program.rejected"
    assert rejected["problems"] == [
        "event 1, item BOOKS-PARENT: item is the parent item of a program; programs cannot be nested"
    ]


async def test_a_program_whose_parent_item_another_program_ships_is_rejected_as_nesting(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", BOOKS)))
    await outcome(system, "BOOKS")
    nested = m.program("NESTED", [m.event(1, "MUG", action="end")], parent_item_id="BOOK-2")
    await system.send(topics.ADMIN, m.upsert("adm-2", nested))
    [rejected] = await outcome(system, "NESTED")

    assert rejected["type"] == "program.rejected"
    assert len(rejected["problems"]) == 1
    assert "BOOK-2" in rejected["problems"][0] and "nested" in rejected["problems"][0]


async def test_a_second_active_program_with_the_same_parent_item_is_rejected(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", BOOKS)))
    await outcome(system, "BOOKS")
    rival = m.program("RIVAL", BOOKS, parent_item_id="BOOKS-PARENT")
    await system.send(topics.ADMIN, m.upsert("adm-2", rival))
    [rejected] = await outcome(system, "RIVAL")

    assert rejected["type"] == "program.rejected"
    assert rejected["problems"] == ["parent item BOOKS-PARENT is already the parent of another active program"]

    await system.send(topics.ADMIN, m.deactivate("adm-3", "BOOKS"))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.deactivated"), description="deactivated")
    await system.send(topics.ADMIN, m.upsert("adm-4", rival))
    answers = await outcome(system, "RIVAL", 2)
    assert answers[1]["type"] == "program.accepted" and answers[1]["version"] == 1


async def test_a_deactivated_program_rejects_new_orders_as_inactive(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", BOOKS)))
    await outcome(system, "BOOKS")
    await system.send(topics.ADMIN, m.deactivate("adm-2", "BOOKS"))
    [deactivated] = await system.wait_for(lambda: system.of(topics.EVENTS, "program.deactivated"),
                                          description="program.deactivated")
    assert (deactivated["program_id"], deactivated["version"]) == ("BOOKS", 1)

    await system.send(topics.SALES_ORDERS, m.sales_order("SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT")))
    [rejected] = await system.wait_for(lambda: system.of(topics.EVENTS, "continuity_order.rejected"),
                                       description="continuity_order.rejected")
    assert (rejected["sales_order_id"], rejected["line_id"], rejected["item_id"]) == ("SO-1", "1", "BOOKS-PARENT")
    assert "inactive" in rejected["reason"]
    await system.settle()
    assert system.of(topics.EVENTS, "continuity_order.created") == []


async def test_deactivating_an_unknown_program_is_rejected_as_a_command(system: System) -> None:
    await system.send(topics.ADMIN, m.deactivate("adm-1", "NOPE"))
    [rejected] = await system.wait_for(lambda: system.of(topics.EVENTS, "command.rejected"),
                                       description="command.rejected")

    assert rejected["command_type"] == "program.deactivate"
    assert rejected["command_message_id"] == "adm-1"
    assert rejected["program_id"] == "NOPE"
    assert "unknown program" in rejected["reason"]
    assert system.of(topics.EVENTS, "program.deactivated") == []


async def test_valid_parameters_are_accepted_as_sent(system: System) -> None:
    values = {"delivery_lead_days": 2, "repeat_threshold": 6, "max_child_orders_per_run": 10,
              "authorize_child_orders": True, "on_account_bill_days": 5, "payment_retry_days": [2, 4, 8]}
    await system.send(topics.ADMIN, m.parameters("adm-1", **values))
    [accepted] = await system.wait_for(lambda: system.of(topics.EVENTS, "parameters.accepted"),
                                       description="parameters.accepted")

    assert accepted["parameters"] == values


async def test_invalid_parameters_are_rejected_listing_each_problem(system: System) -> None:
    await system.send(topics.ADMIN, m.parameters("adm-1", delivery_lead_days=-1, payment_retry_days=[1, 3, 3]))
    [rejected] = await system.wait_for(lambda: system.of(topics.EVENTS, "parameters.rejected"),
                                       description="parameters.rejected")

    assert rejected["problems"] == [
        "delivery_lead_days must not be negative, got -1",
        "payment_retry_days must be strictly increasing, got [1, 3, 3]",
    ]
    await system.settle()
    assert system.of(topics.EVENTS, "parameters.accepted") == []

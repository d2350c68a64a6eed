"""The business date only moves forward: a repeated clock message, or one for the same or an older
date, makes no tick and no child order; the older and same-date ones are reported as ignored."""



from contracts import topics
from tests.integration import messages as m
from tests.integration.children_support import (
    CORE,
    admit,
    advance,
    children_of,
    line_nos,
    place,
    wait_for_children,
)
from tests.integration.system import System

SERVICES_UNDER_TEST = CORE


async def test_repeated_same_date_and_older_clock_messages_change_nothing(system: System) -> None:
    events = [m.event(n, f"BOOK-{n}", action="end" if n == 3 else "normal") for n in range(1, 4)]
    await admit(system, m.program("TRIO", events))
    await advance(system, "2027-01-05")
    order_id = (await place(system, "SO-T", "2027-01-05", "TRIO-PARENT"))["continuity_order_id"]
    await advance(system, "2027-02-05")
    await wait_for_children(system, order_id, 2)
    await system.settle()

    await system.send(topics.CLOCK, m.clock("2027-02-05"))  # the same message again
    await system.send(topics.CLOCK, m.clock("2027-02-05", "clk-again"))  # the same date, a new message
    await system.send(topics.CLOCK, m.clock("2027-01-20"))  # an older date
    await system.send(topics.CLOCK, m.clock("2027-01-05"))  # an older date, an old message
    await system.wait_for(lambda: len(system.of(topics.EVENTS, "business_date.ignored")) >= 2,
                          description="two ignored clock messages")
    await system.settle()

    ignored = {e["business_date"]: e for e in system.of(topics.EVENTS, "business_date.ignored")}
    assert sorted(ignored) == ["2027-01-20", "2027-02-05"], "the repeated message is not reported again"
    assert {e["current_business_date"] for e in ignored.values()} == {"2027-02-05"}
    assert "already" in ignored["2027-02-05"]["reason"]
    assert "never goes back" in ignored["2027-01-20"]["reason"]
    assert [t["business_date"] for t in system.of(topics.TICKS)] == ["2027-01-05", "2027-02-05"]
    assert line_nos(children_of(system, order_id)) == [[1], [2]]

    await advance(system, "2027-03-05")
    await wait_for_children(system, order_id, 3)
    await system.settle()
    assert len(children_of(system, order_id)) == 3


async def test_a_clock_message_before_any_order_sets_the_date_that_new_orders_start_from(system: System) -> None:
    await admit(system, m.program("SOLO", [m.event(1, "BOOK-1", action="end")]))
    await advance(system, "2027-03-01")
    created = await place(system, "SO-S", "2027-01-05", "SOLO-PARENT")

    assert created["start_date"] == "2027-03-01"
    children = await wait_for_children(system, created["continuity_order_id"], 1)
    assert children[0]["ship_date"] == "2027-03-01"

"""One order through all five services on the real broker and store."""

from contracts import topics
from tests.integration import messages as m
from tests.integration.system import System


async def test_one_event_program_from_sale_to_close(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("ONE", [m.event(1, "BOOK-1", action="end")])))
    await system.wait_for(
        lambda: system.of(topics.EVENTS, "program.accepted", program_id="ONE"), description="accepted"
    )
    await system.send(topics.CLOCK, m.clock("2027-01-05"))
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-1", "2027-01-05", m.line("1", "ONE-PARENT"),
                                                          m.line("2", "SOME-OTHER-ITEM")))
    created = await system.wait_for(lambda: system.of(topics.EVENTS, "continuity_order.created"),
                                    description="continuity_order.created")
    order_id = created[0]["continuity_order_id"]
    assert [line["ship_date"] for line in created[0]["scheduled_lines"]] == ["2027-01-05"]

    await system.send(topics.CLOCK, m.clock("2027-01-06"))
    children = await system.wait_for(lambda: system.of(topics.CHILD_ORDERS, "child_order.created"),
                                     description="child order")
    assert children[0]["continuity_order_id"] == order_id
    assert children[0]["total"] == {"amount": "12.50", "currency": "EUR"}
    requested = await system.wait_for(lambda: system.of(topics.PAYMENT_REQUESTS, "payment.requested"),
                                      description="payment requested")
    assert requested[0]["purpose"] == "child_order" and requested[0]["amount"]["amount"] == "12.50"

    await system.send(topics.PAYMENT_RESULTS, m.payment("payment.succeeded", "pay-1",
                                                         requested[0]["payment_request_id"]))
    await system.send(topics.FULFILLMENT_STATUS, m.invoiced("ful-1", children[0]["child_order_id"]))
    closed = await system.wait_for(lambda: system.of(topics.EVENTS, "continuity_order.closed"),
                                   description="order closed")
    assert closed[0] == {**closed[0], "continuity_order_id": order_id, "reason": "completed"}
    await system.settle()
    customer = {"customer_id": "C-42", "continuity_order_id": order_id}
    shipped = system.of(topics.NOTIFICATIONS, "notification.requested", kind="child_order_created", **customer)
    assert [n["data"]["child_order_id"] for n in shipped] == [children[0]["child_order_id"]]
    assert system.of(topics.NOTIFICATIONS, "notification.requested", kind="order_closed", **customer)
    assert len(system.of(topics.EVENTS, "continuity_order.created")) == 1
    assert len(system.of(topics.CHILD_ORDERS)) == 1

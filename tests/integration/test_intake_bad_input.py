"""Bad input on `sales.orders.v1` goes, byte for byte and with the reason in its headers, to the
dead-letter topic; intake keeps going with the messages after it."""

import json
from typing import Any

from contracts import topics
from tests.integration import messages as m
from tests.integration.system import INTAKE, System

KEY = "SO-BAD"
"""Every message here goes to one partition, so they are consumed in the order sent."""


SERVICES_UNDER_TEST = INTAKE


def headers(record: Any) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


def placed(sales_order_id: str, **changes: Any) -> dict[str, Any]:
    return {**m.sales_order(sales_order_id, "2027-01-05", m.line("1", "BOOKS-PARENT")), **changes}


async def test_bad_sales_orders_are_dead_lettered_with_their_reason_and_intake_keeps_going(system: System) -> None:
    await system.send(topics.ADMIN, m.upsert("adm-1", m.program("BOOKS", [m.event(1, "BOOK-1", action="end")])))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.accepted"), description="program accepted")
    missing_customer = placed("SO-2")
    del missing_customer["customer_id"]
    bad = [
        b'{"type": "sales_order.placed", "message_id": ',
        json.dumps(placed("SO-1", type="sales_order.cancelled")).encode(),
        json.dumps(missing_customer).encode(),
        json.dumps(placed("SO-3", schema_version=2)).encode(),
        b"\xff\xfe not even text",
    ]
    for value in bad:
        await system.send_raw(topics.SALES_ORDERS, value, key=KEY)
    await system.send(topics.SALES_ORDERS, placed("SO-4"), key=KEY)

    [order] = await system.wait_for(lambda: system.of(topics.EVENTS, "continuity_order.created"),
                                    description="the good order after the bad ones")
    assert order["sales_order_id"] == "SO-4"
    dead = await system.wait_for(lambda: len(system.dead[topics.SALES_ORDERS]) >= len(bad) and
                                 system.dead[topics.SALES_ORDERS], description="dead letters")
    await system.settle()
    assert [record.value for record in dead] == bad
    assert [record.key for record in dead] == [KEY.encode()] * len(bad)
    described = [headers(record) for record in dead]
    assert {h["service"] for h in described} == {"intake"}
    assert {h["source_topic"] for h in described} == {topics.SALES_ORDERS}
    assert {h["error_type"] for h in described} == {"ValidationError"}
    assert len({h["source_partition"] for h in described}) == 1
    offsets = [int(h["source_offset"]) for h in described]
    assert offsets == list(range(offsets[0], offsets[0] + len(bad)))
    invalid_json, unknown_type, missing, newer, not_text = (h["error"] for h in described)
    assert "json" in invalid_json.lower()
    assert "sales_order.cancelled" in unknown_type
    assert "customer_id" in missing
    assert "schema_version" in newer
    assert not_text
    assert len(system.of(topics.EVENTS, "continuity_order.created")) == 1
    assert len(system.dead[topics.SALES_ORDERS]) == len(bad)

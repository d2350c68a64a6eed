"""Intake of sales orders on the real broker and store: which lines become continuity orders, their
scheduled lines and dates, start dates, rejections with reasons, and `current_event` programs."""

from typing import Any

from contracts import topics
from tests.integration import messages as m
from tests.integration.system import INTAKE, System

Record = dict[str, Any]
MONTHLY = [m.event(1, "BOOK-1"), m.event(2, "BOOK-2"), m.event(3, "BOOK-3", action="end")]


SERVICES_UNDER_TEST = INTAKE


async def given_program(system: System, body: Record) -> None:
    await system.send(topics.ADMIN, m.upsert(f"adm-{body['program_id']}", body))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.accepted", program_id=body["program_id"]),
                          description=f"program {body['program_id']} accepted")


async def given_business_date(system: System, business_date: str) -> None:
    await system.send(topics.CLOCK, m.clock(business_date))
    await system.wait_for(lambda: system.of(topics.TICKS, "business_date.accepted", business_date=business_date),
                          description=f"business date {business_date}")


async def given_parameters(system: System, **values: Any) -> None:
    await system.send(topics.ADMIN, m.parameters("adm-parameters", **values))
    await system.wait_for(lambda: system.of(topics.EVENTS, "parameters.accepted"), description="parameters")


async def created(system: System, sales_order_id: str) -> Record:
    [order] = await system.wait_for(
        lambda: system.of(topics.EVENTS, "continuity_order.created", sales_order_id=sales_order_id),
        description=f"continuity order of {sales_order_id}",
    )
    return dict(order)


async def rejected(system: System, sales_order_id: str) -> Record:
    [rejection] = await system.wait_for(
        lambda: system.of(topics.EVENTS, "continuity_order.rejected", sales_order_id=sales_order_id),
        description=f"rejection of {sales_order_id}",
    )
    return dict(rejection)


def ship_dates(order: Record) -> list[str]:
    return [line["ship_date"] for line in order["scheduled_lines"]]


async def test_a_parent_item_line_creates_one_order_with_month_end_anchored_lines(system: System) -> None:
    await given_program(system, m.program("BOOKS", MONTHLY))
    await given_business_date(system, "2027-01-31")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-31", m.line("1", "BOOKS-PARENT", quantity=2), m.line("2", "BOOKMARK")))
    order = await created(system, "SO-1")

    assert order["continuity_order_id"] == "CO-SO-1-1"
    assert (order["line_id"], order["customer_id"], order["program_id"]) == ("1", "C-42", "BOOKS")
    assert (order["program_version"], order["start_date"], order["quantity"]) == (1, "2027-01-31", 2)
    assert order["scheduled_lines"] == [
        {"line_no": 1, "event_id": 1, "occurrence": 1, "ship_date": "2027-01-31",
         "lines": [{"item_id": "BOOK-1", "quantity": 2, "unit_price": "12.50"}]},
        {"line_no": 2, "event_id": 2, "occurrence": 1, "ship_date": "2027-02-28",
         "lines": [{"item_id": "BOOK-2", "quantity": 2, "unit_price": "12.50"}]},
        {"line_no": 3, "event_id": 3, "occurrence": 1, "ship_date": "2027-03-31",
         "lines": [{"item_id": "BOOK-3", "quantity": 2, "unit_price": "12.50"}]},
    ]
    assert order["program_total"] == {"amount": "75.00", "currency": "EUR"}
    await system.settle()
    assert len(system.of(topics.EVENTS, "continuity_order.created")) == 1
    assert system.of(topics.EVENTS, "continuity_order.rejected") == []


async def test_repeat_threshold_caps_the_lines_of_an_event(system: System) -> None:
    await given_parameters(system, repeat_threshold=3)
    await given_program(system, m.program("FIVE", [m.event(1, "TEA", occurrences=5, action="end")]))
    await given_program(system, m.program("EVER", [m.event(1, "COFFEE", occurrences=None, unit="week")]))
    await given_business_date(system, "2027-01-10")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-10", m.line("1", "FIVE-PARENT"), m.line("2", "EVER-PARENT")))
    await system.wait_for(lambda: len(system.of(topics.EVENTS, "continuity_order.created")) == 2,
                          description="two orders")
    [five] = system.of(topics.EVENTS, "continuity_order.created", line_id="1")
    [ever] = system.of(topics.EVENTS, "continuity_order.created", line_id="2")

    assert ship_dates(five) == ["2027-01-10", "2027-02-10", "2027-03-10"]
    assert [line["occurrence"] for line in five["scheduled_lines"]] == [1, 2, 3]
    assert ship_dates(ever) == ["2027-01-10", "2027-01-17", "2027-01-24"]
    assert ever["program_total"] is None


async def test_a_program_billed_up_front_gets_all_its_lines(system: System) -> None:
    await given_parameters(system, repeat_threshold=3)
    await given_program(system, m.program("FIVE", [m.event(1, "TEA", occurrences=5, action="end")],
                                          bill_up_front=True))
    await given_business_date(system, "2027-01-10")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-10", m.line("1", "FIVE-PARENT", schedule=m.schedule(5))))
    order = await created(system, "SO-1")

    assert ship_dates(order) == ["2027-01-10", "2027-02-10", "2027-03-10", "2027-04-10", "2027-05-10"]
    assert order["bill_up_front"] is True
    assert order["payment_schedule"] == m.schedule(5)
    assert order["program_total"] == {"amount": "62.50", "currency": "EUR"}


async def test_the_requested_start_date_is_used_when_the_program_prompts_for_it(system: System) -> None:
    await given_program(system, m.program("BOOKS", MONTHLY, days_after_order=3))
    await given_business_date(system, "2027-01-05")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT", start="2027-02-10")))
    order = await created(system, "SO-1")

    assert order["start_date"] == "2027-02-10"
    assert ship_dates(order) == ["2027-02-13", "2027-03-13", "2027-04-13"]


async def test_a_start_date_before_the_business_date_becomes_the_business_date(system: System) -> None:
    await given_program(system, m.program("BOOKS", MONTHLY))
    await given_business_date(system, "2027-01-20")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT", start="2027-01-10")))
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-2", "2027-01-06", m.line("1", "BOOKS-PARENT")))
    requested, dated = await created(system, "SO-1"), await created(system, "SO-2")

    assert requested["start_date"] == dated["start_date"] == "2027-01-20"
    assert ship_dates(requested) == ["2027-01-20", "2027-02-20", "2027-03-20"]


async def test_a_requested_start_date_on_a_program_that_does_not_prompt_is_rejected(system: System) -> None:
    await given_program(system, m.program("BOOKS", MONTHLY, prompt_for_start_date=False))
    await given_business_date(system, "2027-01-05")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT", start="2027-02-01")))
    rejection = await rejected(system, "SO-1")

    assert (rejection["line_id"], rejection["item_id"]) == ("1", "BOOKS-PARENT")
    assert "start date" in rejection["reason"]
    await system.settle()
    assert system.of(topics.EVENTS, "continuity_order.created") == []


async def test_a_payment_schedule_on_a_program_not_billed_up_front_is_rejected(system: System) -> None:
    await given_program(system, m.program("BOOKS", MONTHLY))
    await given_business_date(system, "2027-01-05")
    await system.send(topics.SALES_ORDERS, m.sales_order(
        "SO-1", "2027-01-05", m.line("1", "BOOKS-PARENT", schedule=m.schedule(3)), m.line("2", "BOOKS-PARENT")))
    rejection = await rejected(system, "SO-1")
    order = await created(system, "SO-1")

    assert rejection["line_id"] == "1"
    assert "payment schedule is not allowed" in rejection["reason"]
    assert order["line_id"] == "2"


async def test_a_current_event_program_starts_a_customer_at_the_current_event(system: System) -> None:
    club = m.program("CLUB", [m.event(n, f"BOOK-{n}") for n in range(1, 7)],
                     order_start="current_event", program_start_date="2027-01-01")
    await given_program(system, club)
    await given_business_date(system, "2027-01-10")
    await given_business_date(system, "2027-03-15")
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-1", "2027-03-15", m.line("1", "CLUB-PARENT")))
    order = await created(system, "SO-1")

    assert [line["event_id"] for line in order["scheduled_lines"]] == [3, 4, 5, 6]
    assert [line["occurrence"] for line in order["scheduled_lines"]] == [1, 1, 1, 1]
    assert ship_dates(order) == ["2027-03-15", "2027-04-15", "2027-05-15", "2027-06-15"]
    assert order["program_total"] == {"amount": "50.00", "currency": "EUR"}, "the four books it gets, not six"

    await given_business_date(system, "2027-04-01")
    await system.settle()
    advanced = system.of(topics.EVENTS, "current_event.advanced", program_id="CLUB")
    assert [(a["business_date"], a["event_id"]) for a in advanced] == [
        ("2027-01-10", 1), ("2027-03-15", 3), ("2027-04-01", 4)
    ]

"""Billing on the real broker and store: per-shipment, up-front and installment charges, dunning and
holds, payment-gated release, refunds on cancel, and payment results that change nothing."""

from decimal import Decimal
from typing import Any

from contracts import topics
from tests.integration import messages as m
from tests.integration.system import System

Record = dict[str, Any]
MONTHLY = [m.event(1, "BOOK-1"), m.event(2, "BOOK-2"), m.event(3, "BOOK-3", action="end")]


async def start(
    system: System, program: Record, today: str = "2027-01-05", starting: str | None = None, **params: Any
) -> str:
    """Set up a program and parameters, move the clock to `today` and place one order there (with the
    requested start date `starting`)."""
    await system.send(topics.ADMIN, m.parameters("adm-params", **params))
    await system.wait_for(lambda: system.of(topics.EVENTS, "parameters.accepted"), description="parameters")
    await system.send(topics.ADMIN, m.upsert("adm-prog", program))
    await system.wait_for(lambda: system.of(topics.EVENTS, "program.accepted"), description="program accepted")
    await clock(system, today)
    parent = f"{program['program_id']}-PARENT"
    await system.send(topics.SALES_ORDERS, m.sales_order("SO-1", today, m.line("1", parent, start=starting)))
    created = await system.wait_for(
        lambda: system.of(topics.EVENTS, "continuity_order.created"), description="continuity_order.created"
    )
    return str(created[0]["continuity_order_id"])


async def clock(system: System, business_date: str) -> None:
    await system.send(topics.CLOCK, m.clock(business_date))
    await system.wait_for(
        lambda: system.of(topics.TICKS, "business_date.accepted", business_date=business_date),
        description=f"tick {business_date}",
    )


def requests(system: System, **fields: Any) -> list[Record]:
    return system.of(topics.PAYMENT_REQUESTS, "payment.requested", **fields)


async def requested(system: System, description: str, **fields: Any) -> Record:
    found: list[Record] = await system.wait_for(lambda: requests(system, **fields), description=description)
    assert len(found) == 1, found
    return found[0]


async def count(system: System, topic: str, type_: str, expected: int) -> None:
    await system.wait_for(lambda: len(system.of(topic, type_)) == expected, description=f"{expected} x {type_}")


async def pay(system: System, request: Record, ok: bool = True, message_id: str | None = None) -> None:
    rid = request["payment_request_id"]
    kind = "payment.succeeded" if ok else "payment.failed"
    await system.send(topics.PAYMENT_RESULTS, m.payment(kind, message_id or f"res-{rid}", rid, "card_declined"))


async def test_each_child_order_is_charged_when_it_is_made(system: System) -> None:
    order_id = await start(system, m.program("PER", MONTHLY))

    child = await system.wait_for(lambda: system.of(topics.EVENTS, "child_order.generated"), description="child")
    charge = await requested(system, "child charge", purpose="child_order")
    assert charge["child_order_id"] == child[0]["child_order_id"]
    assert charge["continuity_order_id"] == order_id
    assert charge["amount"] == {"amount": "12.50", "currency": "EUR"}
    assert charge["attempt"] == 1 and charge["idempotency_key"] == f"{child[0]['child_order_id']}:charge"
    assert system.of(topics.NOTIFICATIONS, "notification.requested", kind="payment_requested")

    await pay(system, charge)
    settled = await system.wait_for(lambda: system.of(topics.EVENTS, "payment.settled"), description="settled")
    assert settled[0]["child_order_id"] == child[0]["child_order_id"]
    await clock(system, "2027-02-05")
    await system.wait_for(lambda: len(requests(system, purpose="child_order")) == 2, description="second charge")


async def test_an_up_front_program_is_charged_once_at_intake_and_its_children_are_prepaid(system: System) -> None:
    order_id = await start(system, m.program("UPF", MONTHLY, bill_up_front=True))

    charge = await requested(system, "up-front charge", purpose="up_front")
    assert charge["amount"] == {"amount": "37.50", "currency": "EUR"}
    assert charge["continuity_order_id"] == order_id
    children = await system.wait_for(lambda: system.of(topics.CHILD_ORDERS, "child_order.created"), description="child")
    assert children[0]["prepaid"] is True
    await clock(system, "2027-02-05")
    await system.wait_for(lambda: len(system.of(topics.CHILD_ORDERS, "child_order.created")) == 2, description="2nd")
    await system.settle()
    assert len(requests(system)) == 1


async def test_an_order_starting_later_is_charged_up_front_at_intake(system: System) -> None:
    await start(system, m.program("UPF", MONTHLY, bill_up_front=True), starting="2027-03-01")

    charge = await requested(system, "up-front charge", purpose="up_front")
    assert (charge["due_date"], charge["amount"]["amount"]) == ("2027-01-05", "37.50")
    await system.settle()
    assert system.of(topics.CHILD_ORDERS) == [], "nothing ships before the start date"


async def test_installments_are_requested_on_account_bill_days_before_they_fall_due(system: System) -> None:
    events = [m.event(1, "BOOK-1", "40.00"), m.event(2, "BOOK-2", "30.00"), m.event(3, "BOOK-3", "30.00", action="end")]
    schedule = {"count": 3, "interval": {"unit": "month", "count": 1}}
    await start(
        system, m.program("INST", events, bill_up_front=True, payment_schedule=schedule), on_account_bill_days=5
    )

    first = await requested(system, "installment 1", purpose="installment")
    assert (first["due_date"], first["amount"]["amount"]) == ("2027-01-05", "33.34")
    await pay(system, first)
    await clock(system, "2027-01-30")
    await system.settle()
    assert len(requests(system)) == 1
    await clock(system, "2027-01-31")
    second = await requested(system, "installment 2", purpose="installment", due_date="2027-02-05")
    await pay(system, second)
    await clock(system, "2027-02-28")
    third = await requested(system, "installment 3", purpose="installment", due_date="2027-03-05")
    assert sum(Decimal(r["amount"]["amount"]) for r in (first, second, third)) == Decimal("100.00")
    assert len({r["idempotency_key"] for r in (first, second, third)}) == 3


async def test_an_installment_failed_before_its_due_date_holds_that_dates_shipment(system: System) -> None:
    schedule = {"count": 3, "interval": {"unit": "month", "count": 1}}
    program = m.program("EARLY", MONTHLY, bill_up_front=True, payment_schedule=schedule)
    order_id = await start(system, program, on_account_bill_days=5, payment_retry_days=[8, 20])
    await pay(system, await requested(system, "installment 1", purpose="installment"))
    await system.wait_for(lambda: system.of(topics.EVENTS, "child_order.generated"), description="first shipment")

    await clock(system, "2027-01-31")
    second = await requested(system, "installment 2", purpose="installment", due_date="2027-02-05")
    await pay(system, second, ok=False)
    held = await system.wait_for(lambda: system.of(topics.EVENTS, "order.on_hold"), description="hold ahead")
    assert (held[0]["continuity_order_id"], held[0]["effective_from"]) == (order_id, "2027-02-05")
    await system.settle(quiet=0.5)

    await clock(system, "2027-02-05")  # the shipment and the installment fall due on the same tick
    await system.settle()
    assert len(system.of(topics.EVENTS, "child_order.generated")) == 1, "no shipment while its installment failed"

    await clock(system, "2027-02-08")
    retry = await requested(system, "the retry", purpose="installment", due_date="2027-02-05", attempt=2)
    await pay(system, retry)
    await system.wait_for(lambda: system.of(topics.EVENTS, "order.hold_released"), description="released")
    generated = await system.wait_for(
        lambda: system.of(topics.EVENTS, "child_order.generated")[1:], description="the held shipment"
    )
    assert generated[0]["ship_date"] == "2027-02-05"


async def test_a_failing_charge_is_retried_then_holds_the_order_until_a_payment_succeeds(system: System) -> None:
    order_id = await start(system, m.program("DUN", MONTHLY), payment_retry_days=[1, 3, 7])
    attempt = await requested(system, "attempt 1", purpose="child_order", attempt=1)
    key = attempt["idempotency_key"]

    await pay(system, attempt, ok=False)
    declined = await system.wait_for(lambda: system.of(topics.EVENTS, "payment.declined"), description="declined")
    assert declined[0]["next_attempt_date"] == "2027-01-06"
    await system.wait_for(
        lambda: system.of(topics.EVENTS, "order.on_hold", continuity_order_id=order_id),
        description="held while the due charge is failed",
    )
    assert system.of(topics.NOTIFICATIONS, "notification.requested", kind="payment_failed")
    for number, retry_on in [(2, "2027-01-06"), (3, "2027-01-08"), (4, "2027-01-12")]:
        await clock(system, retry_on)
        attempt = await requested(system, f"attempt {number}", attempt=number)
        assert attempt["idempotency_key"] == key and attempt["due_date"] == "2027-01-05"
        await system.settle()
        assert len(requests(system)) == number, "no retry before its date"
        await pay(system, attempt, ok=False)
        await count(system, topics.EVENTS, "payment.declined", number)

    held = await system.wait_for(
        lambda: system.of(topics.EVENTS, "order.on_hold", reason="payment retries exhausted"), description="on hold"
    )
    assert held[0]["continuity_order_id"] == order_id
    assert system.of(topics.NOTIFICATIONS, "notification.requested", kind="order_on_hold")
    assert system.of(topics.EVENTS, "payment.declined")[-1]["next_attempt_date"] is None
    await system.settle()
    await clock(system, "2027-02-05")
    await system.settle()
    assert len(system.of(topics.EVENTS, "child_order.generated")) == 1, "no child orders while held"

    await pay(system, attempt, message_id="res-late")  # a late success of the last attempt
    await system.wait_for(lambda: system.of(topics.EVENTS, "order.hold_released"), description="hold released")
    await system.wait_for(lambda: len(system.of(topics.EVENTS, "child_order.generated")) == 2, description="missed")
    await requested(
        system,
        "the missed shipment's charge",
        purpose="child_order",
        attempt=1,
        child_order_id=system.of(topics.EVENTS, "child_order.generated")[1]["child_order_id"],
    )


async def test_an_operator_retry_on_a_new_card_lifts_the_hold(system: System) -> None:
    order_id = await start(system, m.program("RTY", MONTHLY), payment_retry_days=[1])
    first = await requested(system, "attempt 1", attempt=1)
    await pay(system, first, ok=False)
    await clock(system, "2027-01-06")
    await pay(system, await requested(system, "attempt 2", attempt=2), ok=False)
    await system.wait_for(lambda: system.of(topics.EVENTS, "order.on_hold", reason="payment retries exhausted"),
                          description="on hold")

    new_card = {"method": "card", "token": "tok_new"}
    retry = {**m.command("order.retry_payment", "cmd-retry", order_id), "payment": new_card}
    await system.send(topics.COMMANDS, retry, key=order_id)
    third = await requested(system, "the operator's retry", attempt=3)
    assert third["payment"] == new_card and third["idempotency_key"] == first["idempotency_key"]
    await pay(system, third)
    await system.wait_for(lambda: system.of(topics.EVENTS, "order.hold_released"), description="hold released")

    await system.send(topics.COMMANDS, m.command("order.retry_payment", "cmd-again", order_id), key=order_id)
    rejected = await system.wait_for(
        lambda: system.of(topics.EVENTS, "command.rejected", command_message_id="cmd-again"), description="rejected"
    )
    assert "no failed payment" in rejected[0]["reason"]
    await system.settle()
    assert len(requests(system)) == 3


async def test_a_bad_command_is_dead_lettered_once_though_two_services_read_it(system: System) -> None:
    await system.send_raw(topics.COMMANDS, b'{"type": "order.retry_payment", "message_id": ', key="CO-1")
    dead = await system.wait_for(lambda: system.dead_letters(topics.COMMANDS), description="dead letter")
    await system.settle()
    assert len(system.dead_letters(topics.COMMANDS)) == 1
    assert dict(dead[0].headers)["service"] == b"children"


async def test_a_payment_gated_child_order_is_released_only_after_its_payment(system: System) -> None:
    await start(system, m.program("GATE", MONTHLY), authorize_child_orders=True)
    charge = await requested(system, "child charge", purpose="child_order")
    generated = system.of(topics.EVENTS, "child_order.generated")
    assert generated and generated[0]["released"] is False
    await system.settle()
    assert not system.of(topics.CHILD_ORDERS, "child_order.created")

    await pay(system, charge)
    created = await system.wait_for(lambda: system.of(topics.CHILD_ORDERS, "child_order.created"), description="fulfil")
    assert created[0]["child_order_id"] == charge["child_order_id"]


async def test_cancelling_a_prepaid_order_refunds_its_cancelled_lines(system: System) -> None:
    order_id = await start(system, m.program("REF", MONTHLY, bill_up_front=True))
    charge = await requested(system, "up-front charge", purpose="up_front")
    await pay(system, charge)
    await system.wait_for(lambda: system.of(topics.EVENTS, "payment.settled"), description="settled")
    await system.wait_for(lambda: system.of(topics.EVENTS, "child_order.generated"), description="first shipment")

    await system.send(topics.COMMANDS, m.command("order.cancel", "cmd-cancel", order_id, reason="moving abroad"))
    refund = await system.wait_for(lambda: system.of(topics.PAYMENT_REQUESTS, "refund.requested"), description="refund")
    assert refund[0]["amount"] == {"amount": "25.00", "currency": "EUR"}
    assert refund[0]["continuity_order_id"] == order_id and refund[0]["reason"] == "moving abroad"
    await system.settle()
    assert len(system.of(topics.PAYMENT_REQUESTS, "refund.requested")) == 1


async def test_duplicate_and_unknown_payment_results_change_nothing_and_are_reported(system: System) -> None:
    await start(system, m.program("DUP", MONTHLY))
    charge = await requested(system, "child charge", purpose="child_order")
    await pay(system, charge, message_id="res-1")
    await system.wait_for(lambda: system.of(topics.EVENTS, "payment.settled"), description="settled")

    await pay(system, charge, message_id="res-1")  # redelivery: nothing at all
    await pay(system, charge, message_id="res-2")  # a second report of the same result
    await pay(system, charge, ok=False, message_id="res-3")  # a contradicting late report
    await system.send(topics.PAYMENT_RESULTS, m.payment("payment.succeeded", "res-4", "CO-NOPE-1:up_front:a1"))
    await system.send(topics.PAYMENT_RESULTS, m.payment("payment.failed", "res-5", "garbage"))
    ignored = await system.wait_for(
        lambda: (
            len(system.of(topics.EVENTS, "payment_result.ignored")) == 4
            and system.of(topics.EVENTS, "payment_result.ignored")
        ),
        description="four ignored results",
    )
    await system.settle()
    assert {i["message_id"] for i in ignored} == {f"payment_result.ignored:res-{n}" for n in (2, 3, 4, 5)}
    assert all(i["reason"] for i in ignored)
    assert len(system.of(topics.EVENTS, "payment.settled")) == 1
    assert not system.of(topics.EVENTS, "payment.declined") and not system.of(topics.EVENTS, "order.on_hold")
    assert len(requests(system)) == 1
    assert not system.dead_letters(topics.PAYMENT_RESULTS)

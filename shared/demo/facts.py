"""What the topics say about one run: its messages, and the checks that the run went as expected."""

from collections import Counter
from decimal import Decimal
from typing import Any

from contracts.topics import CHILD_ORDERS, EVENTS, PAYMENT_REQUESTS, TICKS
from shared.demo.bus import Bus, Seen
from shared.demo.world import BOOKS, FAILS_FIRST_PAYMENT, INSTALLMENTS, PRICE, ROLES, Run

Record = dict[str, Any]


def mine(run: Run, bus: Bus) -> list[Seen]:
    """The run's messages on every topic (dead letters included), in the order they were read."""
    orders = set(run.orders)
    children = {s.body.get("child_order_id") for s in bus.seen
                if s.topic == CHILD_ORDERS and s.body.get("continuity_order_id") in orders}
    requests = {s.body.get("payment_request_id") for s in bus.seen
                if s.topic == PAYMENT_REQUESTS and s.body.get("continuity_order_id") in orders}
    advanced = {day.isoformat() for day in run.advanced}

    def ours(seen: Seen) -> bool:
        body = seen.body
        if seen.topic.endswith(".dlq"):
            return run.run_id in str(body.get("raw", ""))
        nested = body.get("program")
        program_id = nested.get("program_id") if isinstance(nested, dict) else body.get("program_id")
        return (
            run.run_id in str(body.get("message_id", ""))
            or body.get("continuity_order_id") in orders
            or body.get("sales_order_id") in run.sales_orders
            or program_id in run.programs
            or body.get("child_order_id") in children
            or body.get("payment_request_id") in requests
            or (seen.topic == TICKS and body.get("business_date") in advanced)
        )

    return [seen for seen in bus.seen if ours(seen)]


def counts(messages: list[Seen]) -> Counter[str]:
    return Counter(seen.topic for seen in messages)


def of_order(messages: list[Seen], order_id: str) -> list[Seen]:
    return [seen for seen in messages if seen.body.get("continuity_order_id") == order_id]


def problems(run: Run, messages: list[Seen]) -> list[str]:
    """Everything that should have happened and did not; empty when the run went as planned."""
    found = [f"dead letter on {s.topic}: {s.body.get('headers', {}).get('error', '?')[:200]}"
             for s in messages if s.topic.endswith(".dlq")]
    roles = sorted(run.orders.values())
    if roles != sorted(ROLES):
        found.append(f"expected one continuity order per role {sorted(ROLES)}, got {roles}")
    for order_id, role in sorted(run.orders.items()):
        found.extend(f"{order_id} ({role}): {p}" for p in _order_problems(role, of_order(messages, order_id)))
    return found


def _order_problems(role: str, messages: list[Seen]) -> list[str]:
    def typed(topic: str, type_: str) -> list[Record]:
        return [s.body for s in messages if s.topic == topic and s.body.get("type") == type_]

    found = []
    children = typed(CHILD_ORDERS, "child_order.created")
    if len(children) != BOOKS:
        found.append(f"{len(children)} child orders, expected {BOOKS}")
    settled = typed(EVENTS, "payment.settled")
    total = sum((Decimal(s["amount"]["amount"]) for s in settled), Decimal(0))
    if total != BOOKS * PRICE:
        found.append(f"settled {total}, expected the program total {BOOKS * PRICE}")
    expected_charges = {"per_shipment": BOOKS, "up_front": 1, "installments": INSTALLMENTS}[role]
    if len(settled) != expected_charges:
        found.append(f"{len(settled)} settled charges, expected {expected_charges}")
    if role == FAILS_FIRST_PAYMENT:
        if not typed(EVENTS, "payment.declined"):
            found.append("the declined first payment left no payment.declined")
        if not any(r["attempt"] > 1 for r in typed(PAYMENT_REQUESTS, "payment.requested")):
            found.append("the declined first payment was never retried")
    closed = typed(EVENTS, "continuity_order.closed")
    if [c["reason"] for c in closed] != ["completed"]:
        found.append(f"closed {[c['reason'] for c in closed] or 'never'}, expected once as completed")
    return found

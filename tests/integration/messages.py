"""Builders of inbound messages as an upstream system would write them (plain JSON objects)."""

from typing import Any

Record = dict[str, Any]
AT = "2027-01-01T00:00:00Z"


def event(event_id: int, item: str, price: str = "12.50", occurrences: int | None = 1,
          unit: str = "month", action: str = "normal") -> Record:
    return {"event_id": event_id, "action": action, "occurrences": occurrences,
            "interval": {"unit": unit, "count": 1},
            "lines": [{"item_id": item, "quantity": 1, "unit_price": price}]}


def program(program_id: str, events: list[Record], **fields: Any) -> Record:
    return {"program_id": program_id, "name": f"{program_id} club", "parent_item_id": f"{program_id}-PARENT",
            "active": True, "order_start": "first_event", "program_start_date": None, "days_after_order": 0,
            "prompt_for_start_date": True, "consolidate_past_orders": False, "bill_up_front": False,
            "payment_schedule": None, "currency": "EUR", "events": events, **fields}


def upsert(message_id: str, body: Record) -> Record:
    return {"type": "program.upsert", "message_id": message_id, "occurred_at": AT, "program": body}


def parameters(message_id: str, **values: Any) -> Record:
    return {"type": "parameters.set", "message_id": message_id, "occurred_at": AT, "parameters": values}


def sales_order(sales_order_id: str, order_date: str, *lines: Record, customer: str = "C-42") -> Record:
    return {"type": "sales_order.placed", "message_id": f"so-{sales_order_id}", "occurred_at": AT,
            "sales_order_id": sales_order_id, "customer_id": customer, "order_date": order_date,
            "ship_to": {"name": "Ada L.", "line1": "1 Main St", "city": "Aarhus", "postal_code": "8000",
                        "country": "DK"},
            "payment": {"method": "card", "token": "tok_visa_4242"}, "lines": list(lines)}


def line(line_id: str, item_id: str, quantity: int = 1, start: str | None = None,
         schedule: Record | None = None) -> Record:
    return {"line_id": line_id, "item_id": item_id, "quantity": quantity, "requested_start_date": start,
            "payment_schedule": schedule}


def clock(business_date: str, message_id: str | None = None) -> Record:
    return {"type": "business_date.advanced", "message_id": message_id or f"clk-{business_date}",
            "occurred_at": f"{business_date}T00:00:00Z", "business_date": business_date}


def command(type_: str, message_id: str, order_id: str, **fields: Any) -> Record:
    return {"type": type_, "message_id": message_id, "occurred_at": AT, "continuity_order_id": order_id,
            "actor": "agent-17", **fields}


def payment(type_: str, message_id: str, request_id: str, reason: str | None = None) -> Record:
    body: Record = {"type": type_, "message_id": message_id, "occurred_at": AT, "payment_request_id": request_id}
    if reason:
        body["reason"] = reason
    return body


def invoiced(message_id: str, child_order_id: str) -> Record:
    return {"type": "child_order.invoiced", "message_id": message_id, "occurred_at": AT,
            "child_order_id": child_order_id}


def deactivate(message_id: str, program_id: str) -> Record:
    return {"type": "program.deactivate", "message_id": message_id, "occurred_at": AT, "program_id": program_id}


def schedule(count: int, unit: str = "month", every: int = 1) -> Record:
    """A payment schedule: `count` installments, one every `every` `unit`s."""
    return {"count": count, "interval": {"unit": unit, "count": every}}

"""What the demo puts in: a monthly book club in two editions (billed per shipment, and billed up
front), three customers' sales orders, all named after the run so that runs never meet."""

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

Record = dict[str, Any]
BOOKS = 6
PRICE = Decimal("12.50")
CURRENCY = "EUR"
INSTALLMENTS = 3


def new_run_id() -> str:
    return uuid.uuid4().hex[:6].upper()


@dataclass
class Run:
    """The ids of one run, and what was learnt about them from the topics."""

    run_id: str
    start: date
    orders: dict[str, str] = field(default_factory=dict)
    """continuity order id -> its role (per_shipment, up_front, installments)."""
    advanced: list[date] = field(default_factory=list)
    """The business dates this run moved the clock to."""

    @property
    def club(self) -> str:
        return f"BOOKCLUB-{self.run_id}"

    @property
    def prepaid_club(self) -> str:
        return f"BOOKCLUB-PREPAID-{self.run_id}"

    @property
    def programs(self) -> set[str]:
        return {self.club, self.prepaid_club}

    def sales_order_id(self, role: str) -> str:
        return f"SO-{self.run_id}-{ROLES.index(role) + 1}"

    @property
    def sales_orders(self) -> dict[str, str]:
        return {self.sales_order_id(role): role for role in ROLES}

    @property
    def program_total(self) -> Decimal:
        return PRICE * BOOKS


ROLES = ("per_shipment", "up_front", "installments")
FAILS_FIRST_PAYMENT = "per_shipment"


def _at(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def program(run: Run, program_id: str, *, bill_up_front: bool) -> Record:
    events = [
        {"event_id": n, "action": "end" if n == BOOKS else "normal", "occurrences": 1,
         "interval": {"unit": "month", "count": 1},
         "lines": [{"item_id": f"BOOK-{run.run_id}-{n}", "quantity": 1, "unit_price": str(PRICE)}]}
        for n in range(1, BOOKS + 1)
    ]
    return {"program_id": program_id, "name": f"Book of the month ({run.run_id})",
            "parent_item_id": f"{program_id}-PARENT", "active": True, "order_start": "first_event",
            "program_start_date": None, "days_after_order": 0, "prompt_for_start_date": True,
            "consolidate_past_orders": False, "bill_up_front": bill_up_front, "payment_schedule": None,
            "currency": CURRENCY, "events": events}


def upserts(run: Run) -> list[Record]:
    return [
        {"type": "program.upsert", "message_id": f"demo-{run.run_id}-{body['program_id']}", "schema_version": 1,
         "occurred_at": _at(run.start), "program": body}
        for body in (program(run, run.club, bill_up_front=False), program(run, run.prepaid_club, bill_up_front=True))
    ]


def parameters(run: Run) -> Record:
    """The documented defaults, stated: the demo relies on retries after 1, 3 and 7 days."""
    return {"type": "parameters.set", "message_id": f"demo-{run.run_id}-parameters", "schema_version": 1,
            "occurred_at": _at(run.start),
            "parameters": {"delivery_lead_days": 0, "repeat_threshold": 12, "max_child_orders_per_run": 0,
                           "authorize_child_orders": False, "on_account_bill_days": 0,
                           "payment_retry_days": [1, 3, 7]}}


def sales_orders(run: Run) -> list[Record]:
    schedule = {"count": INSTALLMENTS, "interval": {"unit": "month", "count": 1}}
    lines = {
        "per_shipment": [_line("1", f"{run.club}-PARENT"), _line("2", "BOOKMARK-GIFT")],
        "up_front": [_line("1", f"{run.prepaid_club}-PARENT")],
        "installments": [_line("1", f"{run.prepaid_club}-PARENT", schedule)],
    }
    return [
        {"type": "sales_order.placed", "message_id": f"demo-{run.sales_order_id(role)}", "schema_version": 1,
         "occurred_at": _at(run.start), "sales_order_id": run.sales_order_id(role),
         "customer_id": f"C-{run.run_id}-{n}", "order_date": run.start.isoformat(),
         "ship_to": {"name": name, "line1": "1 Main St", "city": "Aarhus", "postal_code": "8000", "country": "DK"},
         "payment": {"method": "card", "token": f"tok_demo_{n}"}, "lines": lines[role]}
        for n, (role, name) in enumerate(zip(ROLES, ("Ada L.", "Grace H.", "Edsger D."), strict=True), 1)
    ]


def _line(line_id: str, item_id: str, schedule: Record | None = None) -> Record:
    return {"line_id": line_id, "item_id": item_id, "quantity": 1, "requested_start_date": None,
            "payment_schedule": schedule}

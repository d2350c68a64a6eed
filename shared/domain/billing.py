"""Billing items: one per charge of a continuity order, and the plan that creates them.

An item is the unit of "at most one charge": its id is deterministic and doubles as
the idempotency key of every payment attempt made for it. Attempts and results are in
`shared.domain.dunning`, what they mean for the order in `shared.domain.billing_status`.
"""

from datetime import date, timedelta
from typing import Literal

from contracts.admin import PaymentSchedule
from contracts.base import Frozen, Money, PaymentMethod
from contracts.payments import Purpose
from shared.domain.calendar import add_interval
from shared.domain.errors import Rejected
from shared.domain.installments import split_installments

ItemState = Literal["scheduled", "requested", "failed", "settled", "cancelled"]


class BillingItem(Frozen):
    """One charge. `state` moves scheduled -> requested -> settled | failed -> requested ...

    `first_failure_date` is set by the first failure and kept: retries count from it.
    `exhausted` is set when the last retry failed, and only a success (or cancelling) clears it.
    """

    item_id: str
    continuity_order_id: str
    customer_id: str
    purpose: Purpose
    amount: Money
    due_date: date
    request_date: date
    idempotency_key: str
    payment: PaymentMethod
    state: ItemState = "scheduled"
    attempt: int = 0
    requested_on: date | None = None
    first_failure_date: date | None = None
    next_attempt_date: date | None = None
    exhausted: bool = False
    child_order_id: str | None = None

    @property
    def open(self) -> bool:
        """Money still to collect."""
        return self.state not in ("settled", "cancelled")

    @property
    def in_dunning(self) -> bool:
        """Failed at least once and not yet paid (a retry may be in flight)."""
        return self.open and self.first_failure_date is not None


def plan_for_order(
    order_id: str,
    customer_id: str,
    payment: PaymentMethod,
    intake_date: date,
    bill_up_front: bool,
    total: Money | None,
    schedule: PaymentSchedule | None,
    on_account_bill_days: int,
) -> list[BillingItem]:
    """The items billed at intake: none (billed per child order), one up-front charge, or installments.

    The up-front charge is due on the intake date, whatever the order's start date. Installment n
    (1-based) is due `n - 1` intervals after `intake_date`, counted from `intake_date` itself so
    month-end dates never drift, and is requested
    `on_account_bill_days` before it is due.
    """
    if not bill_up_front:
        if schedule is not None:
            raise Rejected("a payment schedule needs bill_up_front")
        return []
    if total is None:
        raise Rejected("a program billed up front needs a known total")
    if schedule is None:
        item_id = f"{order_id}:up_front"
        return [_item(item_id, order_id, customer_id, payment, "up_front", total, intake_date, intake_date)]
    if schedule.count < 1 or schedule.interval.count < 1:
        raise Rejected("a payment schedule needs at least one installment and a positive interval")
    amounts = split_installments(total.amount, schedule.count)
    items = []
    for n, amount in enumerate(amounts, start=1):
        due = add_interval(intake_date, schedule.interval, n - 1)
        items.append(
            _item(
                f"{order_id}:inst:{n}",
                order_id,
                customer_id,
                payment,
                "installment",
                Money(amount=amount, currency=total.currency),
                due,
                due - timedelta(days=on_account_bill_days),
            )
        )
    return items


def item_for_child(
    order_id: str,
    customer_id: str,
    payment: PaymentMethod,
    child_order_id: str,
    amount: Money,
    due_date: date,
) -> BillingItem:
    """The charge for one child order of an order not billed up front."""
    item_id = f"{child_order_id}:charge"
    return _item(
        item_id, order_id, customer_id, payment, "child_order", amount, due_date, due_date, child_order_id
    )


def _item(
    item_id: str,
    order_id: str,
    customer_id: str,
    payment: PaymentMethod,
    purpose: Purpose,
    amount: Money,
    due_date: date,
    request_date: date,
    child_order_id: str | None = None,
) -> BillingItem:
    return BillingItem(
        item_id=item_id,
        continuity_order_id=order_id,
        customer_id=customer_id,
        purpose=purpose,
        amount=amount,
        due_date=due_date,
        request_date=request_date,
        idempotency_key=item_id,
        payment=payment,
        child_order_id=child_order_id,
    )

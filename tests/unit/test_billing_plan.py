from calendar import monthrange
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.admin import Interval, PaymentSchedule
from contracts.base import Money, PaymentMethod
from shared.domain.billing import BillingItem, item_for_child, plan_for_order
from shared.domain.billing_status import refund_for
from shared.domain.errors import Rejected

CARD = PaymentMethod(method="card", token="tok_1")
MONTHLY = Interval(unit="month", count=1)


def usd(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="USD")


def plan(
    total: Money | None = None,
    schedule: PaymentSchedule | None = None,
    bill_up_front: bool = True,
    start: date = date(2027, 1, 31),
    bill_days: int = 0,
) -> list[BillingItem]:
    return plan_for_order("co-1", "cust-1", CARD, start, bill_up_front, total, schedule, bill_days)


def test_an_order_not_billed_up_front_has_no_plan() -> None:
    assert plan(total=None, bill_up_front=False) == []


def test_an_up_front_order_has_one_charge_for_the_total_due_at_intake() -> None:
    [item] = plan(usd("120.00"))
    assert (item.item_id, item.purpose, item.amount, item.due_date, item.request_date) == (
        "co-1:up_front",
        "up_front",
        usd("120.00"),
        date(2027, 1, 31),
        date(2027, 1, 31),
    )
    assert item.idempotency_key == item.item_id
    assert (item.state, item.attempt, item.next_attempt_date) == ("scheduled", 0, None)


def test_installments_anchor_on_the_start_day_and_never_drift() -> None:
    items = plan(usd("100.00"), PaymentSchedule(count=4, interval=MONTHLY))
    assert [i.item_id for i in items] == [f"co-1:inst:{n}" for n in (1, 2, 3, 4)]
    assert [i.due_date for i in items] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert [i.amount for i in items] == [usd("25.00")] * 4
    assert {i.purpose for i in items} == {"installment"}


def test_installment_requests_go_out_bill_days_before_the_due_date() -> None:
    items = plan(usd("10.00"), PaymentSchedule(count=2, interval=Interval(unit="week", count=2)), bill_days=3)
    assert [(i.due_date, i.request_date) for i in items] == [
        (date(2027, 1, 31), date(2027, 1, 28)),
        (date(2027, 2, 14), date(2027, 2, 11)),
    ]


@given(
    st.integers(min_value=1, max_value=10_000_000).map(lambda cents: Decimal(cents) / 100),
    st.integers(min_value=1, max_value=36),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_a_plan_bills_the_program_total_exactly(total: Decimal, count: int, start: date) -> None:
    items = plan(
        Money(amount=total, currency="EUR"), PaymentSchedule(count=count, interval=MONTHLY), start=start
    )
    assert sum(i.amount.amount for i in items) == total
    assert {i.amount.currency for i in items} == {"EUR"}
    assert len({i.idempotency_key for i in items}) == count
    dates = [i.due_date for i in items]
    assert dates[0] == start and dates == sorted(dates)
    assert all(d.day == min(start.day, monthrange(d.year, d.month)[1]) for d in dates)
    assert all((b.year * 12 + b.month) - (a.year * 12 + a.month) == 1 for a, b in pairwise(dates))


def test_month_end_schedule_from_31_january_in_a_leap_year() -> None:
    items = plan(usd("3.00"), PaymentSchedule(count=3, interval=MONTHLY), start=date(2028, 1, 31))
    assert [i.due_date for i in items] == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


@pytest.mark.parametrize(
    ("total", "schedule", "bill_up_front"),
    [
        (None, None, True),
        (Money(amount=Decimal("1.00"), currency="USD"), PaymentSchedule(count=2, interval=MONTHLY), False),
        (Money(amount=Decimal("1.00"), currency="USD"), PaymentSchedule(count=0, interval=MONTHLY), True),
    ],
)
def test_impossible_plans_are_rejected(
    total: Money | None, schedule: PaymentSchedule | None, bill_up_front: bool
) -> None:
    with pytest.raises(Rejected):
        plan(total, schedule, bill_up_front)


def test_a_child_order_charge_is_keyed_by_the_child_order() -> None:
    item = item_for_child("co-1", "cust-1", CARD, "co-1:ch:3", usd("19.99"), date(2027, 3, 1))
    assert (item.item_id, item.idempotency_key, item.purpose, item.child_order_id) == (
        "co-1:ch:3:charge",
        "co-1:ch:3:charge",
        "child_order",
        "co-1:ch:3",
    )
    assert item.request_date == item.due_date == date(2027, 3, 1)


def test_a_billing_item_survives_a_json_round_trip() -> None:
    [item] = plan(usd("120.00"))
    assert BillingItem.model_validate(item.model_dump(mode="json")) == item


def test_refund_is_the_sum_of_cancelled_prices() -> None:
    assert refund_for([usd("10.00"), usd("5.50")]) == usd("15.50")
    assert refund_for([]) is None
    with pytest.raises(Rejected):
        refund_for([usd("1.00"), Money(amount=Decimal("1.00"), currency="EUR")])

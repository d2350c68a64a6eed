from datetime import date, timedelta
from decimal import Decimal

import pytest

from contracts.admin import Interval, PaymentSchedule
from contracts.base import Money, PaymentMethod
from contracts.payments import PaymentRequested
from shared.domain.billing import BillingItem, plan_for_order
from shared.domain.billing_status import billing_settled, held_from, order_on_hold
from shared.domain.dunning import (
    DuplicateResult,
    InvalidTransition,
    UnknownResult,
    cancel,
    fail,
    item_id_of,
    request,
    request_id,
    requests_due,
    succeed,
)

RETRY = [1, 3, 7]
D = date(2027, 1, 31)


def installments(count: int = 3, bill_days: int = 0) -> list[BillingItem]:
    money = Money(amount=Decimal("90.00"), currency="USD")
    schedule = PaymentSchedule(count=count, interval=Interval(unit="month", count=1))
    return plan_for_order("co-1", "cust-1", PaymentMethod(method="card"), D, True, money, schedule, bill_days)


def exhaust(item: BillingItem, day: date = D) -> BillingItem:
    item, attempt = request(item, day)
    for _ in range(len(RETRY) + 1):
        item, outcome = fail(item, attempt.payment_request_id, day, RETRY)
        if outcome.exhausted:
            return item
        assert outcome.next_attempt_date is not None
        day = outcome.next_attempt_date
        item, attempt = request(item, day)
    raise AssertionError("never exhausted")


def test_an_attempt_carries_everything_payment_requested_needs() -> None:
    item, attempt = request(installments()[0], D)
    message = PaymentRequested(message_id="m", occurred_at="2027-01-31T00:00:00Z", **attempt.model_dump())
    assert (message.payment_request_id, message.idempotency_key, message.attempt) == (
        "co-1:inst:1:a1",
        "co-1:inst:1",
        1,
    )
    assert (message.purpose, message.due_date, message.amount.amount) == ("installment", D, Decimal("30.00"))
    assert (item.state, item.attempt, item.requested_on) == ("requested", 1, D)


def test_every_attempt_shares_the_idempotency_key_but_has_its_own_request_id() -> None:
    item = installments()[0]
    ids, keys = set(), set()
    for n in range(1, 5):
        item, attempt = request(item, D)
        ids.add(attempt.payment_request_id)
        keys.add(attempt.idempotency_key)
        assert attempt.payment_request_id == request_id(item, n)
        assert item_id_of(attempt.payment_request_id) == item.item_id
        item, _ = fail(item, attempt.payment_request_id, D, RETRY)
    assert len(ids) == 4 and keys == {item.item_id}


def test_scheduled_items_are_requested_from_their_request_date() -> None:
    items = installments(bill_days=5)
    assert [i.item_id for i in requests_due(items, D)] == ["co-1:inst:1"]
    assert [i.item_id for i in requests_due(items, date(2027, 2, 23))] == ["co-1:inst:1", "co-1:inst:2"]
    requested, _ = request(items[0], D)
    assert requests_due([requested], date(2030, 1, 1)) == []


def test_retries_count_from_the_first_failure_even_when_results_come_late() -> None:
    item, sent = request(installments()[0], D)
    item, outcome = fail(item, sent.payment_request_id, D + timedelta(days=2), RETRY)
    first = D + timedelta(days=2)
    assert (item.first_failure_date, outcome.next_attempt_date) == (first, first + timedelta(days=1))
    item, sent = request(item, first + timedelta(days=1))
    item, outcome = fail(item, sent.payment_request_id, first + timedelta(days=2), RETRY)
    assert (item.first_failure_date, outcome.next_attempt_date) == (first, first + timedelta(days=3))


def test_a_failed_item_is_retried_on_its_next_attempt_date_only() -> None:
    item, sent = request(installments()[0], D)
    item, outcome = fail(item, sent.payment_request_id, D, RETRY)
    assert outcome.next_attempt_date == D + timedelta(days=1)
    assert requests_due([item], D) == []
    assert requests_due([item], D + timedelta(days=1)) == [item]


def test_the_retry_table_with_1_3_7() -> None:
    item = installments()[0]
    seen = []
    day = D
    while True:
        item, sent = request(item, day)
        item, outcome = fail(item, sent.payment_request_id, day, RETRY)
        seen.append((sent.attempt, day, outcome.next_attempt_date, outcome.exhausted))
        if outcome.next_attempt_date is None:
            break
        day = outcome.next_attempt_date
    assert seen == [
        (1, D, D + timedelta(days=1), False),
        (2, D + timedelta(days=1), D + timedelta(days=3), False),
        (3, D + timedelta(days=3), D + timedelta(days=7), False),
        (4, D + timedelta(days=7), None, True),
    ]
    assert item.exhausted and requests_due([item], D + timedelta(days=100)) == []


def test_a_success_settles_the_item() -> None:
    item, sent = request(installments()[0], D)
    settled = succeed(item, sent.payment_request_id)
    assert settled.state == "settled" and billing_settled([settled])


def test_duplicate_and_stale_results_are_refused() -> None:
    item = installments()[0]
    item, first = request(item, D)
    item, _ = fail(item, first.payment_request_id, D, RETRY)
    with pytest.raises(DuplicateResult):
        fail(item, first.payment_request_id, D, RETRY)
    item, second = request(item, D + timedelta(days=1))
    for stale in (
        lambda: succeed(item, first.payment_request_id),
        lambda: fail(item, first.payment_request_id, D, RETRY),
    ):
        with pytest.raises(DuplicateResult):
            stale()
    settled = succeed(item, second.payment_request_id)
    with pytest.raises(DuplicateResult):
        succeed(settled, second.payment_request_id)
    with pytest.raises(DuplicateResult):
        fail(settled, second.payment_request_id, D, RETRY)
    with pytest.raises(DuplicateResult):
        succeed(installments()[1], "co-1:inst:2:a1")


@pytest.mark.parametrize("bad", ["nonsense", "co-1:inst:1:ax", ":a1"])
def test_unknown_request_ids_are_refused(bad: str) -> None:
    with pytest.raises(UnknownResult):
        item_id_of(bad)


def test_an_item_in_flight_or_settled_cannot_be_requested_again() -> None:
    item, sent = request(installments()[0], D)
    with pytest.raises(InvalidTransition):
        request(item, D)
    with pytest.raises(InvalidTransition):
        request(succeed(item, sent.payment_request_id), D)


def test_a_failed_item_holds_the_order_from_its_due_date_until_a_retry_succeeds() -> None:
    first, second, third = installments(bill_days=5)
    assert held_from([first, second, third]) is None
    first, sent = request(first, D)
    first, _ = fail(first, sent.payment_request_id, D, RETRY)
    assert held_from([first, second, third]) == first.due_date and not order_on_hold([first])
    first, sent = request(first, D + timedelta(days=1))
    assert held_from([first, second, third]) == first.due_date, "a retry in flight is not a payment"
    first = succeed(first, sent.payment_request_id)
    assert held_from([first, second, third]) is None


def test_an_early_failure_holds_from_the_due_date_not_before() -> None:
    second = installments(bill_days=5)[1]
    second, sent = request(second, second.request_date)
    second, _ = fail(second, sent.payment_request_id, second.request_date, RETRY)
    assert second.request_date < second.due_date
    assert held_from([second]) == second.due_date


def test_exhaustion_puts_the_order_on_hold_even_before_the_due_date() -> None:
    second = exhaust(installments(bill_days=30)[1], date(2027, 1, 29))
    assert second.exhausted and order_on_hold([second])
    assert second.first_failure_date is not None and second.first_failure_date < second.due_date
    assert held_from([second]) == second.first_failure_date


def test_the_earliest_hold_of_several_failed_items_wins() -> None:
    first, second, _ = installments(bill_days=30)
    second = exhaust(second, date(2027, 1, 29))
    first, sent = request(first, D)
    first, _ = fail(first, sent.payment_request_id, D, RETRY)
    assert held_from([first, second]) == min(first.due_date, date(2027, 1, 29))


def test_a_late_success_after_exhaustion_settles_and_lifts_the_hold() -> None:
    item = exhaust(installments()[0])
    late = succeed(item, request_id(item, item.attempt))
    assert late.state == "settled" and not order_on_hold([late]) and held_from([late]) is None


def test_a_manual_retry_of_an_exhausted_item_lifts_the_hold_only_when_it_succeeds() -> None:
    item = exhaust(installments()[0])
    item, sent = request(item, D + timedelta(days=20))
    assert sent.attempt == 5 and sent.idempotency_key == item.item_id
    assert order_on_hold([item])
    again, outcome = fail(item, sent.payment_request_id, D + timedelta(days=20), RETRY)
    assert outcome.exhausted and order_on_hold([again])
    item = succeed(item, sent.payment_request_id)
    assert item.state == "settled" and not order_on_hold([item])


def test_cancelling_drops_charges_not_in_flight() -> None:
    first, second, _ = installments()
    assert cancel(second).state == "cancelled"
    in_flight, _ = request(first, D)
    with pytest.raises(InvalidTransition):
        cancel(in_flight)
    assert billing_settled([cancel(second)]) and not billing_settled([in_flight])

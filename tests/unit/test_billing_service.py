"""Billing's account step (`collect`) and its due-work index, without broker or store."""

import json
from datetime import date, datetime
from decimal import Decimal

from contracts.admin import Interval, PaymentSchedule
from contracts.base import Money, PaymentMethod
from services.billing.collect import collect
from shared.domain.billing import plan_for_order
from shared.domain.dunning import cancel, fail, request, succeed
from shared.messaging.outgoing import Outgoing
from shared.store.billing import BillingAccount, next_action

AT = datetime(2027, 1, 5)
CARD = PaymentMethod(method="card", token="tok")


def installments(bill_days: int = 5) -> BillingAccount:
    schedule = PaymentSchedule(count=3, interval=Interval(unit="month", count=1))
    total = Money(amount=Decimal("90.00"), currency="EUR")
    items = plan_for_order("CO-1", "C-1", CARD, date(2027, 1, 5), True, total, schedule, bill_days)
    return BillingAccount(
        continuity_order_id="CO-1", customer_id="C-1", payment=CARD, currency="EUR", prepaid=True, items=items
    )


def types(out: list[Outgoing]) -> list[str]:
    return [message.type for message in out]


def test_requests_what_is_due_and_indexes_the_next_request_date() -> None:
    account, out = collect(installments(), date(2027, 1, 5), "CO-1", AT)
    assert types(out) == ["payment.requested", "notification.requested"]
    assert next_action(account) == date(2027, 1, 31)


def test_a_failure_before_the_due_date_holds_the_order_from_the_due_date_at_once() -> None:
    account, _ = collect(installments(), date(2027, 1, 5), "CO-1", AT)
    account, _ = collect(account, date(2027, 1, 31), "CO-1:2027-01-31", AT)
    item = account.items[1]
    failed, _ = fail(item, f"{item.item_id}:a1", date(2027, 1, 31), [10])
    account, out = collect(account.replace(failed), date(2027, 1, 31), "r1", AT)
    assert account.held_from == date(2027, 2, 5) and types(out) == ["order.on_hold"]
    assert json.loads(out[0].value)["effective_from"] == "2027-02-05"
    assert next_action(account) == date(2027, 2, 10)  # the retry; the hold needs no tick
    account, out = collect(account, date(2027, 2, 5), "CO-1:2027-02-05", AT)
    assert types(out) == [], "the hold is said once"
    retried, _ = request(account.items[1], date(2027, 2, 10))
    paid = succeed(retried, f"{item.item_id}:a2")
    account, out = collect(account.replace(paid), date(2027, 2, 10), "r2", AT)
    assert account.held_from is None and [m.message_id for m in out] == ["order.hold_released:r2"]


def test_a_cancelled_prepaid_order_refunds_what_was_paid_beyond_the_lines_it_keeps() -> None:
    account, _ = collect(installments(), date(2027, 1, 5), "CO-1", AT)
    first = account.items[0]
    account = account.replace(succeed(first, f"{first.item_id}:a1"))
    cancelled = account.model_copy(
        update={"cancelled": True, "refund_owed": Money(amount=Decimal("70.00"), currency="EUR")}
    )
    account, out = collect(cancelled, date(2027, 1, 6), "cancel", AT)
    refund = [m for m in out if m.type == "refund.requested"]
    assert len(refund) == 1 and '"amount":"10.00"' in refund[0].value  # paid 30, keeps 20 worth
    assert [refund.amount for refund in account.refunds] == [Decimal("10.00")]
    assert collect(account, date(2027, 1, 7), "again", AT)[1] == []


def test_no_refund_while_a_charge_is_in_flight() -> None:
    account, _ = collect(installments(), date(2027, 1, 5), "CO-1", AT)
    cancelled = account.model_copy(
        update={"cancelled": True, "refund_owed": Money(amount=Decimal("60.00"), currency="EUR")}
    )
    account, out = collect(cancelled, date(2027, 1, 6), "cancel", AT)
    assert out == [] and not account.refunds


def test_money_taken_after_the_refund_of_a_cancelled_order_is_refunded_too() -> None:
    """A charge that failed, was dropped by the cancel, and then succeeded late after all."""
    total = Money(amount=Decimal("90.00"), currency="EUR")
    items = plan_for_order("CO-1", "C-1", CARD, date(2027, 1, 5), True, total, None, 0)
    account = BillingAccount(
        continuity_order_id="CO-1", customer_id="C-1", payment=CARD, currency="EUR", prepaid=True, items=items
    )
    account, _ = collect(account, date(2027, 1, 5), "CO-1", AT)
    charge = account.items[0]
    failed, _ = fail(charge, f"{charge.item_id}:a1", date(2027, 1, 5), [1, 3, 7])
    cancelled = account.replace(cancel(failed)).model_copy(update={"cancelled": True, "refund_owed": total})
    account, out = collect(cancelled, date(2027, 1, 5), "cancel", AT)
    assert "refund.requested" not in types(out), "nothing was paid, so nothing is refunded"

    late = succeed(account.items[0], f"{charge.item_id}:a1")
    account, out = collect(account.replace(late), date(2027, 1, 6), "late", AT)
    refunds = [json.loads(m.value) for m in out if m.type == "refund.requested"]
    assert [(r["refund_id"], r["amount"]["amount"]) for r in refunds] == [("CO-1:refund", "90.00")]
    assert collect(account, date(2027, 1, 7), "again", AT)[1] == []


def test_a_hold_moved_by_a_late_result_is_a_new_message() -> None:
    """Installment 2 fails (hold from its due date), installment 3 fails, then installment 2's attempt
    succeeds after all: the hold moves to installment 3's due date under a message id of its own, or
    the children service would drop it as a duplicate and keep holding from the earlier date."""
    account, _ = collect(installments(bill_days=10), date(2027, 1, 5), "t0", AT)
    account = account.replace(succeed(account.items[0], "CO-1:inst:1:a1"))
    account, _ = collect(account, date(2027, 1, 26), "t1", AT)
    second, _ = fail(account.items[1], "CO-1:inst:2:a1", date(2027, 1, 26), [40])
    account, first_hold = collect(account.replace(second), date(2027, 1, 26), "CO-1:inst:2:a1", AT)
    account, _ = collect(account, date(2027, 2, 23), "t2", AT)
    third, _ = fail(account.items[2], "CO-1:inst:3:a1", date(2027, 2, 23), [40])
    account, _ = collect(account.replace(third), date(2027, 2, 23), "CO-1:inst:3:a1", AT)
    late = succeed(account.items[1], "CO-1:inst:2:a1")
    account, moved = collect(account.replace(late), date(2027, 2, 24), "CO-1:inst:2:a1", AT)
    holds = [json.loads(m.value) for m in first_hold + moved if m.type == "order.on_hold"]
    assert [h["effective_from"] for h in holds] == ["2027-02-05", "2027-03-05"]
    assert holds[0]["message_id"] != holds[1]["message_id"]

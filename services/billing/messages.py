"""The messages billing publishes. Every id derives from the item, attempt or cause behind it, so a
replay publishes the same ids; every message about an order is keyed by its continuity order id."""

from datetime import date, datetime

from contracts.base import Money
from contracts.events import (
    BillingSettled,
    OrderHoldReleased,
    OrderOnHold,
    PaymentDeclined,
    PaymentResultIgnored,
    PaymentSettled,
)
from contracts.notifications import NotificationKind, NotificationRequested
from contracts.payments import PaymentRequested, RefundRequested
from contracts.topics import EVENTS, NOTIFICATIONS, PAYMENT_REQUESTS
from shared.domain.billing import BillingItem
from shared.domain.dunning import Attempt, FailureOutcome
from shared.messaging.outgoing import Outgoing
from shared.store.billing import BillingAccount


def requested(attempt: Attempt, at: datetime) -> list[Outgoing]:
    key, rid = attempt.continuity_order_id, attempt.payment_request_id
    message = PaymentRequested(message_id=f"payment.requested:{rid}", occurred_at=at, **dict(attempt))
    data = {
        "payment_request_id": rid,
        "amount": str(attempt.amount.amount),
        "currency": attempt.amount.currency,
        "due_date": attempt.due_date.isoformat(),
        "purpose": attempt.purpose,
    }
    notice = _notice("payment_requested", rid, attempt.customer_id, key, at, data)
    return [Outgoing.of(PAYMENT_REQUESTS, key, message), notice]


def settled(item: BillingItem, request_id: str, at: datetime) -> list[Outgoing]:
    message = PaymentSettled(
        message_id=f"payment.settled:{request_id}",
        occurred_at=at,
        continuity_order_id=item.continuity_order_id,
        billing_item_id=item.item_id,
        payment_request_id=request_id,
        purpose=item.purpose,
        amount=item.amount,
        child_order_id=item.child_order_id,
    )
    return [Outgoing.of(EVENTS, item.continuity_order_id, message)]


def declined(item: BillingItem, request_id: str, outcome: FailureOutcome, reason: str, at: datetime) -> list[Outgoing]:
    key = item.continuity_order_id
    message = PaymentDeclined(
        message_id=f"payment.declined:{request_id}",
        occurred_at=at,
        continuity_order_id=key,
        billing_item_id=item.item_id,
        payment_request_id=request_id,
        attempt=outcome.attempt,
        reason=reason,
        next_attempt_date=outcome.next_attempt_date,
    )
    data = {
        "payment_request_id": request_id,
        "reason": reason,
        "amount": str(item.amount.amount),
        "currency": item.amount.currency,
    }
    if outcome.next_attempt_date:
        data["next_attempt_date"] = outcome.next_attempt_date.isoformat()
    return [Outgoing.of(EVENTS, key, message), _notice("payment_failed", request_id, item.customer_id, key, at, data)]


def ignored(request_id: str, key: str, reason: str, cause: str, at: datetime) -> list[Outgoing]:
    message = PaymentResultIgnored(
        message_id=f"payment_result.ignored:{cause}", occurred_at=at, payment_request_id=request_id, reason=reason
    )
    return [Outgoing.of(EVENTS, key, message)]


def on_hold(
    account: BillingAccount, reason: str, effective_from: date, cause: str, at: datetime, notify: bool
) -> list[Outgoing]:
    """Its id names the date too: one cause (a late success) may move a hold that it set before."""
    key = account.continuity_order_id
    message = OrderOnHold(
        message_id=f"order.on_hold:{cause}:{effective_from.isoformat()}",
        occurred_at=at,
        continuity_order_id=key,
        reason=reason,
        effective_from=effective_from,
    )
    messages = [Outgoing.of(EVENTS, key, message)]
    if notify:
        messages.append(_notice("order_on_hold", cause, account.customer_id, key, at, {"reason": reason}))
    return messages


def hold_released(account: BillingAccount, cause: str, at: datetime) -> list[Outgoing]:
    key = account.continuity_order_id
    message = OrderHoldReleased(message_id=f"order.hold_released:{cause}", occurred_at=at, continuity_order_id=key)
    return [Outgoing.of(EVENTS, key, message)]


def billing_settled(account: BillingAccount, at: datetime) -> list[Outgoing]:
    key = account.continuity_order_id
    event = BillingSettled(
        message_id=f"billing.settled:{key}:{len(account.items)}",
        occurred_at=at,
        continuity_order_id=key,
    )
    return [Outgoing.of(EVENTS, key, event)]


def refund(account: BillingAccount, amount: Money, reason: str, at: datetime) -> list[Outgoing]:
    """The account's latest refund; the first is `<order>:refund`, a later one `<order>:refund:<n>`."""
    key = account.continuity_order_id
    count = len(account.refunds)
    refund_id = f"{key}:refund" if count == 1 else f"{key}:refund:{count}"
    message = RefundRequested(
        message_id=f"refund.requested:{refund_id}",
        occurred_at=at,
        refund_id=refund_id,
        continuity_order_id=key,
        customer_id=account.customer_id,
        amount=amount,
        payment=account.payment,
        reason=reason,
    )
    data = {"refund_id": refund_id, "amount": str(amount.amount), "currency": amount.currency}
    notice = _notice("refund_requested", refund_id, account.customer_id, key, at, data)
    return [Outgoing.of(PAYMENT_REQUESTS, key, message), notice]


def _notice(
    kind: NotificationKind, cause: str, customer_id: str, key: str, at: datetime, data: dict[str, str]
) -> Outgoing:
    message = NotificationRequested(
        message_id=f"notification:{kind}:{cause}",
        occurred_at=at,
        kind=kind,
        customer_id=customer_id,
        continuity_order_id=key,
        data=data,
    )
    return Outgoing.of(NOTIFICATIONS, key, message)

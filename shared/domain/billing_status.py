"""What an order's billing items mean for the order: held, on hold, settled; and refunds."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from contracts.base import Money
from shared.domain.billing import BillingItem
from shared.domain.errors import Rejected


def order_on_hold(items: Iterable[BillingItem]) -> bool:
    """An item ran out of retries: the order is on hold until that item succeeds (or is cancelled)."""
    return any(item.exhausted for item in items)


def held_from(items: Iterable[BillingItem]) -> date | None:
    """The business date from which no child orders may be made; None when nothing holds the order.

    A failed item that is not yet paid holds the order from its due date: one requested early
    (`on_account_bill_days`) and failed holds nothing before that date, and the date is known at
    the failure, so the hold can be in place before that date's tick. An item out of retries holds
    the order at once (from its first failure). A retry in flight does not unblock: only a success
    does (the reference blocks picking).
    """
    dates = [
        min(item.due_date, item.first_failure_date) if item.exhausted else item.due_date
        for item in items
        if item.in_dunning and item.first_failure_date is not None
    ]
    return min(dates, default=None)


def billing_settled(items: Iterable[BillingItem]) -> bool:
    """Nothing left to collect: every item is settled or cancelled."""
    return not any(item.open for item in items)


def refund_for(cancelled_line_prices: Sequence[Money]) -> Money | None:
    """The refund owed for cancelled prepaid lines: their sum, or None when nothing is owed."""
    if not cancelled_line_prices:
        return None
    currencies = {price.currency for price in cancelled_line_prices}
    if len(currencies) != 1:
        raise Rejected(f"cannot refund in several currencies: {sorted(currencies)}")
    total = sum((price.amount for price in cancelled_line_prices), Decimal("0"))
    if total <= 0:
        return None
    return Money(amount=total, currency=currencies.pop())

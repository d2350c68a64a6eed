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


def order_blocked(items: Iterable[BillingItem], business_date: date) -> bool:
    """No child orders now: the order is on hold, or a due item has failed and is not yet paid.

    An item failed but not yet due (requested early, `on_account_bill_days`) blocks nothing yet;
    a retry in flight does not unblock: only a success does (the reference blocks picking).
    """
    return any(item.exhausted or (item.in_dunning and item.due_date <= business_date) for item in items)


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
